/**
 * ApplicationSets as Argo CD runs them, without a controller.
 *
 * Order of operations: `generateApplications` walks `spec.generators`; each generator (list,
 * clusters, git directories/files/branches, pull request, matrix, merge) produces parameter sets
 * from its sources (GitSource, BranchLister, declared clusters, PullRequestSource); the template
 * (the generator's own merged over `spec.template`) is rendered once per set with fasttemplate
 * or Go templates (`goTemplate: true`, Sprig functions, `goTemplateOptions`), `templatePatch` is
 * applied, and every Application is checked like a hand-written one. Any error makes the whole
 * generation an error (`kind: 'error'`), so a broken generator never looks like "no
 * Applications". `reconcileGenerated` then turns a successful generation and the Applications in
 * the cluster into create / update / delete / keep under `syncPolicy.applicationsSync`.
 */
export {
  type GenerateOptions,
  type GenerateResult,
  generateApplications,
  ownerReferenceTo,
} from './generate.js';
export { executeGoTemplate, missingKeyOption } from './go-template/index.js';
export { InMemoryPullRequestSource } from './in-memory-pull-requests.js';
export { branchSlug, kebabCase, makeSlug, sanitizeName, slugify } from './names.js';
export type { ParamSet } from './params.js';
export {
  type ApplicationsSyncPolicy,
  isOwnedBy,
  PRESERVED_ANNOTATIONS,
  policyOf,
  type ReconcileOptions,
  type ReconcilePlan,
  reconcileGenerated,
} from './reconcile.js';
export {
  type BranchLister,
  type DeclaredCluster,
  type GeneratorSources,
  IN_CLUSTER_NAME,
  IN_CLUSTER_SERVER,
  type PullRequest,
  type PullRequestProvider,
  type PullRequestRepository,
  type PullRequestSource,
} from './sources.js';
export { replaceFastTemplate } from './template/fasttemplate.js';
export { RESOURCES_FINALIZER, replaceString, type TemplateMode } from './template/render.js';
