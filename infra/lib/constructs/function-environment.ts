/**
 * The environment variables the stack gives the functions: the contract between infra/ and
 * functions/<name>/deps.ts. Values are strings; lists are JSON.
 */
export const ENV = {
  /** The state table's name. */
  tableName: 'DRIFTLESS_TABLE_NAME',
  /** URL of the intake FIFO queue (refresh and sync messages). */
  intakeQueueUrl: 'DRIFTLESS_INTAKE_QUEUE_URL',
  /** URL of the delayed continuation queue (continue messages). */
  continuationQueueUrl: 'DRIFTLESS_CONTINUATION_QUEUE_URL',
  /** Both queues' redrive maxReceiveCount, so the worker knows a delivery is the last. */
  maxReceiveCount: 'DRIFTLESS_MAX_RECEIVE_COUNT',
  /** The repository, revision and directory of the Argo CD objects. */
  configRepoUrl: 'DRIFTLESS_CONFIG_REPO_URL',
  configRevision: 'DRIFTLESS_CONFIG_REVISION',
  configPath: 'DRIFTLESS_CONFIG_PATH',
  /** Secrets Manager name of the webhook secrets (argocd-secret keys as JSON); unset when none. */
  webhookSecretName: 'DRIFTLESS_WEBHOOK_SECRET_NAME',
  /**
   * Secrets Manager name of the preview commit status tokens (`driftless.github.token`,
   * `driftless.github.url`, `driftless.gitlab.token`, `driftless.gitlab.url` as JSON); worker only,
   * unset when none.
   */
  commitStatusSecretName: 'DRIFTLESS_COMMIT_STATUS_SECRET_NAME',
  /** JSON array of Secrets Manager names holding repository credentials. */
  repoCredentialSecretNames: 'DRIFTLESS_REPO_CREDENTIAL_SECRET_NAMES',
  /**
   * JSON array of `{name, clusterName, region, roleArn?, namespaces?}`: the EKS clusters the worker
   * deploys to (`namespaces` when its access is limited to them).
   */
  clusters: 'DRIFTLESS_CLUSTERS',
  /** The drift scan's period in seconds. */
  driftScanSeconds: 'DRIFTLESS_DRIFT_SCAN_SECONDS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
