/**
 * The cluster the local platform deploys to. A kubeconfig with a current context (or `--context`)
 * wins: `--kubeconfig`, else the first file of $KUBECONFIG, else ~/.kube/config. With none, a
 * sandbox: the Kubernetes API emulator on loopback, with its kubeconfig written under the state
 * directory so the user can look at it with kubectl. The sandbox keeps its objects in memory only.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DriftlessError } from '../../shared/errors/index.js';
import { type Cluster, clustersFromKubeconfig, loadKubeConfig } from '../../shared/kube/index.js';
// The emulator lives with the test support code; the sandbox is its one product use.
import { startKubeEmulator } from '../../test/support/kube-emulator/index.js';

export type TargetCluster =
  | {
      readonly kind: 'kubeconfig';
      readonly cluster: Cluster;
      readonly kubeconfig: string;
      stop(): Promise<void>;
    }
  | {
      readonly kind: 'sandbox';
      readonly cluster: Cluster;
      readonly kubeconfig: string;
      readonly url: string;
      stop(): Promise<void>;
    };

export interface ChooseTargetOptions {
  /** `--kubeconfig`: must exist when given. */
  readonly kubeconfig?: string;
  /** `--context`: must exist in the kubeconfig when given. */
  readonly context?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where the sandbox's kubeconfig is written. */
  readonly stateDir: string;
  /** How fast the sandbox's simulated controllers move (ms per step); default 50. */
  readonly sandboxStepMs?: number;
}

export const SANDBOX_KUBECONFIG = 'sandbox.kubeconfig';

export async function chooseTargetCluster(options: ChooseTargetOptions): Promise<TargetCluster> {
  const file = kubeconfigCandidate(options);
  if (options.kubeconfig !== undefined && !existsSync(options.kubeconfig)) {
    throw new DriftlessError('NOT_FOUND', `--kubeconfig ${options.kubeconfig}: no such file`);
  }
  const usable = existsSync(file) && (options.context !== undefined || hasCurrentContext(file));
  if (usable) {
    const [cluster] = clustersFromKubeconfig({
      file,
      ...(options.context === undefined ? {} : { contexts: [options.context] }),
    });
    if (cluster === undefined)
      throw new DriftlessError('CLUSTER_NOT_FOUND', `kubeconfig ${file}: no context`);
    return { kind: 'kubeconfig', cluster, kubeconfig: file, stop: async () => {} };
  }
  if (options.context !== undefined) {
    throw new DriftlessError('CLUSTER_NOT_FOUND', `--context ${options.context}: no kubeconfig at ${file}`);
  }
  const emulator = await startKubeEmulator({ controller: { stepMs: options.sandboxStepMs ?? 50 } });
  const kubeconfig = join(options.stateDir, SANDBOX_KUBECONFIG);
  await emulator.writeKubeconfig(kubeconfig);
  const [cluster] = clustersFromKubeconfig({ file: kubeconfig });
  if (cluster === undefined) {
    await emulator.stop();
    throw new DriftlessError('INTERNAL', `sandbox kubeconfig ${kubeconfig}: no context`);
  }
  return { kind: 'sandbox', cluster, kubeconfig, url: emulator.url, stop: () => emulator.stop() };
}

function kubeconfigCandidate(options: ChooseTargetOptions): string {
  if (options.kubeconfig !== undefined) return options.kubeconfig;
  const fromEnv = options.env.KUBECONFIG?.split(':').find((p) => p !== '');
  return fromEnv ?? join(options.env.HOME ?? homedir(), '.kube', 'config');
}

function hasCurrentContext(file: string): boolean {
  // client-node reports an absent current-context as undefined, null or '' depending on the file.
  return Boolean(loadKubeConfig(file).getCurrentContext());
}
