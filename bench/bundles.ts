/**
 * `npm run bench -- bundles`: each Lambda bundle as the CDK stack builds it (same esbuild
 * settings, infra/lib/constructs/bundling.ts): minified size, and the time Node takes to load and
 * initialise it (a fresh `node` per sample importing the bundle; the median of several). Then,
 * for every bundle, what makes it heavy, from esbuild's metafile: its five packages with the most
 * bytes in the output, so each function's load is visible. Options: --samples=N (default 5).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import {
  BUNDLE,
  entryOf,
  FUNCTION_NAMES,
  type FunctionName,
  SOURCE_ROOT,
} from '../infra/lib/constructs/bundling.js';

const execFileAsync = promisify(execFile);

interface BundleFigures {
  readonly name: FunctionName;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly buildMs: number;
  readonly importMs: number;
  readonly processMs: number;
  readonly metafile: Metafile;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function bundle(
  name: FunctionName,
  outdir: string,
): Promise<Omit<BundleFigures, 'importMs' | 'processMs'>> {
  const file = join(outdir, name, 'index.mjs');
  const started = performance.now();
  const result = await build({
    entryPoints: [entryOf(name)],
    absWorkingDir: SOURCE_ROOT,
    outfile: file,
    bundle: true,
    platform: 'node',
    target: BUNDLE.target,
    format: BUNDLE.format,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    sourcesContent: false,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    metafile: true,
    logLevel: 'error',
  });
  const buildMs = performance.now() - started;
  const bytes = (await stat(file)).size;
  const gzipBytes = gzipSync(await readFile(file)).length;
  return { name, file, bytes, gzipBytes, buildMs, metafile: result.metafile };
}

// Runs in a fresh process: the time of the dynamic import is what a cold start pays for our code
// (module evaluation; clients are built on the first invocation).
const PROBE =
  'const t = performance.now(); const m = await import(process.argv[1]); const ms = performance.now() - t;' +
  "if (typeof m.handler !== 'function') throw new Error('no handler export'); console.log(ms);";

async function timeLoad(file: string, samples: number): Promise<{ importMs: number; processMs: number }> {
  const imports: number[] = [];
  const processes: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', PROBE, file], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
    });
    processes.push(performance.now() - started);
    imports.push(Number(stdout.trim()));
  }
  return { importMs: median(imports), processMs: median(processes) };
}

/** Output bytes per package (node_modules/<pkg>, or our own top-level directory). */
function bytesByPackage(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = match ? match[1]! : `(ours) ${path.split('/')[0]}/`;
      totals.set(key, (totals.get(key) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** How many of each bundle's heaviest packages are listed. */
const TOP_INPUTS = 5;

const kb = (bytes: number) => (bytes / 1024).toFixed(0);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .join('\n');
}

export async function run(args: readonly string[]): Promise<void> {
  const samplesArg = args.find((a) => a.startsWith('--samples='));
  const samples = samplesArg ? Number(samplesArg.slice('--samples='.length)) : 5;
  const outdir = await mkdtemp(join(tmpdir(), 'driftless-bundles-'));
  try {
    const figures: BundleFigures[] = [];
    for (const name of FUNCTION_NAMES) {
      const built = await bundle(name, outdir);
      figures.push({ ...built, ...(await timeLoad(built.file, samples)) });
    }
    process.stdout.write(
      `esbuild ${BUNDLE.format}/${BUNDLE.target}, minified, AWS SDK bundled; Node ${process.version} here (Lambda runs nodejs22.x); load = median of ${samples} fresh processes\n\n`,
    );
    process.stdout.write(
      `${table([
        ['function', 'size KB', 'gzip KB', 'build ms', 'import ms', 'node+import ms'],
        ...figures.map((f) => [
          f.name,
          kb(f.bytes),
          kb(f.gzipBytes),
          f.buildMs.toFixed(0),
          f.importMs.toFixed(0),
          f.processMs.toFixed(0),
        ]),
      ])}\n`,
    );
    for (const f of figures) {
      process.stdout.write(
        `\n${f.name} (${kb(f.bytes)} KB): top ${TOP_INPUTS} inputs by bytes in the output\n`,
      );
      process.stdout.write(
        `${table([
          ['package', 'KB', 'share'],
          ...bytesByPackage(f.metafile)
            .slice(0, TOP_INPUTS)
            .map(([pkg, bytes]) => [pkg, kb(bytes), `${((100 * bytes) / f.bytes).toFixed(1)}%`]),
        ])}\n`,
      );
    }
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
