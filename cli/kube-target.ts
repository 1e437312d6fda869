/**
 * Which cluster an Application goes to when the CLI diffs or syncs it. The kubeconfig context
 * (`--kubeconfig`, default $KUBECONFIG or ~/.kube/config; `--context`, default the current one) is
 * the cluster for the in-cluster destination (`https://kubernetes.default.svc`, `in-cluster`) and
 * for any destination naming that context's server; Argo CD cluster Secrets among the loaded
 * objects declare the others. A Secret for the context's own server is left out: the context's
 * credentials are the ones the user chose. Every client counts its requests, for the summary.
 *
 * EKS clusters (Secrets with `awsAuthConfig`) are reached with IAM tokens signed with the AWS SDK's
 * default credentials (environment, shared config and credentials files with `profile`, SSO, web
 * identity, container or instance role), after assuming `roleARN` when set. A Secret that names
 * no CA gets the cluster's CA from EKS DescribeCluster. The SDK clients are built with default
 * settings, so AWS_REGION, AWS_PROFILE and AWS_ENDPOINT_URL(_STS, _EKS) apply as usual.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { DriftlessError, messageOf } from '../shared/errors/index.js';
import {
  type AwsAccess,
  type Cluster,
  ClusterClientFactory,
  type ClusterConnect,
  ClusterRegistry,
  clustersFromKubeconfig,
  describeEksEndpoint,
  type EksDescribeClient,
  normalizeServer,
  regionOfEksServer,
} from '../shared/kube/index.js';
import type { Application, ClusterSecret } from '../shared/model/argo-types.js';
import type { KubeObject, ResourceKey } from '../shared/model/kube-object.js';
import { type Clock, systemClock } from '../shared/ports/clock.js';
import type {
  ApiResource,
  ApplyOptions,
  DeleteOptions,
  KubeClient,
  ListOptions,
} from '../shared/ports/kube-client.js';

export interface KubeTargetsOptions {
  /** `--kubeconfig`; when absent, $KUBECONFIG (its first file) or ~/.kube/config if it exists. */
  readonly kubeconfig?: string;
  /** `--context`; default the kubeconfig's current-context. */
  readonly context?: string;
  /** Argo CD cluster Secrets found among the loaded objects. */
  readonly clusterSecrets?: readonly ClusterSecret[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  /** AWS access for EKS clusters; default sdkEksAccess(). */
  readonly aws?: EksAccess;
}

/** What EKS clusters need from AWS: IAM token credentials, and DescribeCluster for a missing CA. */
export interface EksAccess extends AwsAccess {
  /** An EKS client for the region. */
  eksFor(region: string): EksDescribeClient;
}

/**
 * EKS access through the AWS SDK: credentials from its default provider chain (for a `profile`,
 * that profile of the shared files), STS and EKS clients per region. Clients are built on first
 * use and kept, so credentials are resolved once and refreshed by the SDK as they near expiry.
 */
export function sdkEksAccess(): EksAccess {
  const own = new Map<string, STSClient>();
  const sts = new Map<string, STSClient>();
  const eks = new Map<string, EKSClient>();
  return {
    credentials: ({ profile }) => {
      const id = profile ?? '';
      let client = own.get(id);
      if (client === undefined) {
        client = new STSClient(profile === undefined ? {} : { profile });
        own.set(id, client);
      }
      return client.config.credentials();
    },
    stsFor: (region) => {
      let client = sts.get(region);
      if (client === undefined) {
        client = new STSClient({ region });
        sts.set(region, client);
      }
      return client;
    },
    eksFor: (region) => {
      let client = eks.get(region);
      if (client === undefined) {
        client = new EKSClient({ region });
        eks.set(region, client);
      }
      return client;
    },
  };
}

export interface KubeTarget {
  readonly cluster: Cluster;
  readonly kube: CountingKubeClient;
}

export class KubeTargets {
  readonly #registry: ClusterRegistry;
  readonly #factory: ClusterClientFactory;
  readonly #aws: EksAccess;
  readonly #targets = new Map<string, Promise<KubeTarget>>();
  /** Secrets that could not become clusters, by server and by name, reported when chosen. */
  readonly #broken = new Map<string, string>();
  /** Names of cluster Secrets for the context's own server: they mean the context. */
  readonly #aliases = new Map<string, Cluster>();
  readonly #describe: string;

  constructor(options: KubeTargetsOptions) {
    const env = options.env ?? process.env;
    const file = kubeconfigFile(options.kubeconfig, env);
    const local =
      file === undefined
        ? undefined
        : clustersFromKubeconfig({ file, ...(options.context ? { contexts: [options.context] } : {}) })[0];
    if (file === undefined && options.context !== undefined) {
      throw new DriftlessError('CLUSTER_NOT_FOUND', `--context ${options.context}: no kubeconfig found`);
    }
    const clusters: Cluster[] = local === undefined ? [] : [local];
    for (const secret of options.clusterSecrets ?? []) {
      if (local !== undefined && normalizeServer(secret.server) === local.server) {
        if (secret.name !== '') this.#aliases.set(secret.name, local);
        continue;
      }
      try {
        clusters.push(clusterOfSecret(secret, env));
      } catch (e) {
        this.#broken.set(normalizeServer(secret.server), messageOf(e));
        if (secret.name !== '') this.#broken.set(`name:${secret.name}`, messageOf(e));
      }
    }
    this.#registry = new ClusterRegistry({ clusters, inCluster: local?.connect ?? false });
    this.#aws = options.aws ?? sdkEksAccess();
    this.#factory = new ClusterClientFactory({ clock: options.clock ?? systemClock, aws: this.#aws });
    const secrets = clusters.filter((c) => c !== local).map((c) => `${c.name} (${c.server})`);
    this.#describe = [
      local === undefined
        ? `no kubeconfig (looked at ${file ?? kubeconfigCandidate(options.kubeconfig, env)})`
        : `kubeconfig context "${local.name}" (${local.server})`,
      secrets.length === 0 ? 'no cluster Secrets' : `cluster Secrets: ${secrets.join(', ')}`,
    ].join('; ');
  }

  /** The cluster and client for an Application's destination, or an error naming the destination. */
  async forApp(app: Application): Promise<KubeTarget> {
    const { server, name } = app.spec.destination;
    let cluster: Cluster | undefined = name && !server ? this.#aliases.get(name) : undefined;
    if (cluster === undefined) cluster = this.#resolve(app);
    const id = `${cluster.name}\n${cluster.server}`;
    let target = this.#targets.get(id);
    if (target === undefined) {
      target = this.#connect(cluster);
      this.#targets.set(id, target);
      // A failed DescribeCluster (throttled, say) is tried again by the next app.
      target.catch(() => this.#targets.delete(id));
    }
    return target;
  }

  async #connect(cluster: Cluster): Promise<KubeTarget> {
    const complete = await this.#withEksCa(cluster);
    return { cluster: complete, kube: new CountingKubeClient(await this.#factory.clientFor(complete)) };
  }

  /**
   * An EKS cluster's API serves a certificate of the cluster's own CA, which no system trust
   * store holds: without one in the Secret, DescribeCluster supplies it.
   */
  async #withEksCa(cluster: Cluster): Promise<Cluster> {
    const { connect } = cluster;
    if (connect.kind !== 'eks' || connect.tls.caData || connect.tls.insecure) return cluster;
    const endpoint = await describeEksEndpoint({
      eks: this.#aws.eksFor(connect.region),
      clusterName: connect.clusterName,
      region: connect.region,
    });
    if (normalizeServer(endpoint.server) !== cluster.server) {
      throw new DriftlessError(
        'CLUSTER_NOT_FOUND',
        `cluster "${cluster.name}" (${cluster.server}): awsAuthConfig.clusterName "${connect.clusterName}" in ${connect.region} is served at ${endpoint.server}, not at the Secret's server`,
        { context: { cluster: cluster.name, server: cluster.server, eksServer: endpoint.server } },
      );
    }
    return { ...cluster, connect: { ...connect, tls: { ...connect.tls, caData: endpoint.caData } } };
  }

  #resolve(app: Application): Cluster {
    const { server, name } = app.spec.destination;
    try {
      return this.#registry.resolve({
        ...(server ? { server } : {}),
        ...(name ? { name } : {}),
      });
    } catch (e) {
      const broken = server ? this.#broken.get(normalizeServer(server)) : this.#broken.get(`name:${name}`);
      const reason = broken ?? `${messageOf(e)} (known: ${this.#describe})`;
      throw new DriftlessError('CLUSTER_NOT_FOUND', `app "${app.metadata.name}": ${reason}`, {
        context: { app: app.metadata.name, server, name },
      });
    }
  }
}

function kubeconfigCandidate(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (explicit !== undefined) return explicit;
  const fromEnv = env.KUBECONFIG?.split(':').find((p) => p !== '');
  return fromEnv ?? join(env.HOME ?? homedir(), '.kube', 'config');
}

/** The kubeconfig to use; an explicit one must exist, a default one may be absent. */
function kubeconfigFile(
  explicit: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const candidate = kubeconfigCandidate(explicit, env);
  if (existsSync(candidate)) return candidate;
  if (explicit !== undefined) {
    throw new DriftlessError('NOT_FOUND', `--kubeconfig ${explicit}: no such file`);
  }
  return undefined;
}

/** An Argo CD cluster Secret as a Cluster the client factory can connect to. */
export function clusterOfSecret(
  secret: ClusterSecret,
  env: Readonly<Record<string, string | undefined>> = {},
): Cluster {
  const { config } = secret;
  const where = `cluster Secret ${secret.secretName} (${secret.server})`;
  const tls = { ...config.tlsClientConfig };
  let connect: ClusterConnect;
  if (config.execProviderConfig !== undefined) {
    throw new DriftlessError(
      'CLUSTER_NOT_FOUND',
      `${where}: config.execProviderConfig is not supported; use awsAuthConfig or bearerToken`,
    );
  } else if (config.awsAuthConfig !== undefined) {
    const region = regionOfEksServer(secret.server) ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (region === undefined) {
      throw new DriftlessError('CLUSTER_NOT_FOUND', `${where}: cannot tell the AWS region; set AWS_REGION`);
    }
    connect = {
      kind: 'eks',
      clusterName: config.awsAuthConfig.clusterName,
      region,
      ...(config.awsAuthConfig.roleARN ? { roleArn: config.awsAuthConfig.roleARN } : {}),
      ...(config.awsAuthConfig.profile ? { profile: config.awsAuthConfig.profile } : {}),
      tls,
    };
  } else {
    connect = {
      kind: 'bearer',
      ...(config.bearerToken ? { bearerToken: config.bearerToken } : {}),
      ...(config.username ? { username: config.username, password: config.password ?? '' } : {}),
      tls,
    };
  }
  return {
    name: secret.name,
    server: normalizeServer(secret.server),
    ...(secret.namespaces.length > 0 ? { namespaces: secret.namespaces } : {}),
    ...(secret.clusterResources ? { clusterResources: true } : {}),
    ...(secret.project ? { project: secret.project } : {}),
    connect,
  };
}

/**
 * Counts calls by verb (dry-run writes apart) for the CLI's summary. These are calls through the
 * port: a LIST of several pages or a discovery lookup is one call.
 */
export class CountingKubeClient implements KubeClient {
  readonly #inner: KubeClient;
  readonly #counts = new Map<string, number>();

  constructor(inner: KubeClient) {
    this.#inner = inner;
  }

  /** Calls by verb, e.g. `{ get: 3, apply: 2, 'apply (dry run)': 2 }`. */
  counts(): Readonly<Record<string, number>> {
    return Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  total(): number {
    let sum = 0;
    for (const n of this.#counts.values()) sum += n;
    return sum;
  }

  #count(verb: string, dryRun?: boolean): void {
    const name = dryRun ? `${verb} (dry run)` : verb;
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + 1);
  }

  resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    return this.#inner.resourceFor(apiVersion, kind);
  }
  invalidateDiscovery(): void {
    this.#inner.invalidateDiscovery();
  }
  serverResources(): Promise<readonly ApiResource[]> {
    return this.#inner.serverResources();
  }
  get(apiVersion: string, key: ResourceKey): Promise<KubeObject | undefined> {
    this.#count('get');
    return this.#inner.get(apiVersion, key);
  }
  list(apiVersion: string, kind: string, options?: ListOptions): Promise<KubeObject[]> {
    this.#count('list');
    return this.#inner.list(apiVersion, kind, options);
  }
  apply(obj: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    this.#count('apply', options.dryRun);
    return this.#inner.apply(obj, options);
  }
  create(obj: KubeObject, options?: { readonly dryRun?: boolean; readonly fieldManager?: string }) {
    this.#count('create', options?.dryRun);
    return this.#inner.create(obj, options);
  }
  replace(obj: KubeObject, options?: { readonly dryRun?: boolean; readonly fieldManager?: string }) {
    this.#count('replace', options?.dryRun);
    return this.#inner.replace(obj, options);
  }
  delete(apiVersion: string, key: ResourceKey, options?: DeleteOptions): Promise<boolean> {
    this.#count('delete', options?.dryRun);
    return this.#inner.delete(apiVersion, key, options);
  }
  version(): Promise<string> {
    return this.#inner.version();
  }
}
