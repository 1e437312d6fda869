import type { Duration } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';

/**
 * How much of a cluster the sync worker may touch. `namespaces` associates
 * AmazonEKSAdminPolicy scoped to those namespaces (objects and namespaced RBAC inside them, no
 * cluster-scoped kinds); `cluster-admin` associates AmazonEKSClusterAdminPolicy cluster-wide,
 * which Applications that manage CRDs, ClusterRoles or Namespaces need.
 */
export type ClusterAccess =
  | { readonly kind: 'namespaces'; readonly namespaces: readonly string[] }
  | { readonly kind: 'cluster-admin' };

export interface DriftlessCluster {
  /** The name Applications use in `destination.name` (Argo CD's cluster name); default the EKS name. */
  readonly name?: string;
  /** The EKS cluster's name (Argo CD's `awsAuthConfig.clusterName`). */
  readonly eksClusterName: string;
  /** Default: the stack's region. */
  readonly region?: string;
  /**
   * A role in the cluster's account that the worker assumes (Argo CD's `awsAuthConfig.roleARN`).
   * The cluster's own access entry for that role is made in that account, not here.
   */
  readonly roleArn?: string;
  /** Required for clusters reached without `roleArn`: the access entry made for the worker's role. */
  readonly access?: ClusterAccess;
}

export interface ConfigRepository {
  /** Git URL of the repository holding the Argo CD objects. */
  readonly url: string;
  /** Branch, tag or commit; default `HEAD`. */
  readonly revision?: string;
  /** Directory of the Argo CD objects inside the repository; default the root. */
  readonly path?: string;
}

export interface AlarmOptions {
  /** An email address subscribed to the alarm topic (the owner confirms the subscription). */
  readonly email?: string;
  /** An existing topic to notify instead of the one Driftless creates. */
  readonly topic?: ITopic;
  /** Consecutive drift scans an application may stay OutOfSync before the alarm fires; default 3. */
  readonly outOfSyncPeriods?: number;
  /** Applications (`<name>` as reported in the App dimension) with an alarm of their own on drift. */
  readonly criticalApps?: readonly string[];
  /** Webhook answers in 4xx, as a percentage of requests, that count as a spike; default 50. */
  readonly webhookClientErrorPercent?: number;
}

export interface WorkerOptions {
  /** Default 5 minutes; the worker continues long operations through delayed messages. */
  readonly timeout?: Duration;
  /** Default 1769 MB (one full vCPU, which kubectl kustomize and helm template use). */
  readonly memorySize?: number;
  /** Concurrent worker invocations per cluster; default 2. */
  readonly concurrencyPerCluster?: number;
  /**
   * Reserve the concurrency (clusters x concurrencyPerCluster) so other functions cannot starve
   * the worker; default true. Accounts whose concurrency limit is still the initial 10 cannot
   * reserve any and must set false.
   */
  readonly reserveConcurrency?: boolean;
  /** Messages per invocation; default 5. */
  readonly batchSize?: number;
}

export interface ApiOptions {
  /** Steady-state requests per second across the API; default 50. */
  readonly rateLimit?: number;
  /** Burst of requests; default 100. */
  readonly burstLimit?: number;
}

export interface DriftlessProps {
  readonly clusters: readonly DriftlessCluster[];
  readonly configRepository: ConfigRepository;
  /**
   * Secrets Manager name of a JSON object with Argo CD's `argocd-secret` webhook keys
   * (`webhook.github.secret`, `webhook.gitlab.secret`, ...).
   */
  readonly webhookSecretName?: string;
  /**
   * Secrets Manager names of repository credentials, each a JSON object shaped like the data of
   * an Argo CD repository or repo-creds Secret (`url`, `username`, `password`, `sshPrivateKey`, ...).
   */
  readonly repositoryCredentialSecretNames?: readonly string[];
  /**
   * Secrets Manager name of a JSON object with the commit status tokens for preview environments
   * (`driftless.github.token`, `driftless.github.url`, `driftless.gitlab.token`, `driftless.gitlab.url`);
   * only the sync worker reads it. Without it no statuses are posted.
   */
  readonly commitStatusSecretName?: string;
  /** Period of the drift scan in whole minutes; default 3 minutes (Argo CD's reconciliation period). */
  readonly driftScanInterval?: Duration;
  readonly alarms?: AlarmOptions;
  readonly worker?: WorkerOptions;
  readonly api?: ApiOptions;
  /** Default true: the table cannot be deleted by CloudFormation or the console without turning it off. */
  readonly deletionProtection?: boolean;
  /** Default: a name CloudFormation generates, so two installations can share an account. */
  readonly tableName?: string;
  /** Retention of every log group in days; default 30. */
  readonly logRetentionDays?: number;
}
