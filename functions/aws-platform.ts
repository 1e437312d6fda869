/**
 * The composition root of the Lambda functions: the real adapters (DynamoDB, SQS, EKS, Secrets
 * Manager, EMF metrics and JSON logs on stdout) wired into one Platform per container. Built on
 * first use, so a cold start pays only for what its function touches. The environment variables
 * are the contract with the CDK stack (infra/lib/constructs/function-environment.ts).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { DriftlessError, messageOf } from '../shared/errors/index.js';
import { createGitSource } from '../shared/git/index.js';
import { type Cluster, ClusterClientFactory, ClusterRegistry, eksCluster } from '../shared/kube/index.js';
import type { RepositoryCredential } from '../shared/model/argo-types.js';
import {
  EmfMetrics,
  JsonLogger,
  MetricDimension,
  parseLogLevel,
  writeLine,
} from '../shared/observe/index.js';
import {
  type ClusterAccess,
  createPlatform,
  gitConfigLoader,
  type Platform,
  type PlatformConfig,
} from '../shared/pipeline/index.js';
import { systemClock } from '../shared/ports/clock.js';
import { createSqsClient, SqsQueue } from '../shared/queue/index.js';
import { MemoryRenderCache } from '../shared/render/index.js';
import { DynamoStateStore } from '../shared/state/index.js';
import { cacheRoot, ProcessToolRunner } from '../shared/tools/index.js';
import { type WebhookSecrets, webhookSecretsFromFields } from '../shared/webhook/index.js';

/** The names the stack sets; see infra/lib/constructs/function-environment.ts. */
export const ENV = {
  tableName: 'DRIFTLESS_TABLE_NAME',
  intakeQueueUrl: 'DRIFTLESS_INTAKE_QUEUE_URL',
  continuationQueueUrl: 'DRIFTLESS_CONTINUATION_QUEUE_URL',
  maxReceiveCount: 'DRIFTLESS_MAX_RECEIVE_COUNT',
  configRepoUrl: 'DRIFTLESS_CONFIG_REPO_URL',
  configRevision: 'DRIFTLESS_CONFIG_REVISION',
  configPath: 'DRIFTLESS_CONFIG_PATH',
  webhookSecretName: 'DRIFTLESS_WEBHOOK_SECRET_NAME',
  repoCredentialSecretNames: 'DRIFTLESS_REPO_CREDENTIAL_SECRET_NAMES',
  clusters: 'DRIFTLESS_CLUSTERS',
  driftScanSeconds: 'DRIFTLESS_DRIFT_SCAN_SECONDS',
} as const;

type Environment = Readonly<Record<string, string | undefined>>;

function required(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new DriftlessError('INTERNAL', `environment variable ${name} is not set`, { context: { name } });
  }
  return value;
}

function jsonList<T>(env: Environment, name: string): T[] {
  const text = env[name];
  if (text === undefined || text === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) throw new Error('not a JSON array');
    return value as T[];
  } catch (e) {
    throw new DriftlessError('INTERNAL', `environment variable ${name}: ${messageOf(e)}`, {
      context: { name },
    });
  }
}

interface ClusterSetting {
  readonly name: string;
  readonly clusterName: string;
  readonly region: string;
  readonly roleArn?: string;
  readonly namespaces?: readonly string[];
}

async function secretJson(client: SecretsManagerClient, name: string): Promise<Record<string, unknown>> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: name }));
  try {
    const value: unknown = JSON.parse(out.SecretString ?? '');
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (e) {
    // The message names the secret, never its content.
    throw new DriftlessError('INVALID_MANIFEST', `Secrets Manager secret ${name}: ${messageOf(e)}`, {
      context: { secret: name },
    });
  }
}

function credentialOf(name: string, fields: Record<string, unknown>): RepositoryCredential {
  const text = (key: string): string | undefined =>
    typeof fields[key] === 'string' ? (fields[key] as string) : undefined;
  const url = text('url');
  if (url === undefined) {
    throw new DriftlessError('INVALID_MANIFEST', `Secrets Manager secret ${name}: field "url" is required`, {
      context: { secret: name },
    });
  }
  const username = text('username');
  const password = text('password');
  const bearerToken = text('bearerToken');
  return {
    type: text('type') === 'repo-creds' ? 'repo-creds' : 'repository',
    name,
    url,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(bearerToken === undefined ? {} : { bearerToken }),
  };
}

export interface AwsPlatformOptions {
  /** For metrics and logs: webhook, sync-worker, drift-scan, api. */
  readonly service: string;
  readonly env?: Environment;
}

export function createAwsPlatform(options: AwsPlatformOptions): Platform {
  const env = options.env ?? process.env;
  const clock = systemClock;
  const region = env.AWS_REGION;
  const logger = new JsonLogger({
    write: writeLine,
    clock,
    level: parseLogLevel(env.DRIFTLESS_LOG_LEVEL),
    fields: { service: options.service },
  });
  const metrics = new EmfMetrics({
    write: writeLine,
    clock,
    dimensions: { [MetricDimension.Service]: options.service },
  });
  const secrets = new SecretsManagerClient({});
  const sqs = createSqsClient();

  const webhookSecretName = env[ENV.webhookSecretName];
  const webhookSecrets = async (): Promise<WebhookSecrets> =>
    webhookSecretName
      ? webhookSecretsFromFields(stringFields(await secretJson(secrets, webhookSecretName)))
      : {};
  const repoSecretNames = jsonList<string>(env, ENV.repoCredentialSecretNames);
  let credentials: Promise<RepositoryCredential[]> | undefined;
  const repoCredentials = (): Promise<RepositoryCredential[]> => {
    credentials ??= Promise.all(
      repoSecretNames.map(async (n) => credentialOf(n, await secretJson(secrets, n))),
    );
    return credentials;
  };

  const gitCache = join(cacheRoot(), 'git');
  const configRepoUrl = required(env, ENV.configRepoUrl);
  const config = {
    async load(): Promise<PlatformConfig> {
      const fromSecrets = await repoCredentials();
      const git = createGitSource({ credentials: fromSecrets, cacheDir: gitCache });
      const loaded = await gitConfigLoader({
        git,
        source: {
          repoURL: configRepoUrl,
          path: env[ENV.configPath] ?? '',
          targetRevision: env[ENV.configRevision] ?? 'HEAD',
        },
        webhookSecrets,
        ...(region === undefined ? {} : { defaultRegion: region }),
      }).load();
      return { ...loaded, repositories: [...fromSecrets, ...loaded.repositories] };
    },
  };

  const factory = new ClusterClientFactory({
    clock,
    aws: {
      credentials: async () => new STSClient({}).config.credentials(),
      stsFor: (r) => new STSClient({ region: r }),
    },
  });
  let eksClusters: Promise<Cluster[]> | undefined;
  const configured = (): Promise<Cluster[]> => {
    eksClusters ??= Promise.all(
      jsonList<ClusterSetting>(env, ENV.clusters).map((c) =>
        eksCluster({
          eks: new EKSClient({ region: c.region }),
          clusterName: c.clusterName,
          region: c.region,
          name: c.name,
          ...(c.roleArn ? { roleArn: c.roleArn } : {}),
          ...(c.namespaces ? { namespaces: c.namespaces } : {}),
        }),
      ),
    ).catch((e) => {
      eksClusters = undefined;
      throw e;
    });
    return eksClusters;
  };
  const clusters: ClusterAccess = {
    async clientFor({ app, config: current }) {
      // A Lambda has no service account of a cluster: the in-cluster destination is disabled.
      const registry = new ClusterRegistry({
        clusters: [...(await configured()), ...current.clusters],
        inCluster: false,
      });
      return factory.clientFor(registry.resolve(app.spec.destination));
    },
  };

  const maxReceiveCount = Number(env[ENV.maxReceiveCount] ?? '5');
  const driftScanSeconds = Number(env[ENV.driftScanSeconds] ?? '180');
  return createPlatform({
    state: new DynamoStateStore({
      client: new DynamoDBClient({}),
      tableName: required(env, ENV.tableName),
      clock,
    }),
    intake: new SqsQueue({ client: sqs, queueUrl: required(env, ENV.intakeQueueUrl) }),
    continuation: new SqsQueue({ client: sqs, queueUrl: required(env, ENV.continuationQueueUrl) }),
    gitFor: ({ credentials: creds }) => createGitSource({ credentials: creds, cacheDir: gitCache }),
    tools: new ProcessToolRunner(),
    clusters,
    config,
    clock,
    metrics,
    logger,
    newId: randomUUID,
    renderCache: new MemoryRenderCache(),
    settings: {
      ...(Number.isFinite(maxReceiveCount) ? { maxReceiveCount } : {}),
      ...(Number.isFinite(driftScanSeconds) ? { driftScanSeconds } : {}),
    },
  });
}

function stringFields(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
