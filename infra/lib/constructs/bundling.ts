import { fileURLToPath } from 'node:url';

/**
 * How every function is bundled, in one place so the CDK stack and `npm run bench -- bundles`
 * measure the same artefact. ESM output, because shared code reads `import.meta.url`; the banner
 * gives bundled CommonJS dependencies the `require` that ESM lacks. The AWS SDK v3 is bundled
 * rather than taken from the runtime: its version is then the lockfile's, and esbuild keeps only
 * the clients and commands we import.
 */
export const BUNDLE = {
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  banner:
    "import { createRequire as __driftlessRequire } from 'node:module'; const require = __driftlessRequire(import.meta.url);",
} as const;

/** The functions, each `functions/<name>/handler.ts` exporting `handler`. */
export const FUNCTION_NAMES = ['webhook', 'sync-worker', 'drift-scan', 'api'] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The repository root: functions/, shared/ and the lockfile esbuild resolves against. */
export const SOURCE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function entryOf(name: FunctionName, root: string = SOURCE_ROOT): string {
  return `${root.replace(/\/$/, '')}/functions/${name}/handler.ts`;
}
