/**
 * Clusters from a local kubeconfig (`--kubeconfig K --context C`): one Cluster per chosen context,
 * named after the context, pointing at that context's server. Credentials stay in the file; the
 * client factory reads them through client-node when it connects.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { DriftlessError, messageOf } from '../errors/index.js';
import { type Cluster, normalizeServer } from './cluster.js';

export interface KubeconfigClustersOptions {
  readonly file: string;
  /** Contexts to expose; default: the file's current-context. */
  readonly contexts?: readonly string[];
}

export function loadKubeConfig(file: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(file);
  } catch (e) {
    throw new DriftlessError('NOT_FOUND', `kubeconfig ${file}: ${messageOf(e)}`, { cause: e });
  }
  return kc;
}

/** Points `kc` at `context`, or fails naming the context and the file. */
export function selectContext(kc: KubeConfig, context: string, file: string): void {
  const ctx = kc.getContextObject(context);
  if (!ctx) {
    const known = kc
      .getContexts()
      .map((c) => c.name)
      .join(', ');
    throw new DriftlessError(
      'CLUSTER_NOT_FOUND',
      `kubeconfig ${file}: no context "${context}" (has: ${known})`,
    );
  }
  kc.setCurrentContext(context);
  if (!kc.getCurrentCluster()) {
    throw new DriftlessError(
      'CLUSTER_NOT_FOUND',
      `kubeconfig ${file}: context "${context}" names cluster "${ctx.cluster}", which is not defined`,
    );
  }
}

export function clustersFromKubeconfig(options: KubeconfigClustersOptions): Cluster[] {
  const kc = loadKubeConfig(options.file);
  const contexts = options.contexts ?? (kc.getCurrentContext() ? [kc.getCurrentContext()] : []);
  if (contexts.length === 0) {
    throw new DriftlessError('CLUSTER_NOT_FOUND', `kubeconfig ${options.file}: no current-context; name one`);
  }
  return contexts.map((context) => {
    selectContext(kc, context, options.file);
    const server = kc.getCurrentCluster()?.server ?? '';
    return {
      name: context,
      server: normalizeServer(server),
      connect: { kind: 'kubeconfig', file: options.file, context },
    };
  });
}
