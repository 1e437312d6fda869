/**
 * The clusters Applications may deploy to, and Argo CD's rules for picking one from a
 * `destination`: by `server` (URL) or by `name`, never both; a name shared by two clusters is an
 * error; the in-cluster destination (`https://kubernetes.default.svc`, `in-cluster`) exists unless
 * disabled, and a configured cluster with that server replaces it.
 */
import { DriftlessError } from '../errors/index.js';
import type { ApplicationDestination } from '../model/argo-types.js';
import {
  type Cluster,
  type ClusterConnect,
  inClusterName,
  inClusterServer,
  normalizeServer,
} from './cluster.js';

export interface ClusterRegistryOptions {
  readonly clusters: readonly Cluster[];
  /**
   * How to reach the in-cluster destination: default the service account of the pod we run in;
   * another connect to map it elsewhere (say, the EKS cluster Driftless is deployed for); false to
   * disable it as Argo CD's `cluster.inClusterEnabled: "false"` does.
   */
  readonly inCluster?: ClusterConnect | false;
}

export class ClusterRegistry {
  readonly #clusters: readonly Cluster[];

  constructor(options: ClusterRegistryOptions) {
    const clusters: Cluster[] = [];
    const servers = new Map<string, Cluster>();
    for (const cluster of options.clusters) {
      const server = normalizeServer(cluster.server);
      const previous = servers.get(server);
      if (previous) {
        throw new DriftlessError(
          'INVALID_MANIFEST',
          `clusters "${previous.name}" and "${cluster.name}" both declare server ${server}`,
        );
      }
      const normalized = { ...cluster, server };
      servers.set(server, normalized);
      clusters.push(normalized);
    }
    const inCluster = options.inCluster ?? { kind: 'service-account' };
    if (inCluster !== false && !servers.has(inClusterServer)) {
      clusters.push({ name: inClusterName, server: inClusterServer, connect: inCluster });
    }
    this.#clusters = clusters;
  }

  list(): readonly Cluster[] {
    return this.#clusters;
  }

  /** The cluster an Application's destination points at. */
  resolve(destination: Pick<ApplicationDestination, 'server' | 'name'>): Cluster {
    const { server, name } = destination;
    if (server && name) {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `destination: can't have both name and server defined: ${name} ${server}`,
      );
    }
    if (server) {
      const wanted = normalizeServer(server);
      const found = this.#clusters.find((c) => c.server === wanted);
      if (!found) {
        throw new DriftlessError(
          'CLUSTER_NOT_FOUND',
          `destination server "${server}": no such cluster is configured`,
          {
            context: { server },
          },
        );
      }
      return found;
    }
    if (name) {
      const found = this.#clusters.filter((c) => c.name === name);
      if (found.length > 1) {
        throw new DriftlessError(
          'CLUSTER_NOT_FOUND',
          `destination name "${name}": there are ${found.length} clusters with this name: ${found.map((c) => c.server).join(', ')}`,
          { context: { name } },
        );
      }
      const [only] = found;
      if (!only) {
        throw new DriftlessError(
          'CLUSTER_NOT_FOUND',
          `destination name "${name}": there are no clusters with this name`,
          {
            context: { name },
          },
        );
      }
      return only;
    }
    throw new DriftlessError('INVALID_MANIFEST', 'destination: either server or name must be set');
  }
}
