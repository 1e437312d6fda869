import { Duration, Token } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { DriftlessError } from '../../../shared/errors/index.js';
import type { ClusterAccess, DriftlessProps } from './driftless-props.js';

/** A cluster with every default applied; `region` undefined means "the stack's region". */
export interface ResolvedCluster {
  readonly name: string;
  readonly eksClusterName: string;
  readonly region: string | undefined;
  readonly roleArn: string | undefined;
  readonly access: ClusterAccess | undefined;
}

export interface ResolvedProps {
  readonly clusters: readonly ResolvedCluster[];
  readonly configRepository: { readonly url: string; readonly revision: string; readonly path: string };
  readonly webhookSecretName: string | undefined;
  readonly repositoryCredentialSecretNames: readonly string[];
  readonly commitStatusSecretName: string | undefined;
  readonly driftScanInterval: Duration;
  readonly alarms: {
    readonly email: string | undefined;
    readonly topic: ITopic | undefined;
    readonly outOfSyncPeriods: number;
    readonly criticalApps: readonly string[];
    readonly webhookClientErrorPercent: number;
  };
  readonly worker: {
    readonly timeout: Duration;
    readonly memorySize: number;
    readonly concurrency: number;
    readonly reserveConcurrency: boolean;
    readonly batchSize: number;
  };
  readonly api: { readonly rateLimit: number; readonly burstLimit: number };
  readonly deletionProtection: boolean;
  readonly tableName: string | undefined;
  readonly logRetention: RetentionDays;
}

export interface ResolveOptions {
  /** The stack's region when it is known at synth time; clusters elsewhere then need a role. */
  readonly stackRegion?: string;
}

const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
// Secrets Manager names: letters, digits and /_+=.@- (the ARN suffix is added by the service).
const SECRET_NAME = /^[\w/+=.@-]{1,512}$/;
// DNS-1123 label, the rule for Kubernetes namespace names.
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const TABLE_NAME = /^[\w.-]{3,255}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Lambda caps a function's memory at 10,240 MB and reserved concurrency at the account's limit.
const MAX_MEMORY_MB = 10_240;
const FIFO_MAX_BATCH = 10;
// The worker's queue visibility is six timeouts; SQS caps visibility at 12 hours.
const MAX_WORKER_TIMEOUT_MINUTES = 15;

function invalid(field: string, message: string): DriftlessError {
  return new DriftlessError('INVALID_INPUT', `Driftless props: ${field}: ${message}`, {
    context: { field },
  });
}

function integerIn(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function literal(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, 'must be a non-empty string');
  if (Token.isUnresolved(value)) {
    throw invalid(field, 'must be known at synth time (it names IAM resources and environment values)');
  }
  return value;
}

function resolveAccess(field: string, access: ClusterAccess | undefined): ClusterAccess | undefined {
  if (access === undefined) return undefined;
  if (access.kind === 'cluster-admin') return access;
  if (access.kind !== 'namespaces') {
    // Context values are untyped JSON, so the union's other members can still arrive.
    const kind = (access as { readonly kind?: unknown }).kind;
    throw invalid(`${field}.kind`, `must be "namespaces" or "cluster-admin", got ${JSON.stringify(kind)}`);
  }
  if (!Array.isArray(access.namespaces) || access.namespaces.length === 0) {
    throw invalid(`${field}.namespaces`, 'must list at least one namespace (or ask for cluster-admin)');
  }
  const seen = new Set<string>();
  for (const [i, ns] of access.namespaces.entries()) {
    if (typeof ns !== 'string' || !NAMESPACE.test(ns)) {
      throw invalid(`${field}.namespaces[${i}]`, `"${String(ns)}" is not a Kubernetes namespace name`);
    }
    if (seen.has(ns)) throw invalid(`${field}.namespaces[${i}]`, `"${ns}" is listed twice`);
    seen.add(ns);
  }
  return { kind: 'namespaces', namespaces: [...access.namespaces] };
}

function resolveClusters(props: DriftlessProps, options: ResolveOptions): ResolvedCluster[] {
  if (!Array.isArray(props.clusters) || props.clusters.length === 0) {
    throw invalid('clusters', 'must list at least one EKS cluster to deploy to');
  }
  const names = new Map<string, number>();
  return props.clusters.map((cluster, i) => {
    const at = `clusters[${i}]`;
    const eksClusterName = literal(`${at}.eksClusterName`, cluster.eksClusterName);
    if (!EKS_NAME.test(eksClusterName)) {
      throw invalid(`${at}.eksClusterName`, `"${eksClusterName}" is not a valid EKS cluster name`);
    }
    const region = cluster.region === undefined ? undefined : literal(`${at}.region`, cluster.region);
    if (region !== undefined && !REGION.test(region)) {
      throw invalid(`${at}.region`, `"${region}" is not an AWS region name`);
    }
    const roleArn = cluster.roleArn === undefined ? undefined : literal(`${at}.roleArn`, cluster.roleArn);
    if (roleArn !== undefined && !ROLE_ARN.test(roleArn)) {
      throw invalid(
        `${at}.roleArn`,
        `"${roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
      );
    }
    const access = resolveAccess(`${at}.access`, cluster.access);
    if (roleArn === undefined && access === undefined) {
      throw invalid(
        `${at}.access`,
        `cluster "${eksClusterName}" is reached with the worker's own role, so say what it may touch: { kind: 'namespaces', namespaces: [...] } or { kind: 'cluster-admin' }`,
      );
    }
    if (roleArn !== undefined && access !== undefined) {
      throw invalid(
        `${at}.access`,
        `cluster "${eksClusterName}" is reached through ${roleArn}; its access entry belongs in the role's account, not in this stack`,
      );
    }
    if (
      roleArn === undefined &&
      region !== undefined &&
      options.stackRegion !== undefined &&
      region !== options.stackRegion
    ) {
      throw invalid(
        `${at}.region`,
        `cluster "${eksClusterName}" is in ${region} but the stack deploys to ${options.stackRegion}; an access entry can only be made in the stack's region, so give a roleArn or deploy the stack in ${region}`,
      );
    }
    const name = cluster.name === undefined ? eksClusterName : literal(`${at}.name`, cluster.name);
    const previous = names.get(name);
    if (previous !== undefined) {
      throw invalid(`${at}.name`, `"${name}" is also the name of clusters[${previous}]`);
    }
    names.set(name, i);
    return { name, eksClusterName, region, roleArn, access };
  });
}

function resolveConfigRepository(props: DriftlessProps): ResolvedProps['configRepository'] {
  const repo = props.configRepository;
  if (repo === undefined)
    throw invalid('configRepository', 'is required (the repository of the Argo CD objects)');
  const url = literal('configRepository.url', repo.url);
  if (!/^(https?:\/\/|ssh:\/\/|git@)[^\s]+$/.test(url)) {
    throw invalid('configRepository.url', `"${url}" is not a git URL (https://, ssh:// or git@host:path)`);
  }
  const revision = repo.revision === undefined ? 'HEAD' : literal('configRepository.revision', repo.revision);
  const path = repo.path === undefined ? '.' : literal('configRepository.path', repo.path);
  if (path.startsWith('/') || path.split('/').includes('..')) {
    throw invalid('configRepository.path', `"${path}" must be a relative path inside the repository`);
  }
  return { url, revision, path };
}

function secretName(field: string, value: string): string {
  const name = literal(field, value);
  if (!SECRET_NAME.test(name)) throw invalid(field, `"${name}" is not a Secrets Manager secret name`);
  return name;
}

function tableName(value: string): string {
  const name = literal('tableName', value);
  if (!TABLE_NAME.test(name)) {
    throw invalid('tableName', `"${name}" is not a DynamoDB table name (3-255 of letters, digits, _ . -)`);
  }
  return name;
}

function wholeMinutes(field: string, value: Duration, min: number, max: number): Duration {
  const seconds = value.toSeconds();
  if (seconds % 60 !== 0) throw invalid(field, `must be whole minutes, got ${seconds} seconds`);
  integerIn(`${field} (minutes)`, seconds / 60, min, max);
  return value;
}

function resolveRetention(days: number | undefined): RetentionDays {
  if (days === undefined) return RetentionDays.ONE_MONTH;
  const allowed = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0);
  if (!allowed.includes(days)) {
    throw invalid(
      'logRetentionDays',
      `CloudWatch Logs keeps logs for one of ${allowed.join(', ')} days, got ${days}`,
    );
  }
  return days as RetentionDays;
}

/** Checks every prop and applies the defaults; the error names the prop at fault. */
export function resolveDriftlessProps(props: DriftlessProps, options: ResolveOptions = {}): ResolvedProps {
  const clusters = resolveClusters(props, options);
  const alarms = props.alarms ?? {};
  if (alarms.email !== undefined && !EMAIL.test(alarms.email)) {
    throw invalid('alarms.email', `"${alarms.email}" is not an email address`);
  }
  if (alarms.email !== undefined && alarms.topic !== undefined) {
    throw invalid(
      'alarms',
      'give either email (a topic is created) or topic (subscribe it yourself), not both',
    );
  }
  const criticalApps = [...(alarms.criticalApps ?? [])];
  for (const [i, app] of criticalApps.entries()) literal(`alarms.criticalApps[${i}]`, app);
  if (new Set(criticalApps).size !== criticalApps.length) {
    throw invalid('alarms.criticalApps', 'lists an application twice');
  }
  const worker = props.worker ?? {};
  const timeout = wholeMinutes(
    'worker.timeout',
    worker.timeout ?? Duration.minutes(5),
    1,
    MAX_WORKER_TIMEOUT_MINUTES,
  );
  const perCluster = integerIn('worker.concurrencyPerCluster', worker.concurrencyPerCluster ?? 2, 1, 100);
  const api = props.api ?? {};
  const driftScanInterval = wholeMinutes(
    'driftScanInterval',
    props.driftScanInterval ?? Duration.minutes(3),
    1,
    24 * 60,
  );
  const outOfSyncPeriods = integerIn('alarms.outOfSyncPeriods', alarms.outOfSyncPeriods ?? 3, 1, 100);
  // CloudWatch evaluates at most one day of data for an alarm with periods of a minute or more.
  if (outOfSyncPeriods * driftScanInterval.toMinutes() > 24 * 60) {
    throw invalid(
      'alarms.outOfSyncPeriods',
      `${outOfSyncPeriods} drift scans of ${driftScanInterval.toMinutes()} minutes exceed the one day a CloudWatch alarm can look back`,
    );
  }
  return {
    clusters,
    configRepository: resolveConfigRepository(props),
    webhookSecretName:
      props.webhookSecretName === undefined
        ? undefined
        : secretName('webhookSecretName', props.webhookSecretName),
    repositoryCredentialSecretNames: (props.repositoryCredentialSecretNames ?? []).map((name, i) =>
      secretName(`repositoryCredentialSecretNames[${i}]`, name),
    ),
    commitStatusSecretName:
      props.commitStatusSecretName === undefined
        ? undefined
        : secretName('commitStatusSecretName', props.commitStatusSecretName),
    driftScanInterval,
    alarms: {
      email: alarms.email,
      topic: alarms.topic,
      outOfSyncPeriods,
      criticalApps,
      webhookClientErrorPercent: integerIn(
        'alarms.webhookClientErrorPercent',
        alarms.webhookClientErrorPercent ?? 50,
        1,
        100,
      ),
    },
    worker: {
      timeout,
      memorySize: integerIn('worker.memorySize', worker.memorySize ?? 1769, 128, MAX_MEMORY_MB),
      // Lambda's SQS event source scales to at least 2 concurrent invocations.
      concurrency: Math.max(2, clusters.length * perCluster),
      reserveConcurrency: worker.reserveConcurrency ?? true,
      batchSize: integerIn('worker.batchSize', worker.batchSize ?? 5, 1, FIFO_MAX_BATCH),
    },
    api: {
      rateLimit: integerIn('api.rateLimit', api.rateLimit ?? 50, 1, 10_000),
      burstLimit: integerIn('api.burstLimit', api.burstLimit ?? 100, 1, 5_000),
    },
    deletionProtection: props.deletionProtection ?? true,
    tableName: props.tableName === undefined ? undefined : tableName(props.tableName),
    logRetention: resolveRetention(props.logRetentionDays),
  };
}
