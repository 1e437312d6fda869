/**
 * What each function's bundle carries, from esbuild's metafile with the stack's settings: only the
 * worker carries the kubectl/helm runner, the EKS and STS clients, the Kubernetes client and the
 * render and sync engine; git (isomorphic-git and the config loader) only where the configuration
 * is read, the webhook and the worker. The api builds its application requests from the table
 * and the queue, and the drift scan leaves the ApplicationSets to the worker, so neither carries
 * any of it. Guards the split of functions/<name>/deps.ts against a stray import.
 */
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE, entryOf, type FunctionName, SOURCE_ROOT } from '../../infra/lib/constructs/bundling.js';

const WORKER_ADAPTERS = [
  'shared/tools/process-tool-runner.ts',
  'functions/eks-access.ts',
  'node_modules/@aws-sdk/client-eks/',
  'node_modules/@aws-sdk/client-sts/',
];

const ENGINE = ['shared/desired/', 'shared/render/', 'shared/sync/step.ts', 'shared/sync/execute.ts'];

const KUBERNETES_CLIENT = ['node_modules/@kubernetes/client-node/', 'shared/kube/client-node-kube-client.ts'];

const GIT = ['node_modules/isomorphic-git/', 'functions/config-from-git.ts', 'functions/secret-sources.ts'];

const LIGHT = ['webhook', 'drift-scan', 'api'] as const;

async function inputsOf(name: FunctionName): Promise<string[]> {
  const result = await build({
    entryPoints: [entryOf(name)],
    absWorkingDir: SOURCE_ROOT,
    outfile: `${name}.mjs`,
    write: false,
    bundle: true,
    platform: 'node',
    target: BUNDLE.target,
    format: BUNDLE.format,
    mainFields: [...BUNDLE.mainFields],
    metafile: true,
    logLevel: 'error',
  });
  const metafile: Metafile = result.metafile;
  // Inputs that contribute bytes to the output (tree-shaken modules are listed with none).
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}

const carried = (inputs: readonly string[], prefixes: readonly string[]) =>
  prefixes.filter((prefix) => inputs.some((path) => path.includes(prefix)));

describe('function bundles', () => {
  const inputs = new Map<FunctionName, string[]>();
  beforeAll(async () => {
    const names: FunctionName[] = ['webhook', 'drift-scan', 'api', 'sync-worker'];
    const built = await Promise.all(names.map(inputsOf));
    for (const [i, name] of names.entries()) inputs.set(name, built[i] ?? []);
  }, 60_000);

  const nothingOf = (prefixes: readonly string[], names: readonly FunctionName[]) =>
    names.map((name) => ({ name, carried: carried(inputs.get(name) ?? [], prefixes) }));
  const none = (names: readonly FunctionName[]) => names.map((name) => ({ name, carried: [] }));

  it('keep the cluster and tool adapters in the sync-worker', () => {
    expect(carried(inputs.get('sync-worker') ?? [], WORKER_ADAPTERS)).toEqual(WORKER_ADAPTERS);
    expect(nothingOf(WORKER_ADAPTERS, LIGHT)).toEqual(none(LIGHT));
  });

  it('keep the render and sync engine and the Kubernetes client in the sync-worker', () => {
    expect(carried(inputs.get('sync-worker') ?? [], ENGINE)).toEqual(ENGINE);
    expect(carried(inputs.get('sync-worker') ?? [], KUBERNETES_CLIENT)).toEqual(KUBERNETES_CLIENT);
    expect(nothingOf(ENGINE, LIGHT)).toEqual(none(LIGHT));
    expect(nothingOf(KUBERNETES_CLIENT, LIGHT)).toEqual(none(LIGHT));
  });

  it('carry git only where the configuration is read: the webhook and the sync-worker', () => {
    for (const name of ['webhook', 'sync-worker'] as const) {
      expect({ name, carried: carried(inputs.get(name) ?? [], GIT) }).toEqual({ name, carried: GIT });
    }
    expect(nothingOf(GIT, ['drift-scan', 'api'])).toEqual(none(['drift-scan', 'api']));
  });
});
