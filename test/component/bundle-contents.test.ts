/**
 * What each function's bundle carries, from esbuild's metafile with the stack's settings: only the
 * worker carries the kubectl/helm runner and the EKS and STS clients; the webhook and the drift
 * scan carry no render or sync engine (the api still does: it reaches them through createPlatform,
 * whose read side lives in the same module as processMessage); the api carries no git
 * configuration loader. Guards the split of functions/<name>/deps.ts against a stray import.
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

  it('keep the cluster and tool adapters in the sync-worker', () => {
    expect(carried(inputs.get('sync-worker') ?? [], WORKER_ADAPTERS)).toEqual(WORKER_ADAPTERS);
    for (const name of ['webhook', 'drift-scan', 'api'] as const) {
      expect({ name, carried: carried(inputs.get(name) ?? [], WORKER_ADAPTERS) }).toEqual({
        name,
        carried: [],
      });
    }
  });

  it('keep the render and sync engine out of the webhook and the drift scan', () => {
    expect(carried(inputs.get('sync-worker') ?? [], ENGINE)).toEqual(ENGINE);
    for (const name of ['webhook', 'drift-scan'] as const) {
      expect({ name, carried: carried(inputs.get(name) ?? [], ENGINE) }).toEqual({ name, carried: [] });
    }
  });

  it('load the config repository only where the pipeline entry reads the configuration', () => {
    const loader = ['functions/config-from-git.ts', 'functions/secret-sources.ts'];
    expect(carried(inputs.get('webhook') ?? [], loader)).toEqual(loader);
    expect(carried(inputs.get('drift-scan') ?? [], loader)).toEqual(loader);
    expect(carried(inputs.get('api') ?? [], loader)).toEqual([]);
  });
});
