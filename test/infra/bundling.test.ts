import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CfnElement } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesised, synthStack } from './synth-stack.js';

const run = promisify(execFile);

let s: Synthesised;

// The one synth in the suite that runs esbuild for real (as `cdk synth` does, without Docker);
// about a second or more per function on a busy two-core machine.
beforeAll(() => {
  s = synthStack({
    bundle: true,
    props: {
      clusters: [{ eksClusterName: 'prod', access: { kind: 'cluster-admin' } }],
      configRepository: { url: 'https://github.com/acme/gitops.git' },
    },
  });
}, 180_000);

function assetDirOf(fn: { node: { defaultChild?: unknown } }): string {
  const id = s.stack.getLogicalId(fn.node.defaultChild as CfnElement);
  const path = s.template.toJSON().Resources[id].Metadata['aws:asset:path'] as string;
  return join(s.outdir, path);
}

describe('function bundles', () => {
  it('are built locally by esbuild: one minified ESM file with its source map per function', () => {
    for (const fn of s.stack.driftless.functions.all) {
      const dir = assetDirOf(fn.function);
      expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      const size = statSync(join(dir, 'index.mjs')).size;
      expect(size).toBeGreaterThan(10_000);
      // Minified: bundles of these dependencies are megabytes unminified.
      expect(size).toBeLessThan(8 * 1024 * 1024);
    }
  });

  it('load in Node and export a handler function, without AWS configuration', async () => {
    for (const fn of s.stack.driftless.functions.all) {
      const file = join(assetDirOf(fn.function), 'index.mjs');
      const { stdout } = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`,
        ],
        { env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 },
      );
      expect(`${fn.node.id}: ${stdout.trim()}`).toBe(`${fn.node.id}: function`);
    }
  });
});
