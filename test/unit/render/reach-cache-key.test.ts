/**
 * Kustomize and helm renders key on the content of what they can reach: in a monorepo a commit
 * touching another app keeps the cache hit (the tool does not run again), a change to anything
 * the render reads misses, and a render whose reach is the whole repository keys on the root.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorySourceTree } from '../../../shared/git/directory-tree.js';
import type { ApplicationSource } from '../../../shared/model/argo-types.js';
import type { SourceTree } from '../../../shared/ports/source-tree.js';
import type { ToolResult, ToolRun, ToolRunner } from '../../../shared/ports/tool-runner.js';
import {
  MemoryRenderCache,
  objectsToYaml,
  type RenderResult,
  renderSource,
  settleWorkDirs,
} from '../../../shared/render/index.js';
import { kustomizeReach } from '../../../shared/render/kustomize-reach.js';
import { reachContentId } from '../../../shared/render/reach-key.js';
import { TreeLookup } from '../../../shared/render/tree-lookup.js';
import { ProcessToolRunner } from '../../../shared/tools/index.js';

const REPO = 'https://git.example.com/org/mono.git';

/** Delegates to the real binaries and counts how often they actually ran. */
class CountingToolRunner implements ToolRunner {
  runs = 0;
  private readonly real = new ProcessToolRunner();
  run(run: ToolRun): Promise<ToolResult> {
    this.runs++;
    return this.real.run(run);
  }
}

const cm = (name: string, value = name) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  from: ${value}\n`;

const initial: Record<string, string> = {
  'apps/shop/overlays/prod/kustomization.yaml': [
    'resources:',
    '  - ../../base',
    'components:',
    '  - ../../../../components/monitoring',
    'configMapGenerator:',
    '  - name: settings',
    '    files:',
    '      - config/app.properties',
    '',
  ].join('\n'),
  'apps/shop/overlays/prod/config/app.properties': 'color=blue\n',
  'apps/shop/overlays/prod/unrelated/notes.yaml': cm('never-read'),
  'apps/shop/base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
  'apps/shop/base/cm.yaml': cm('shop'),
  'components/monitoring/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - monitor.yaml\n',
  'components/monitoring/monitor.yaml': cm('monitor'),
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  color: {{ .Values.color }}\n',
  'charts/web/values.yaml': 'color: red\n',
  'envs/prod/web.yaml': 'color: green\n',
  // A symlink cannot be followed on a partial copy: this render gets (and keys on) the whole repository.
  'apps/linked/kustomization.yaml': 'resources:\n  - base\n',
  'apps/other/kustomization.yaml': 'resources:\n  - cm.yaml\n',
  'apps/other/cm.yaml': cm('other'),
  'README.md': 'monorepo\n',
};

let root: string;
let cache: MemoryRenderCache;
let tools: CountingToolRunner;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dl-reach-key-'));
  await commit(initial);
  await symlink('../shop/base', join(root, 'apps/linked/base'));
});
afterAll(async () => {
  await settleWorkDirs();
  await rm(root, { recursive: true, force: true });
});

/** Writes files and opens the tree anew: a new revision, as after a push. */
async function commit(changes: Readonly<Record<string, string>>): Promise<SourceTree> {
  for (const [path, content] of Object.entries(changes)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return DirectorySourceTree.open(REPO, root);
}

function render(tree: SourceTree, source: Omit<ApplicationSource, 'repoURL' | 'targetRevision'>) {
  return renderSource({
    appName: 'shop',
    destinationNamespace: 'shop',
    source: { repoURL: REPO, targetRevision: 'main', ...source },
    tree,
    tools,
    cache,
  });
}

const overlay = { path: 'apps/shop/overlays/prod' };
const chart = { path: 'charts/web', helm: { valueFiles: ['../../envs/prod/web.yaml'] } };

/** Renders at `before`, then at `after`, and returns the second result and how many tool runs it took. */
async function renderAcross(
  source: Omit<ApplicationSource, 'repoURL' | 'targetRevision'>,
  change: Readonly<Record<string, string>>,
): Promise<{ readonly first: RenderResult; readonly second: RenderResult; readonly runs: number }> {
  cache = new MemoryRenderCache();
  tools = new CountingToolRunner();
  const before = await DirectorySourceTree.open(REPO, root);
  const first = await render(before, source);
  const after = await commit(change);
  expect(after.revision).not.toBe(before.revision);
  const runsBefore = tools.runs;
  const second = await render(after, source);
  return { first, second, runs: tools.runs - runsBefore };
}

describe('reach cache key', () => {
  it("keeps the hit when a commit changes another app's directory and an unrelated root file", async () => {
    let n = 0;
    for (const source of [overlay, chart]) {
      n++;
      const { first, second, runs } = await renderAcross(source, {
        'apps/other/cm.yaml': cm('other', `changed-${n}`),
        'apps/other/new.yaml': cm('new'),
        'README.md': `monorepo, edit ${n}\n`,
        // Not named by the overlay, though in its own directory tree.
        'apps/shop/overlays/prod/unrelated/notes.yaml': cm('never-read', `edit-${n}`),
      });
      expect(first.cached).toBe(false);
      expect(second.cached).toBe(true);
      expect(runs).toBe(0);
      expect(objectsToYaml(second.objects)).toBe(objectsToYaml(first.objects));
    }
  });

  for (const [what, source, change, expected] of [
    [
      'the base the overlay reaches',
      overlay,
      { 'apps/shop/base/cm.yaml': cm('shop', 'new-base') },
      'new-base',
    ],
    [
      'a component the overlay reaches',
      overlay,
      { 'components/monitoring/monitor.yaml': cm('monitor', 'new-component') },
      'new-component',
    ],
    [
      'a generator file the overlay reaches',
      overlay,
      { 'apps/shop/overlays/prod/config/app.properties': 'color=violet\n' },
      'color=violet',
    ],
    ['a template of the chart', chart, { 'charts/web/templates/extra.yaml': cm('extra') }, 'name: extra'],
    ['a value file the chart names', chart, { 'envs/prod/web.yaml': 'color: amber\n' }, 'color: amber'],
  ] as const) {
    it(`renders again after a change to ${what}`, async () => {
      const { second, runs } = await renderAcross(source, change);
      expect(second.cached).toBe(false);
      expect(runs).toBe(1);
      expect(objectsToYaml(second.objects)).toContain(expected);
    });
  }

  it('keys on the root id when the reach is the whole repository (a symlink), so any commit renders again', async () => {
    const { first, second, runs } = await renderAcross(
      { path: 'apps/linked' },
      { 'README.md': 'monorepo, unrelated edit\n' },
    );
    expect(first.materialized?.scope).toBe('repository');
    expect(first.objects.map((o) => o.metadata?.name)).toEqual(['shop']);
    expect(second.cached).toBe(false);
    expect(runs).toBe(1);
  });

  it('a remote resource or a pattern makes the content id the root id; a closed reach does not', async () => {
    const tree = await commit({
      'apps/remote/kustomization.yaml': 'resources:\n  - https://github.com/org/repo//deploy?ref=v1\n',
      'apps/globbed/kustomization.yaml':
        'resources:\n  - ../shop/base\npatchesStrategicMerge:\n  - p/*.yaml\n',
    });
    const idOfReach = async (start: string) => {
      const lookup = new TreeLookup(tree);
      const reach = await kustomizeReach({ lookup, start, maxAliasCount: 100, maxFileBytes: 1 << 20 });
      return reachContentId({ lookup, reach });
    };
    const rootId = await tree.idOf('');
    expect(await idOfReach('apps/remote')).toBe(rootId);
    expect(await idOfReach('apps/globbed')).toBe(rootId);
    expect(await idOfReach('apps/shop/overlays/prod')).not.toBe(rootId);
  });

  it('still refuses a commit that adds an escaping symlink elsewhere, as a full render would', async () => {
    cache = new MemoryRenderCache();
    tools = new CountingToolRunner();
    expect((await render(await DirectorySourceTree.open(REPO, root), overlay)).cached).toBe(false);
    const link = join(root, 'apps/other/escape');
    await symlink('../../../../etc', link);
    try {
      const tree = await DirectorySourceTree.open(REPO, root);
      await expect(render(tree, overlay)).rejects.toThrow(/apps\/other\/escape: .*leaves the repository/);
      expect(tools.runs).toBe(1);
    } finally {
      await rm(link);
    }
  });

  it('at one revision, options that change what the render reads change the key', async () => {
    cache = new MemoryRenderCache();
    tools = new CountingToolRunner();
    const tree = await DirectorySourceTree.open(REPO, root);
    const prod = await render(tree, chart);
    const own = await render(tree, { path: 'charts/web' });
    const prodAgain = await render(tree, chart);
    expect([prod.cached, own.cached, prodAgain.cached]).toEqual([false, false, true]);
    expect(own.objects[0]?.data).toEqual({ color: 'red' });
    expect(prodAgain.objects).toEqual(prod.objects);
    expect(prod.objects[0]?.data).not.toEqual({ color: 'red' });
    expect(tools.runs).toBe(2);
  });
});
