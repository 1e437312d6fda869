import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorySourceTree } from '../../../shared/git/directory-tree.js';
import type { ToolResult, ToolRun, ToolRunner } from '../../../shared/ports/tool-runner.js';
import {
  DiskRenderCache,
  MemoryRenderCache,
  objectsToYaml,
  type RenderCache,
  renderSource,
} from '../../../shared/render/index.js';
import { ProcessToolRunner } from '../../../shared/tools/index.js';

/** Delegates to the real binaries and counts how often they actually ran. */
class CountingToolRunner implements ToolRunner {
  runs = 0;
  private readonly real = new ProcessToolRunner();
  run(run: ToolRun): Promise<ToolResult> {
    this.runs++;
    return this.real.run(run);
  }
}

const fixture = fileURLToPath(new URL('../../golden/render/repo', import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dl-cache-'));
  await cp(fixture, join(root, 'repo'), { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function render(
  cache: RenderCache,
  tools: ToolRunner,
  path: string,
  repoURL = 'https://Git.example.com/org/config.git',
) {
  const tree = await DirectorySourceTree.open(repoURL, join(root, 'repo'));
  return renderSource({
    appName: 'web',
    destinationNamespace: 'apps',
    source: { repoURL, targetRevision: 'main', path },
    tree,
    tools,
    cache,
  });
}

describe('render cache', () => {
  for (const [name, make] of [
    ['memory', () => new MemoryRenderCache()],
    ['disk', () => new DiskRenderCache({ dir: join(root, `cache-${Date.now()}`) })],
  ] as const) {
    it(`${name}: the same input renders once; a change in the base renders again`, async () => {
      const cache = make();
      const tools = new CountingToolRunner();
      const first = await render(cache, tools, 'kustomize/overlay');
      const second = await render(cache, tools, 'kustomize/overlay', 'https://git.example.com/org/config');
      expect(tools.runs).toBe(1);
      expect(first.cached).toBe(false);
      expect(second.cached).toBe(true);
      expect(objectsToYaml(second.objects)).toBe(objectsToYaml(first.objects));

      // The overlay itself is unchanged; only ../base changed. The root-tree key must notice.
      const base = join(root, 'repo', 'kustomize', 'base', 'service.yaml');
      const original = await import('node:fs/promises').then((fs) => fs.readFile(base, 'utf8'));
      await writeFile(base, original.replace('port: 80', 'port: 8081'));
      try {
        const third = await render(cache, tools, 'kustomize/overlay');
        expect(third.cached).toBe(false);
        expect(tools.runs).toBe(2);
        expect(objectsToYaml(third.objects)).toContain('port: 8081');
      } finally {
        await writeFile(base, original);
      }
    });
  }

  it('a directory source keys on its own path only', async () => {
    const cache = new MemoryRenderCache();
    const tools = new CountingToolRunner();
    await render(cache, tools, 'dir/plain');
    await writeFile(join(root, 'repo', 'unrelated.txt'), 'changed elsewhere');
    const again = await render(cache, tools, 'dir/plain');
    expect(again.cached).toBe(true);
    expect(tools.runs).toBe(0);
  });

  it('the LRU evicts the least recently used entry', async () => {
    const cache = new MemoryRenderCache({ maxEntries: 2 });
    const entry = { sourceType: 'directory' as const, objects: [] };
    await cache.set('a', entry);
    await cache.set('b', entry);
    await cache.get('a');
    await cache.set('c', entry);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toEqual(entry);
    expect(cache.size).toBe(2);
  });

  it('renders in parallel give the same bytes as renders in sequence', async () => {
    const tools = new ProcessToolRunner();
    const paths = [
      'seed/overlays/dev',
      'seed/overlays/staging',
      'seed/overlays/prod',
      'helm/chart',
      'kustomize/overlay',
    ];
    const tree = await DirectorySourceTree.open('r', join(root, 'repo'));
    const one = (path: string) =>
      renderSource({
        appName: 'p',
        source: { repoURL: 'r', targetRevision: 'main', path },
        tree,
        tools,
      }).then((r) => objectsToYaml(r.objects));
    const parallel = await Promise.all(paths.map(one));
    const sequential: string[] = [];
    for (const p of paths) sequential.push(await one(p));
    expect(parallel).toEqual(sequential);
    expect(new Set(parallel).size).toBe(paths.length);
  });
});
