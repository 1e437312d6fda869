/**
 * The clusters the worker deploys to: the EKS clusters the stack lists (DRIFTLESS_CLUSTERS, each
 * resolved once through DescribeCluster) plus those the Argo CD cluster Secrets declare, connected
 * with IAM tokens. A Lambda has no service account of a cluster, so the in-cluster destination is
 * disabled.
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { type Cluster, ClusterClientFactory, ClusterRegistry, eksCluster } from '../shared/kube/index.js';
import type { ClusterAccess } from '../shared/pipeline/deps.js';
import type { Clock } from '../shared/ports/clock.js';
import { ENV, type Environment, jsonListSetting } from './environment.js';

interface ClusterSetting {
  readonly name: string;
  readonly clusterName: string;
  readonly region: string;
  readonly roleArn?: string;
  readonly namespaces?: readonly string[];
}

export function eksAccess(options: { readonly env: Environment; readonly clock: Clock }): ClusterAccess {
  const { env, clock } = options;
  const factory = new ClusterClientFactory({
    clock,
    aws: {
      credentials: async () => new STSClient({}).config.credentials(),
      stsFor: (region) => new STSClient({ region }),
    },
  });
  let configured: Promise<Cluster[]> | undefined;
  const stackClusters = (): Promise<Cluster[]> => {
    configured ??= Promise.all(
      jsonListSetting<ClusterSetting>(env, ENV.clusters).map((c) =>
        eksCluster({
          eks: new EKSClient({ region: c.region }),
          clusterName: c.clusterName,
          region: c.region,
          name: c.name,
          ...(c.roleArn ? { roleArn: c.roleArn } : {}),
          ...(c.namespaces ? { namespaces: c.namespaces } : {}),
        }),
      ),
    ).catch((e: unknown) => {
      configured = undefined;
      throw e;
    });
    return configured;
  };
  return {
    async clientFor({ app, config }) {
      const registry = new ClusterRegistry({
        clusters: [...(await stackClusters()), ...config.clusters],
        inCluster: false,
      });
      return factory.clientFor(registry.resolve(app.spec.destination));
    },
  };
}
