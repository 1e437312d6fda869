/**
 * Render benchmark: 50 kustomize overlays (each base + overlay, a few resources and Application
 * options) and a 2,000-file plain directory, generated in a temp dir. Prints ms per render cold
 * (cache empty) and warm (cache hit) beside `kubectl kustomize` run directly on the same overlays,
 * so the overhead of materializing, editing and parsing is visible. A monorepo case (200 apps in
 * one repository, one of them rendered) shows that a render's cost follows the app, not the
 * repository, and that a commit touching another app keeps the cache hits of the rest (with
 * what such a hit costs: the reach walk that computes the key).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DirectorySourceTree } from '../shared/git/directory-tree.js';
import type { ApplicationSourceKustomize } from '../shared/model/argo-types.js';
import type { SourceTree } from '../shared/ports/source-tree.js';
import {
  MemoryRenderCache,
  type RenderCache,
  type RenderResult,
  renderSource,
} from '../shared/render/index.js';
import { ReadAhead } from '../shared/render/read-ahead.js';
import { ProcessToolRunner } from '../shared/tools/index.js';

const OVERLAYS = 50;
const MONOREPO_APPS = 200;
const PLAIN_FILES = 2_000;

export async function run(_args: string[]): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'driftless-bench-render-'));
  try {
    const kustomizeRepo = join(root, 'kustomize-repo');
    const plainRepo = join(root, 'plain-repo');
    const monorepo = join(root, 'monorepo');
    await generateOverlays(kustomizeRepo, OVERLAYS);
    await generateOverlays(monorepo, MONOREPO_APPS);
    await generatePlain(plainRepo);
    const tools = new ProcessToolRunner();
    const repoURL = 'https://git.example.com/bench/config.git';

    const direct = await kustomizeDirectly({ tools, repo: kustomizeRepo, count: OVERLAYS });
    const { tree, openMs } = await openTree(repoURL, kustomizeRepo);
    const renderOverlay = overlayRenderer({
      repoURL,
      tree,
      tools,
      cache: new MemoryRenderCache({ maxEntries: 1_000 }),
      kustomize: (i) => ({
        namePrefix: 'bench-',
        images: [`nginx=nginx:1.${i}`],
        commonLabels: { bench: 'yes' },
      }),
    });
    const cold: number[] = [];
    const warm: number[] = [];
    let objects = 0;
    let materialized = 0;
    for (let i = 0; i < OVERLAYS; i++) {
      const t = performance.now();
      const r = await renderOverlay(i);
      cold.push(performance.now() - t);
      objects += r.objects.length;
      materialized += r.materialized?.files ?? 0;
      if (r.cached) throw new Error('cold render was a cache hit');
    }
    for (let i = 0; i < OVERLAYS; i++) {
      const t = performance.now();
      const r = await renderOverlay(i);
      warm.push(performance.now() - t);
      if (!r.cached) throw new Error('warm render missed the cache');
    }

    const mono = await monorepoCase(tools, repoURL, monorepo);

    const { tree: plainTree, openMs: plainOpenMs } = await openTree(repoURL, plainRepo);
    const plainCache = new MemoryRenderCache();
    const renderPlain = () =>
      renderSource({
        appName: 'plain',
        source: { repoURL, targetRevision: 'main', path: 'manifests', directory: { recurse: true } },
        tree: plainTree,
        tools,
        cache: plainCache,
      });
    let t = performance.now();
    const plain = await renderPlain();
    const plainCold = performance.now() - t;
    t = performance.now();
    const plainHit = await renderPlain();
    const plainWarm = performance.now() - t;
    if (!plainHit.cached) throw new Error('directory render missed the cache');

    const plainReadMs = await readEveryFile(plainTree, 'manifests');

    const rows: Array<[string, string, string]> = [
      ['kubectl kustomize, direct', `${OVERLAYS} overlays`, fmt(mean(direct))],
      ['renderSource kustomize, cold', `${objects / OVERLAYS} objects each`, fmt(mean(cold))],
      ['renderSource kustomize, warm (hit)', `${OVERLAYS} overlays`, fmt(mean(warm))],
      ['  files materialized per render', `of ${OVERLAYS * 5} in repo`, fmt(materialized / OVERLAYS)],
      ['open kustomize repo tree', `${OVERLAYS * 5} files`, fmt(openMs)],
      ['monorepo: kubectl kustomize, direct', `1 of ${MONOREPO_APPS} apps`, fmt(mean(mono.direct))],
      ['monorepo: first render of the tree', `${mono.files} files materialized`, fmt(mono.first)],
      ['monorepo: renderSource, cold', `other apps, same tree`, fmt(mean(mono.cold))],
      ['monorepo: renderSource, warm (hit)', `1 of ${MONOREPO_APPS} apps`, fmt(mean(mono.warm))],
      [
        'monorepo: commit touching another app',
        `cache hit? ${mono.afterCommit.hits === mono.afterCommit.apps ? 'yes' : 'NO'} (${mono.afterCommit.hits}/${mono.afterCommit.apps})`,
        fmt(mean([mono.afterCommit.first, ...mono.afterCommit.rest])),
      ],
      ['  first app (symlink scan of new rev)', '1 app', fmt(mono.afterCommit.first)],
      [
        '  next apps (reach walk + key)',
        `${mono.afterCommit.rest.length} apps`,
        fmt(mean(mono.afterCommit.rest)),
      ],
      ['monorepo: open tree', `${MONOREPO_APPS * 5} files`, fmt(mono.openMs)],
      ['renderSource directory, cold', `${plain.objects.length} objects`, fmt(plainCold)],
      ['  of which reading the files (floor)', `${PLAIN_FILES} files`, fmt(plainReadMs)],
      ['renderSource directory, warm (hit)', `${PLAIN_FILES} files`, fmt(plainWarm)],
      ['open directory tree', `${PLAIN_FILES} files`, fmt(plainOpenMs)],
    ];
    const width = [40, 24, 10];
    const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(width[i] ?? 10)).join('  ');
    process.stdout.write(`${line(['case', 'size', 'ms/render'])}\n${'-'.repeat(78)}\n`);
    for (const row of rows) process.stdout.write(`${line(row)}\n`);
    process.stdout.write(
      `overhead of renderSource over direct kubectl kustomize: ${fmt(mean(cold) - mean(direct))} ms per render\n`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

interface MonorepoFigures {
  readonly direct: readonly number[];
  /** The first render of a freshly opened tree (includes the repository-wide symlink scan). */
  readonly first: number;
  readonly cold: readonly number[];
  readonly warm: readonly number[];
  readonly files: number;
  readonly openMs: number;
  readonly afterCommit: CommitElsewhereFigures;
}

/** One app of a 200-app repository rendered: what the push of one app costs in a monorepo. */
async function monorepoCase(
  tools: ProcessToolRunner,
  repoURL: string,
  repo: string,
): Promise<MonorepoFigures> {
  const rounds = 10;
  const direct = await kustomizeDirectly({ tools, repo, count: rounds });
  const { tree, openMs } = await openTree(repoURL, repo);
  const cache = new MemoryRenderCache();
  const render = overlayRenderer({ repoURL, tree, tools, cache, kustomize: () => ({ namePrefix: 'mono-' }) });
  let t = performance.now();
  const first = await render(0);
  const firstMs = performance.now() - t;
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 1; i <= rounds; i++) {
    t = performance.now();
    const r = await render(i);
    cold.push(performance.now() - t);
    if (r.cached) throw new Error('cold monorepo render was a cache hit');
    t = performance.now();
    if (!(await render(i)).cached) throw new Error('warm monorepo render missed the cache');
    warm.push(performance.now() - t);
  }
  const afterCommit = await commitElsewhere({ tools, repoURL, repo, cache, apps: rounds });
  return {
    direct,
    first: firstMs,
    cold,
    warm,
    files: first.materialized?.files ?? 0,
    openMs,
    afterCommit,
  };
}

interface CommitElsewhereOptions {
  readonly tools: ProcessToolRunner;
  readonly repoURL: string;
  readonly repo: string;
  /** Holds the renders of apps 1..apps at the previous revision. */
  readonly cache: RenderCache;
  readonly apps: number;
}

interface CommitElsewhereFigures {
  readonly hits: number;
  readonly apps: number;
  /** First app at the new revision: includes the repository-wide symlink scan, once per revision. */
  readonly first: number;
  /** The other apps at the new revision: the reach walk and the key alone. */
  readonly rest: readonly number[];
}

/**
 * A push that changes only the last app: the apps rendered before must still be cache hits,
 * and what a hit costs (the reach walk reads kustomizations and listings only) shows against
 * the cold render it saves.
 */
async function commitElsewhere(options: CommitElsewhereOptions): Promise<CommitElsewhereFigures> {
  const { tools, repoURL, repo, cache } = options;
  const touched = join(repo, 'apps', `app-${MONOREPO_APPS - 1}`, 'base', 'configmap.yaml');
  await writeFile(touched, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: touched\n`);
  const { tree } = await openTree(repoURL, repo);
  const render = overlayRenderer({ repoURL, tree, tools, cache, kustomize: () => ({ namePrefix: 'mono-' }) });
  let hits = 0;
  let first = 0;
  const rest: number[] = [];
  for (let i = 1; i <= options.apps; i++) {
    const t = performance.now();
    const r = await render(i);
    const ms = performance.now() - t;
    if (i === 1) first = ms;
    else rest.push(ms);
    if (r.cached) hits++;
  }
  return { hits, apps: options.apps, first, rest };
}

interface KustomizeDirectlyOptions {
  readonly tools: ProcessToolRunner;
  readonly repo: string;
  /** Overlays 0 to count-1. */
  readonly count: number;
}

/** Milliseconds of each plain `kubectl kustomize` of an overlay: the floor a render cannot beat. */
async function kustomizeDirectly(options: KustomizeDirectlyOptions): Promise<number[]> {
  const direct: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const t = performance.now();
    const result = await options.tools.run({
      tool: 'kubectl',
      args: ['kustomize', `apps/app-${i}/overlay`],
      cwd: options.repo,
      timeoutMs: 60_000,
      maxOutputBytes: 64 * 1024 * 1024,
    });
    if (result.exitCode !== 0) throw new Error(result.stderr);
    direct.push(performance.now() - t);
  }
  return direct;
}

async function openTree(repoURL: string, dir: string): Promise<{ tree: SourceTree; openMs: number }> {
  const t = performance.now();
  const tree = await DirectorySourceTree.open(repoURL, dir);
  return { tree, openMs: performance.now() - t };
}

interface OverlayRendererOptions {
  readonly repoURL: string;
  readonly tree: SourceTree;
  readonly tools: ProcessToolRunner;
  readonly cache: RenderCache;
  readonly kustomize: (i: number) => ApplicationSourceKustomize;
}

/** Renders overlay i of a generated repository as app-i into namespace ns-i. */
function overlayRenderer(options: OverlayRendererOptions): (i: number) => Promise<RenderResult> {
  const { repoURL, tree, tools, cache } = options;
  return (i) =>
    renderSource({
      appName: `app-${i}`,
      destinationNamespace: `ns-${i}`,
      source: {
        repoURL,
        targetRevision: 'main',
        path: `apps/app-${i}/overlay`,
        kustomize: options.kustomize(i),
      },
      tree,
      tools,
      cache,
    });
}

async function generateOverlays(repo: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const base = join(repo, 'apps', `app-${i}`, 'base');
    const overlay = join(repo, 'apps', `app-${i}`, 'overlay');
    await mkdir(base, { recursive: true });
    await mkdir(overlay, { recursive: true });
    await writeFile(
      join(base, 'kustomization.yaml'),
      'resources:\n  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\n',
    );
    await writeFile(
      join(base, 'deployment.yaml'),
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: app-${i}}\n  template:\n    metadata:\n      labels: {app: app-${i}}\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.25\n`,
    );
    await writeFile(
      join(base, 'service.yaml'),
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${i}\nspec:\n  selector: {app: app-${i}}\n  ports: [{port: 80}]\n`,
    );
    await writeFile(
      join(base, 'configmap.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}\ndata:\n  index: "${i}"\n`,
    );
    await writeFile(
      join(overlay, 'kustomization.yaml'),
      `resources:\n  - ../base\nnamespace: ns-${i}\nreplicas:\n  - name: app-${i}\n    count: 2\n`,
    );
  }
}

async function generatePlain(repo: string): Promise<void> {
  const perDir = 100;
  for (let d = 0; d < PLAIN_FILES / perDir; d++) {
    const dir = join(repo, 'manifests', `group-${d}`);
    await mkdir(dir, { recursive: true });
    await Promise.all(
      Array.from({ length: perDir }, (_, f) =>
        writeFile(
          join(dir, `cm-${f}.yaml`),
          `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${d}-${f}\n  labels: {group: "${d}"}\ndata:\n  key: value-${f}\n`,
        ),
      ),
    );
  }
}

/** Milliseconds to read every file under `path` through the tree as a directory render does. */
async function readEveryFile(tree: SourceTree, path: string): Promise<number> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await tree.list(dir)) {
      if (entry.type === 'dir') await walk(entry.path);
      else if (entry.type === 'file') files.push(entry.path);
    }
  };
  await walk(path);
  const t = performance.now();
  const reads = new ReadAhead({
    count: files.length,
    window: 16,
    eligible: () => true,
    read: (i) => tree.readFile(files[i]!),
  });
  for (let i = 0; i < files.length; i++) await reads.take(i);
  return performance.now() - t;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
}

function fmt(ms: number): string {
  return ms.toFixed(ms < 10 ? 2 : 1);
}
