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
}
