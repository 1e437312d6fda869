import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { Duration, Size, Stack, Token } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DriftlessError } from '../../../shared/errors/index.js';
import { DriftlessFunction } from './driftless-function.js';
import { ENV } from './function-environment.js';
import { MAX_RECEIVE_COUNT, type PipelineQueues } from './pipeline-queues.js';
import type { ResolvedProps } from './resolve-props.js';
import type { StateTable } from './state-table.js';

export interface PipelineFunctionsProps {
  readonly settings: ResolvedProps;
  readonly state: StateTable;
  readonly queues: PipelineQueues;
  /**
   * Secrets Manager name of a JSON object with the tokens that post preview commit statuses:
   * `driftless.github.token`, `driftless.github.url`, `driftless.gitlab.token`,
   * `driftless.gitlab.url`. Only the worker posts them, so only the worker may read it. Unset: no
   * statuses are posted.
   */
  readonly commitStatusSecretName?: string;
}

/** What Secrets Manager accepts as a name: 1-512 of letters, digits and `/_+=.@-`. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/**
 * The four functions and what each may touch. Only the worker renders and talks to clusters, so
 * only it carries the kubectl/helm layer and EKS/STS rights. The webhook and the worker load the
 * Argo CD objects from the config repository (repository credentials, webhook secrets); the drift
 * scan and the API only read state and enqueue. The worker alone reads the commit status tokens.
 */
export class PipelineFunctions extends Construct {
  readonly webhook: DriftlessFunction;
  readonly worker: DriftlessFunction;
  readonly driftScan: DriftlessFunction;
  readonly api: DriftlessFunction;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const { settings, state, queues, commitStatusSecretName } = props;
    const stack = Stack.of(this);
    if (
      commitStatusSecretName !== undefined &&
      !Token.isUnresolved(commitStatusSecretName) &&
      !SECRET_NAME.test(commitStatusSecretName)
    ) {
      throw new DriftlessError(
        'INVALID_INPUT',
        `Driftless props: commitStatusSecretName: "${commitStatusSecretName}" is not a Secrets Manager secret name`,
        { context: { field: 'commitStatusSecretName' } },
      );
    }

    const common = {
      [ENV.tableName]: state.table.tableName,
      [ENV.intakeQueueUrl]: queues.intake.queueUrl,
      [ENV.continuationQueueUrl]: queues.continuation.queueUrl,
      [ENV.maxReceiveCount]: String(MAX_RECEIVE_COUNT),
      [ENV.configRepoUrl]: settings.configRepository.url,
      [ENV.configRevision]: settings.configRepository.revision,
      [ENV.configPath]: settings.configRepository.path,
      [ENV.driftScanSeconds]: String(settings.driftScanInterval.toSeconds()),
    };
    const webhookSecret = settings.webhookSecretName
      ? Secret.fromSecretNameV2(this, 'WebhookSecret', settings.webhookSecretName)
      : undefined;
    const repoSecrets: ISecret[] = settings.repositoryCredentialSecretNames.map((name, i) =>
      Secret.fromSecretNameV2(this, `RepositoryCredential${i}`, name),
    );
    const secretEnv = {
      ...(settings.webhookSecretName ? { [ENV.webhookSecretName]: settings.webhookSecretName } : {}),
      [ENV.repoCredentialSecretNames]: JSON.stringify(settings.repositoryCredentialSecretNames),
    };
    const clusters = settings.clusters.map((c) => ({
      name: c.name,
      clusterName: c.eksClusterName,
      region: c.region ?? stack.region,
      ...(c.roleArn ? { roleArn: c.roleArn } : {}),
      ...(c.access?.kind === 'namespaces' ? { namespaces: c.access.namespaces } : {}),
    }));

    this.webhook = new DriftlessFunction(this, 'Webhook', {
      name: 'webhook',
      description: 'Driftless: verifies Git webhooks, routes them to applications, enqueues refreshes',
      // Routing needs the Argo CD objects, fetched from the config repository on a cold start;
      // Git providers give up after 10 s, but a slow first fetch should still finish and warm up.
      timeout: Duration.seconds(29),
      memorySize: 1024,
      logRetention: settings.logRetention,
      environment: { ...common, ...secretEnv },
    });
    state.grant(this.webhook.role, 'read-write');
    queues.intake.grantSendMessages(this.webhook.role);
    // Both the webhook (to route) and the worker (to render) load the configuration.
    const grantConfigSecrets = (role: IRole) => {
      webhookSecret?.grantRead(role);
      for (const secret of repoSecrets) secret.grantRead(role);
    };
    grantConfigSecrets(this.webhook.role);

    this.worker = new DriftlessFunction(this, 'SyncWorker', {
      name: 'sync-worker',
      description: 'Driftless: renders, diffs and syncs applications, one queue message at a time',
      timeout: settings.worker.timeout,
      memorySize: settings.worker.memorySize,
      // The git cache, rendered manifests and Helm charts live in /tmp between invocations.
      ephemeralStorageSize: Size.gibibytes(2),
      logRetention: settings.logRetention,
      layers: [new KubectlV35Layer(this, 'KubectlLayer')],
      environment: {
        ...common,
        ...secretEnv,
        [ENV.clusters]: stack.toJsonString(clusters),
        ...(commitStatusSecretName === undefined
          ? {}
          : { [ENV.commitStatusSecretName]: commitStatusSecretName }),
      },
      ...(settings.worker.reserveConcurrency
        ? { reservedConcurrentExecutions: settings.worker.concurrency * 2 }
        : {}),
    });
    const worker = this.worker.function;
    state.grant(this.worker.role, 'read-write');
    queues.intake.grantSendMessages(this.worker.role);
    queues.continuation.grantSendMessages(this.worker.role);
    grantConfigSecrets(this.worker.role);
    if (commitStatusSecretName !== undefined) {
      Secret.fromSecretNameV2(this, 'CommitStatusSecret', commitStatusSecretName).grantRead(this.worker.role);
    }
    // Each source gets half of the reserved concurrency, so SQS never invokes a throttled worker
    // (a throttled batch counts as a receive and could dead-letter healthy messages).
    for (const queue of [queues.intake, queues.continuation]) {
      worker.addEventSource(
        new SqsEventSource(queue, {
          batchSize: settings.worker.batchSize,
          reportBatchItemFailures: true,
          maxConcurrency: settings.worker.concurrency,
        }),
      );
    }
    const ownClusters = settings.clusters.filter((c) => c.roleArn === undefined);
    if (ownClusters.length > 0) {
      this.worker.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['eks:DescribeCluster'],
          resources: ownClusters.map((c) =>
            stack.formatArn({
              service: 'eks',
              resource: 'cluster',
              resourceName: c.eksClusterName,
              ...(c.region ? { region: c.region } : {}),
            }),
          ),
        }),
      );
    }
    const roles = [...new Set(settings.clusters.flatMap((c) => (c.roleArn ? [c.roleArn] : [])))];
    if (roles.length > 0) {
      this.worker.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['sts:AssumeRole'], resources: roles }),
      );
    }

    this.driftScan = new DriftlessFunction(this, 'DriftScan', {
      name: 'drift-scan',
      description: 'Driftless: enqueues one refresh per application on a schedule',
      timeout: Duration.minutes(1),
      memorySize: 256,
      logRetention: settings.logRetention,
      environment: common,
    });
    state.grant(this.driftScan.role, 'read');
    queues.intake.grantSendMessages(this.driftScan.role);

    this.api = new DriftlessFunction(this, 'Api', {
      name: 'api',
      description: 'Driftless: application list, status, history and sync requests',
      timeout: Duration.seconds(29),
      memorySize: 512,
      logRetention: settings.logRetention,
      environment: common,
    });
    state.grant(this.api.role, 'read');
    queues.intake.grantSendMessages(this.api.role);
  }

  get all(): readonly DriftlessFunction[] {
    return [this.webhook, this.worker, this.driftScan, this.api];
  }
}
