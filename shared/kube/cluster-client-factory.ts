/**
 * Builds (and keeps) one KubeClient per cluster. Each connect kind becomes a client-node KubeConfig:
 * a kubeconfig context as written, a bearer token with TLS material from an Argo CD Secret, the pod's
 * service account, or an EKS cluster whose user is a renewing IAM token source. A cluster whose
 * definition changes (a rotated token in its Secret) gets a fresh client.
 */
import { KubeConfig } from '@kubernetes/client-node';
import type { AwsCredentialIdentity } from '@smithy/types';
import { DriftlessError } from '../errors/index.js';
import type { Clock } from '../ports/clock.js';
import type { KubeClient } from '../ports/kube-client.js';
import { assumedRoleCredentials, type StsAssumeRoleClient } from './assumed-role-credentials.js';
import { ClientNodeKubeClient } from './client-node-kube-client.js';
import type { Cluster, TlsClientConfig } from './cluster.js';
import { type AwsCredentialsProvider, EksTokenSource } from './eks-token-source.js';
import { loadKubeConfig, selectContext } from './kubeconfig-clusters.js';
import { TokenSourceAuthenticator, tokenSourceProviderName } from './token-authenticator.js';

/** Hands out the client for a cluster; the engine asks it once per destination. */
export interface KubeClientFactory {
  clientFor(cluster: Cluster): Promise<KubeClient>;
}

/** AWS access for EKS clusters; only needed when some cluster connects through EKS. */
export interface AwsAccess {
  /** The caller's own credentials, optionally for a named profile. */
  credentials(options: { readonly profile?: string }): Promise<AwsCredentialIdentity>;
  /** An STS client for the region, used to assume `roleArn`s. */
  stsFor(region: string): StsAssumeRoleClient;
}

export interface ClusterClientFactoryOptions {
  readonly clock: Clock;
  readonly aws?: AwsAccess;
  readonly requestTimeoutMs?: number;
  /** When EKS tokens are re-signed; default 10 minutes (they are valid for 15). */
  readonly tokenRenewAfterMs?: number;
}

export class ClusterClientFactory implements KubeClientFactory {
  readonly #options: ClusterClientFactoryOptions;
  readonly #clients = new Map<string, { readonly definition: string; readonly client: KubeClient }>();

  constructor(options: ClusterClientFactoryOptions) {
    this.#options = options;
  }

  async clientFor(cluster: Cluster): Promise<KubeClient> {
    const key = `${cluster.name}\n${cluster.server}`;
    // Compared in memory only; never logged, since it includes credentials.
    const definition = JSON.stringify(cluster.connect);
    const cached = this.#clients.get(key);
    if (cached && cached.definition === definition) return cached.client;
    const client = new ClientNodeKubeClient({
      kubeConfig: this.kubeConfigFor(cluster),
      ...(this.#options.requestTimeoutMs !== undefined
        ? { requestTimeoutMs: this.#options.requestTimeoutMs }
        : {}),
    });
    this.#clients.set(key, { definition, client });
    return client;
  }

  /** The client-node configuration for a cluster (exposed for tools that need a KubeConfig). */
  kubeConfigFor(cluster: Cluster): KubeConfig {
    const connect = cluster.connect;
    switch (connect.kind) {
      case 'kubeconfig': {
        const kc = loadKubeConfig(connect.file);
        selectContext(kc, connect.context, connect.file);
        return kc;
      }
      case 'service-account': {
        const kc = new KubeConfig();
        kc.loadFromCluster();
        return kc;
      }
      case 'bearer':
        return singleUserConfig(cluster, connect.tls, {
          name: cluster.name,
          ...(connect.bearerToken ? { token: connect.bearerToken } : {}),
          ...(connect.username ? { username: connect.username, password: connect.password ?? '' } : {}),
          ...tlsUser(connect.tls),
        });
      case 'eks': {
        const aws = this.#options.aws;
        if (!aws) {
          throw new DriftlessError(
            'CLUSTER_NOT_FOUND',
            `cluster "${cluster.name}" (${cluster.server}) connects through EKS but no AWS access is configured`,
          );
        }
        const own: AwsCredentialsProvider = () =>
          aws.credentials(connect.profile ? { profile: connect.profile } : {});
        const credentials = connect.roleArn
          ? assumedRoleCredentials({
              sts: aws.stsFor(connect.region),
              roleArn: connect.roleArn,
              clock: this.#options.clock,
            })
          : own;
        const source = new EksTokenSource({
          clusterName: connect.clusterName,
          region: connect.region,
          credentials,
          clock: this.#options.clock,
          ...(this.#options.tokenRenewAfterMs !== undefined
            ? { renewAfterMs: this.#options.tokenRenewAfterMs }
            : {}),
        });
        const kc = singleUserConfig(cluster, connect.tls, {
          name: cluster.name,
          authProvider: { name: tokenSourceProviderName, config: {} },
          ...tlsUser(connect.tls),
        });
        kc.addAuthenticator(new TokenSourceAuthenticator(source));
        return kc;
      }
    }
  }
}

function tlsUser(tls: TlsClientConfig): { certData?: string; keyData?: string } {
  return {
    ...(tls.certData ? { certData: tls.certData } : {}),
    ...(tls.keyData ? { keyData: tls.keyData } : {}),
  };
}

function singleUserConfig(
  cluster: Cluster,
  tls: TlsClientConfig,
  user: Parameters<KubeConfig['addUser']>[0],
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.server,
        skipTLSVerify: tls.insecure ?? false,
        ...(tls.caData ? { caData: tls.caData } : {}),
        ...(tls.serverName ? { tlsServerName: tls.serverName } : {}),
      },
    ],
    users: [user],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: user.name }],
    currentContext: cluster.name,
  });
  return kc;
}
