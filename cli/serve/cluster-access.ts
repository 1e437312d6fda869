/**
 * How the local platform reaches an Application's destination: the target cluster stands for the
 * in-cluster destination (and for its own server URL); Argo CD cluster Secrets in the config declare
 * the others, EKS ones signed with the AWS SDK's default credentials. A Secret for the target's
 * own server is left out, since the user chose the target's credentials.
 */
import { STSClient } from '@aws-sdk/client-sts';
import {
  type Cluster,
  ClusterClientFactory,
  ClusterRegistry,
  normalizeServer,
} from '../../shared/kube/index.js';
import type { ClusterAccess } from '../../shared/pipeline/index.js';
import type { Clock } from '../../shared/ports/clock.js';

export interface LocalClusterAccessOptions {
  readonly target: Cluster;
  readonly clock: Clock;
}

export function localClusterAccess(options: LocalClusterAccessOptions): ClusterAccess {
  const { target } = options;
  const factory = new ClusterClientFactory({
    clock: options.clock,
    aws: {
      credentials: async ({ profile }) =>
        new STSClient(profile === undefined ? {} : { profile }).config.credentials(),
      stsFor: (region) => new STSClient({ region }),
    },
  });
  return {
    async clientFor({ app, config }) {
      const others = config.clusters.filter((c) => normalizeServer(c.server) !== target.server);
      const registry = new ClusterRegistry({ clusters: [target, ...others], inCluster: target.connect });
      return factory.clientFor(registry.resolve(app.spec.destination));
    },
  };
}
