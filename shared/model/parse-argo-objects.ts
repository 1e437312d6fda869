/**
 * Sorts loaded documents into the Argo CD objects they are, each parsed and defaulted, and
 * collects every problem of every document. Documents that are not Argo CD objects (the
 * manifests an Application deploys, say) are listed as ignored, not refused.
 */
import type {
  Application,
  ApplicationSet,
  AppProject,
  ArgoCdSettings,
  ClusterSecret,
  RbacSettings,
  RepositoryCredential,
} from './argo-types.js';
import { ARGOCD_CM, ARGOCD_RBAC_CM, configMapName } from './config-map.js';
import type { LoadedDocument } from './load-documents.js';
import { parseAppProject } from './parse-app-project.js';
import { parseApplication } from './parse-application.js';
import { parseApplicationSet } from './parse-application-set.js';
import { parseArgoCdConfigMap } from './parse-argocd-cm.js';
import { parseClusterSecret } from './parse-cluster-secret.js';
import { parseRbacConfigMap } from './parse-rbac-cm.js';
import { parseRepositorySecret } from './parse-repository-secret.js';
import type { Located, Parsed } from './parsed.js';
import type { Problem } from './problems.js';
import { argoSecretType } from './secret-fields.js';

export interface IgnoredDocument {
  /** `file#index`, or `file#index.items[n]` for an item of a List. */
  readonly at: string;
  readonly kind: string;
}

export interface ArgoObjects {
  readonly applications: readonly Located<Application>[];
  readonly applicationSets: readonly Located<ApplicationSet>[];
  readonly projects: readonly Located<AppProject>[];
  readonly settings: { readonly cm?: Located<ArgoCdSettings>; readonly rbacCm?: Located<RbacSettings> };
  readonly repositories: readonly RepositoryCredential[];
  readonly clusters: readonly ClusterSecret[];
  readonly problems: readonly Problem[];
  readonly ignored: readonly IgnoredDocument[];
}

const ARGO_KINDS = ['Application', 'ApplicationSet', 'AppProject'] as const;

/** What an object is to Argo CD, or undefined for any other manifest. */
export function argoKindOf(
  object: Record<string, unknown>,
):
  | 'Application'
  | 'ApplicationSet'
  | 'AppProject'
  | 'argocd-cm'
  | 'argocd-rbac-cm'
  | 'repository'
  | 'cluster'
  | undefined {
  const apiVersion = object.apiVersion;
  const kind = object.kind;
  if (typeof apiVersion === 'string' && apiVersion.startsWith('argoproj.io/')) {
    return ARGO_KINDS.find((k) => k === kind);
  }
  const cmName = configMapName(object);
  if (cmName === ARGOCD_CM) return 'argocd-cm';
  if (cmName === ARGOCD_RBAC_CM) return 'argocd-rbac-cm';
  const secretType = argoSecretType(object);
  if (secretType === 'cluster') return 'cluster';
  if (secretType) return 'repository';
  return undefined;
}

export function parseArgoObjects(documents: readonly LoadedDocument[]): ArgoObjects {
  const applications: Located<Application>[] = [];
  const applicationSets: Located<ApplicationSet>[] = [];
  const projects: Located<AppProject>[] = [];
  const settings: { cm?: Located<ArgoCdSettings>; rbacCm?: Located<RbacSettings> } = {};
  const repositories: RepositoryCredential[] = [];
  const clusters: ClusterSecret[] = [];
  const problems: Problem[] = [];
  const ignored: IgnoredDocument[] = [];

  const take = <T>(parsed: Parsed<T>, into: (located: Located<T>) => void) => {
    if (parsed.kind === 'valid') into({ value: parsed.value, source: parsed.source });
    else problems.push(...parsed.problems);
  };

  for (const doc of documents) {
    switch (argoKindOf(doc.object)) {
      case 'Application':
        take(parseApplication(doc), (a) => applications.push(a));
        break;
      case 'ApplicationSet':
        take(parseApplicationSet(doc), (a) => applicationSets.push(a));
        break;
      case 'AppProject':
        take(parseAppProject(doc), (p) => projects.push(p));
        break;
      case 'argocd-cm':
        take(parseArgoCdConfigMap(doc), (cm) => {
          settings.cm = cm;
        });
        break;
      case 'argocd-rbac-cm':
        take(parseRbacConfigMap(doc), (cm) => {
          settings.rbacCm = cm;
        });
        break;
      case 'repository':
        take(parseRepositorySecret(doc), (r) => repositories.push(r.value));
        break;
      case 'cluster':
        take(parseClusterSecret(doc), (c) => clusters.push(c.value));
        break;
      case undefined: {
        const kind = typeof doc.object.kind === 'string' ? doc.object.kind : '(no kind)';
        const item = doc.item === undefined ? '' : `.items[${doc.item}]`;
        ignored.push({ at: `${doc.file}#${doc.index}${item}`, kind });
        break;
      }
    }
  }
  problems.push(
    ...duplicates('Application', applications),
    ...duplicates('ApplicationSet', applicationSets),
    ...duplicates('AppProject', projects),
  );
  return { applications, applicationSets, projects, settings, repositories, clusters, problems, ignored };
}

/**
 * Two objects of one kind with the same namespace and name are one object to the API server:
 * the later silently replaces the earlier, which is never what the author meant.
 */
function duplicates(
  kind: string,
  objects: readonly Located<{ metadata: { name: string; namespace?: string } }>[],
): Problem[] {
  const first = new Map<string, Located<unknown>['source']>();
  const problems: Problem[] = [];
  for (const { value, source } of objects) {
    const key = `${value.metadata.namespace ?? ''}/${value.metadata.name}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, source);
      continue;
    }
    const where = `${earlier.file}#${earlier.index}${earlier.item === undefined ? '' : `.items[${earlier.item}]`}`;
    const prefix = source.item === undefined ? '' : `items[${source.item}].`;
    problems.push({
      file: source.file,
      index: source.index,
      path: `${prefix}metadata.name`,
      message: `${kind} "${value.metadata.name}" is already defined at ${where}`,
    });
  }
  return problems;
}
