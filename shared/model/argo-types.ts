/**
 * Argo CD's argoproj.io/v1alpha1 objects as Driftless reads them. Field names follow Argo CD's
 * CRDs exactly so that users copy their YAML over unchanged. Unknown fields are kept (index
 * signatures) so nothing a user wrote is lost on a round trip. Parsing and defaults live in
 * parse-*.ts; these are only shapes.
 */
import type { KubeObject, ObjectMeta } from './kube-object.js';

export interface KustomizeReplica {
  name: string;
  count: number | string;
}

export interface KustomizePatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface KustomizePatch {
  path?: string;
  patch?: string;
  target?: KustomizePatchTarget;
  options?: Record<string, boolean>;
}

export interface ApplicationSourceKustomize {
  namePrefix?: string;
  nameSuffix?: string;
  images?: string[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  commonAnnotationsEnvsubst?: boolean;
  labelWithoutSelector?: boolean;
  forceCommonLabels?: boolean;
  forceCommonAnnotations?: boolean;
  namespace?: string;
  replicas?: KustomizeReplica[];
  patches?: KustomizePatch[];
  components?: string[];
  ignoreMissingComponents?: boolean;
  version?: string;
  kubeVersion?: string;
  apiVersions?: string[];
  [key: string]: unknown;
}

export interface HelmParameter {
  name: string;
  value: string;
  forceString?: boolean;
}

export interface HelmFileParameter {
  name: string;
  path: string;
}

export interface ApplicationSourceHelm {
  releaseName?: string;
  valueFiles?: string[];
  ignoreMissingValueFiles?: boolean;
  values?: string;
  valuesObject?: Record<string, unknown>;
  parameters?: HelmParameter[];
  fileParameters?: HelmFileParameter[];
  namespace?: string;
  skipCrds?: boolean;
  skipSchemaValidation?: boolean;
  skipTests?: boolean;
  passCredentials?: boolean;
  version?: string;
  kubeVersion?: string;
  apiVersions?: string[];
  [key: string]: unknown;
}

export interface ApplicationSourceDirectory {
  recurse?: boolean;
  include?: string;
  exclude?: string;
  jsonnet?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ApplicationSource {
  repoURL: string;
  path?: string;
  /** Defaulted to `HEAD` by the parser, as Argo CD does. */
  targetRevision: string;
  chart?: string;
  ref?: string;
  name?: string;
  kustomize?: ApplicationSourceKustomize;
  helm?: ApplicationSourceHelm;
  directory?: ApplicationSourceDirectory;
  plugin?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ApplicationDestination {
  server?: string;
  name?: string;
  namespace?: string;
  [key: string]: unknown;
}

export interface RetryBackoff {
  duration?: string;
  factor?: number;
  maxDuration?: string;
}

export interface RetryStrategy {
  limit?: number;
  backoff?: RetryBackoff;
}

export interface SyncPolicyAutomated {
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
  enabled?: boolean;
  [key: string]: unknown;
}

export interface SyncPolicy {
  automated?: SyncPolicyAutomated;
  syncOptions?: string[];
  retry?: RetryStrategy;
  managedNamespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface ResourceIgnoreDifferences {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

export interface ApplicationSpec {
  /** Defaulted to `default`. */
  project: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  ignoreDifferences?: ResourceIgnoreDifferences[];
  /** Defaulted to 10. */
  revisionHistoryLimit?: number;
  info?: Array<{ name: string; value: string }>;
  [key: string]: unknown;
}

export interface Application extends KubeObject {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: ObjectMeta & { name: string };
  spec: ApplicationSpec;
}

export interface AppProjectSpec {
  description?: string;
  sourceRepos?: string[];
  destinations?: ApplicationDestination[];
  clusterResourceWhitelist?: Array<{ group: string; kind: string }>;
  clusterResourceBlacklist?: Array<{ group: string; kind: string }>;
  namespaceResourceWhitelist?: Array<{ group: string; kind: string }>;
  namespaceResourceBlacklist?: Array<{ group: string; kind: string }>;
  roles?: Array<Record<string, unknown>>;
  syncWindows?: Array<Record<string, unknown>>;
  sourceNamespaces?: string[];
  [key: string]: unknown;
}

export interface AppProject extends KubeObject {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'AppProject';
  metadata: ObjectMeta & { name: string };
  spec: AppProjectSpec;
}

export interface ApplicationSetSpec {
  generators: Array<Record<string, unknown>>;
  template: Record<string, unknown>;
  goTemplate?: boolean;
  goTemplateOptions?: string[];
  syncPolicy?: { applicationsSync?: string; preserveResourcesOnDeletion?: boolean };
  templatePatch?: string;
  strategy?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ApplicationSet extends KubeObject {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'ApplicationSet';
  metadata: ObjectMeta & { name: string };
  spec: ApplicationSetSpec;
}

/** A repository Secret (`argocd.argoproj.io/secret-type: repository | repo-creds`), decoded. */
export interface RepositoryCredential {
  readonly type: 'repository' | 'repo-creds';
  /** Secret name, for messages. */
  readonly name: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  readonly bearerToken?: string;
  readonly project?: string;
  readonly insecure?: boolean;
  /** The Secret's `type` key: `git` unless it says `helm` or `oci`. */
  readonly repositoryType?: 'git' | 'helm' | 'oci';
  /** The Secret's `name` key, the repository's display name (Helm repositories need one). */
  readonly displayName?: string;
}

/** A cluster Secret (`argocd.argoproj.io/secret-type: cluster`), decoded. */
export interface ClusterSecret {
  /** Secret name, for messages. */
  readonly secretName: string;
  /** The cluster name Applications use in `destination.name`. */
  readonly name: string;
  readonly server: string;
  readonly project?: string;
  /** Namespaces Argo CD may manage there; empty means all. */
  readonly namespaces: readonly string[];
  /** With `namespaces` set, whether cluster-scoped kinds may still be managed. */
  readonly clusterResources: boolean;
  readonly config: ClusterConfig;
  /** The Secret's own labels and annotations: the ApplicationSet cluster generator selects on them. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface ClusterConfig {
  readonly username?: string;
  readonly password?: string;
  readonly bearerToken?: string;
  readonly tlsClientConfig?: {
    readonly insecure?: boolean;
    readonly serverName?: string;
    readonly caData?: string;
    readonly certData?: string;
    readonly keyData?: string;
  };
  /** EKS: a token for `clusterName`, optionally after assuming `roleARN`. */
  readonly awsAuthConfig?: {
    readonly clusterName: string;
    readonly roleARN?: string;
    readonly profile?: string;
  };
  readonly execProviderConfig?: {
    readonly command: string;
    readonly args?: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    readonly apiVersion?: string;
    readonly installHint?: string;
  };
}

/** Paths to leave out of the diff, from `argocd-cm` resource customizations. */
export interface IgnoreDifferencesRule {
  readonly jsonPointers: readonly string[];
  readonly jqPathExpressions: readonly string[];
  readonly managedFieldsManagers: readonly string[];
}

/** `resource.exclusions` / `resource.inclusions` entries; an empty list matches everything. */
export interface ResourceFilter {
  readonly apiGroups: readonly string[];
  readonly kinds: readonly string[];
  readonly clusters: readonly string[];
}

export interface ResourceCompareOptions {
  readonly ignoreAggregatedRoles?: boolean;
  readonly ignoreResourceStatusField?: 'crd' | 'all' | 'none' | 'off';
  readonly ignoreDifferencesOnResourceUpdates?: boolean;
}

export type ResourceTrackingMethod = 'annotation' | 'label' | 'annotation+label';

/** The `argocd-cm` ConfigMap: the keys Driftless acts on, typed, and every key raw. */
export interface ArgoCdSettings {
  readonly url?: string;
  /** `resource.customizations.ignoreDifferences.all`. */
  readonly ignoreDifferencesAll?: IgnoreDifferencesRule;
  /** `resource.customizations.ignoreDifferences.<group>_<kind>` (`<kind>` alone for the core group). */
  readonly ignoreDifferences: ReadonlyArray<{
    readonly group: string;
    readonly kind: string;
    readonly rule: IgnoreDifferencesRule;
  }>;
  readonly resourceExclusions: readonly ResourceFilter[];
  readonly resourceInclusions: readonly ResourceFilter[];
  /** `application.resourceTrackingMethod`; `annotation` when unset, Argo CD 3's default. */
  readonly resourceTrackingMethod: ResourceTrackingMethod;
  /** `timeout.reconciliation` as written (a Go duration), when set. */
  readonly reconciliationTimeout?: string;
  readonly compareOptions: ResourceCompareOptions;
  readonly raw: Readonly<Record<string, string>>;
}

/** One `p, subject, resource, action, object, effect` line of `policy.csv`. */
export interface RbacPolicyRule {
  readonly line: number;
  readonly subject: string;
  readonly resource: string;
  readonly action: string;
  readonly object: string;
  readonly effect: 'allow' | 'deny';
}

/** One `g, user-or-group, role` line of `policy.csv`. */
export interface RbacRoleGrant {
  readonly line: number;
  readonly subject: string;
  readonly role: string;
}

/** The `argocd-rbac-cm` ConfigMap. */
export interface RbacSettings {
  readonly policies: readonly RbacPolicyRule[];
  readonly grants: readonly RbacRoleGrant[];
  /** `policy.default`, a role such as `role:readonly`, when set. */
  readonly defaultRole?: string;
  /** `scopes`: the OIDC claims matched against `g` lines; `[groups]` when unset. */
  readonly scopes: readonly string[];
  readonly matchMode: 'glob' | 'regex';
  readonly raw: Readonly<Record<string, string>>;
}
