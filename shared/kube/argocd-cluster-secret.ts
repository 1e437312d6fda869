/**
 * Reads Argo CD declarative cluster Secrets (label `argocd.argoproj.io/secret-type: cluster`):
 * `name`, `server`, `namespaces` (comma separated), `clusterResources`, `project` and `config`, a
 * JSON document with `bearerToken`, `username`/`password`, `tlsClientConfig` and `awsAuthConfig`.
 * Values are read from `data` (base64) with `stringData` taking precedence, so Secrets work both as
 * read from the cluster and as written in git.
 */
import { DriftlessError, messageOf } from '../errors/index.js';
import type { KubeObject } from '../model/kube-object.js';
import { type Cluster, type ClusterConnect, normalizeServer, type TlsClientConfig } from './cluster.js';

export const clusterSecretTypeLabel = 'argocd.argoproj.io/secret-type';

export interface ClusterSecretOptions {
  /** Region for `awsAuthConfig` clusters whose server URL does not name one. */
  readonly defaultRegion?: string;
}

interface ClusterConfigDoc {
  readonly bearerToken?: string;
  readonly username?: string;
  readonly password?: string;
  readonly tlsClientConfig?: TlsClientConfig;
  readonly awsAuthConfig?: {
    readonly clusterName?: string;
    readonly roleARN?: string;
    readonly profile?: string;
  };
  readonly execProviderConfig?: unknown;
}

export function isClusterSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && obj.metadata.labels?.[clusterSecretTypeLabel] === 'cluster';
}

/** `https://ABC.gr7.eu-west-1.eks.amazonaws.com` → `eu-west-1`. */
export function regionOfEksServer(server: string): string | undefined {
  let host: string;
  try {
    host = new URL(server).hostname;
  } catch {
    return undefined;
  }
  return /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.eks\.amazonaws\.com(?:\.cn)?$/.exec(host)?.[1];
}

function secretValues(secret: KubeObject): ReadonlyMap<string, string> {
  const values = new Map<string, string>();
  const data = (secret.data ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string') values.set(key, Buffer.from(value, 'base64').toString('utf8'));
  }
  const stringData = (secret.stringData ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') values.set(key, value);
  }
  return values;
}

export function clusterFromSecret(secret: KubeObject, options: ClusterSecretOptions = {}): Cluster {
  const where = `Secret ${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''}`;
  const fail = (message: string): never => {
    throw new DriftlessError('INVALID_MANIFEST', `${where}: ${message}`, {
      context: { secret: secret.metadata.name, namespace: secret.metadata.namespace },
    });
  };
  if (!isClusterSecret(secret)) fail(`not labelled ${clusterSecretTypeLabel}: cluster`);
  const values = secretValues(secret);
  const server = values.get('server');
  if (!server) return fail('data.server is required');
  let config: ClusterConfigDoc = {};
  const rawConfig = values.get('config');
  if (rawConfig !== undefined && rawConfig.trim() !== '') {
    try {
      config = JSON.parse(rawConfig) as ClusterConfigDoc;
    } catch (e) {
      fail(`data.config is not valid JSON: ${messageOf(e)}`);
    }
  }
  const tls: TlsClientConfig = config.tlsClientConfig ?? {};
  let connect: ClusterConnect;
  if (config.execProviderConfig !== undefined) {
    return fail('data.config.execProviderConfig is not supported; use awsAuthConfig or bearerToken');
  } else if (config.awsAuthConfig !== undefined) {
    const aws = config.awsAuthConfig;
    if (!aws.clusterName) return fail('data.config.awsAuthConfig.clusterName is required');
    const region = regionOfEksServer(server) ?? options.defaultRegion;
    if (!region) return fail(`cannot tell the AWS region of ${server}; configure a default region`);
    connect = {
      kind: 'eks',
      clusterName: aws.clusterName,
      region,
      ...(aws.roleARN ? { roleArn: aws.roleARN } : {}),
      ...(aws.profile ? { profile: aws.profile } : {}),
      tls,
    };
  } else {
    connect = {
      kind: 'bearer',
      ...(config.bearerToken ? { bearerToken: config.bearerToken } : {}),
      ...(config.username ? { username: config.username } : {}),
      ...(config.password ? { password: config.password } : {}),
      tls,
    };
  }
  const namespaces = (values.get('namespaces') ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const project = values.get('project');
  return {
    name: values.get('name') ?? '',
    server: normalizeServer(server),
    ...(namespaces.length > 0 ? { namespaces } : {}),
    ...(values.get('clusterResources') === 'true' ? { clusterResources: true } : {}),
    ...(project ? { project } : {}),
    connect,
  };
}
