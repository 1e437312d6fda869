/**
 * The model: Kubernetes object basics and Argo CD's argoproj.io/v1alpha1 objects.
 *
 * Order of operations: `loadDocuments` reads files and directories into documents that remember
 * file, document index and line; `parseArgoObjects` sorts them into Applications,
 * ApplicationSets, AppProjects, the argocd-cm / argocd-rbac-cm settings and repository and
 * cluster Secrets, checking each against Argo CD's CRD rules and applying Argo CD's defaults.
 * Every problem is collected (`file#index: path: message`), never just the first; the single
 * `parse*` functions serve callers that hold one document.
 */
export * from './argo-types.js';
export * from './kube-object.js';
export {
  type LoadedDocument,
  type LoadLimits,
  listManifestFiles,
  loadDocuments,
  loadFile,
  parseDocuments,
} from './load-documents.js';
export { parseAppProject } from './parse-app-project.js';
export {
  checkApplicationSpec,
  DEFAULT_PROJECT,
  DEFAULT_REVISION_HISTORY_LIMIT,
  DEFAULT_TARGET_REVISION,
  parseApplication,
  withApplicationDefaults,
} from './parse-application.js';
export { parseApplicationSet } from './parse-application-set.js';
export {
  type ArgoObjects,
  argoKindOf,
  type IgnoredDocument,
  parseArgoObjects,
} from './parse-argo-objects.js';
export { parseArgoCdConfigMap } from './parse-argocd-cm.js';
export { parseClusterSecret } from './parse-cluster-secret.js';
export { parseRbacConfigMap } from './parse-rbac-cm.js';
export { parseRepositorySecret } from './parse-repository-secret.js';
export type { Located, Parsed } from './parsed.js';
export { type DocumentOrigin, formatProblem, type Problem, ProblemList, problemsError } from './problems.js';
