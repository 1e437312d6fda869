/**
 * Kustomize and helm renders copy only what the tool can read. Each case renders a fixture
 * repository with the real binaries and compares the objects with `kubectl kustomize` (or
 * `helm template`) run directly on the full checkout, while a recording tree notes every file
 * the render read: other apps' files must never be among them.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorySourceTree } from '../../../shared/git/directory-tree.js';
import type { KubeObject } from '../../../shared/model/kube-object.js';
import type { SourceTree, TreeEntry } from '../../../shared/ports/source-tree.js';
import {
  type RenderRequest,
  type RenderResult,
  renderSource,
  settleWorkDirs,
} from '../../../shared/render/index.js';
import { kustomizeReach } from '../../../shared/render/kustomize-reach.js';
import { parseYamlDocuments, toKubeObjects } from '../../../shared/render/manifest-yaml.js';
import { TreeLookup } from '../../../shared/render/tree-lookup.js';
import { ProcessToolRunner } from '../../../shared/tools/index.js';

const REPO = 'https://git.example.com/org/mono.git';
const tools = new ProcessToolRunner();
let root: string;

/** Delegates to a real tree and remembers which files were read. */
class RecordingTree implements SourceTree {
  readonly reads = new Set<string>();
  constructor(private readonly inner: SourceTree) {}
  get repoURL(): string {
    return this.inner.repoURL;
  }
  get revision(): string {
    return this.inner.revision;
  }
  idOf(path: string): Promise<string | undefined> {
    return this.inner.idOf(path);
  }
  list(path: string): Promise<readonly TreeEntry[]> {
    return this.inner.list(path);
  }
  readFile(path: string): Promise<Uint8Array> {
    this.reads.add(path);
    return this.inner.readFile(path);
  }
  readLink(path: string): Promise<string> {
    return this.inner.readLink(path);
  }
  materialize(dir: string, options?: { readonly path?: string }): Promise<void> {
    return this.inner.materialize(dir, options);
  }
}

const cm = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  from: ${name}\n${extra}`;
const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.25\n`;

/** One repository, several apps; `shop` reaches far, the others must stay untouched. */
const files: Record<string, string | { readonly link: string }> = {
  'apps/shop/overlays/prod/kustomization.yaml': [
    'resources:',
    '  - ../../base',
    '  - extra/ingress-config.yaml',
    'components:',
    '  - ../../../../components/monitoring',
    'patches:',
    '  - path: patches/replicas.yaml',
    'configMapGenerator:',
    '  - name: settings',
    '    files:',
    '      - config/app.properties',
    '    envs:',
    '      - config/more.env',
    '',
  ].join('\n'),
  'apps/shop/overlays/prod/extra/ingress-config.yaml': cm('ingress-config'),
  'apps/shop/overlays/prod/patches/replicas.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\nspec:\n  replicas: 4\n',
  'apps/shop/overlays/prod/config/app.properties': 'color=blue\n',
  'apps/shop/overlays/prod/config/more.env': 'SIZE=large\n',
  'apps/shop/overlays/prod/unrelated/notes.yaml': cm('never-read'),
  'apps/shop/base/kustomization.yaml':
    'resources:\n  - deployment.yaml\n  - service\nsecretGenerator:\n  - name: creds\n    envs:\n      - secrets/creds.env\n',
  'apps/shop/base/deployment.yaml': deployment('shop'),
  'apps/shop/base/secrets/creds.env': 'user=shop\n',
  'apps/shop/base/service/kustomization.yaml': 'resources:\n  - service.yaml\n',
  'apps/shop/base/service/service.yaml':
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: shop\nspec:\n  selector: {app: shop}\n  ports: [{port: 80}]\n',
  'components/monitoring/kustomization.yaml': [
    'apiVersion: kustomize.config.k8s.io/v1alpha1',
    'kind: Component',
    'resources:',
    '  - monitor.yaml',
    'patches:',
    '  - path: patches/annotate.yaml',
    '    target: {kind: Deployment}',
    '',
  ].join('\n'),
  'components/monitoring/monitor.yaml': cm('monitor'),
  'components/monitoring/patches/annotate.yaml':
    '- op: add\n  path: /metadata/annotations\n  value: {monitored: "yes"}\n',
  'components/unused/kustomization.yaml': 'resources:\n  - x.yaml\n',
  'components/unused/x.yaml': cm('unused'),
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
  'charts/web/values.yaml': 'color: red\n',
  'charts/web/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  color: {{ .Values.color }}\n',
  'envs/prod/web.yaml': 'color: green\n',
  'envs/dev/web.yaml': 'color: yellow\n',
  // Kustomize follows links: the render must then see the whole repository.
  'apps/linked/overlay/kustomization.yaml': 'resources:\n  - shared\n',
  'apps/linked/overlay/shared': { link: '../../../shared/linked' },
  'shared/linked/kustomization.yaml': 'resources:\n  - cm.yaml\n',
  'shared/linked/cm.yaml': cm('through-a-link'),
};
for (let i = 0; i < 5; i++) {
  files[`apps/other-${i}/kustomization.yaml`] = 'resources:\n  - cm.yaml\n';
  files[`apps/other-${i}/cm.yaml`] = cm(`other-${i}`);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dl-reach-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    if (typeof content === 'string') await writeFile(join(root, path), content);
    else await symlink(content.link, join(root, path));
  }
});
afterAll(async () => {
  await settleWorkDirs();
  await rm(root, { recursive: true, force: true });
});

async function render(
  tree: SourceTree,
  source: Partial<RenderRequest['source']> & { path: string },
): Promise<RenderResult> {
  return renderSource({
    appName: 'shop',
    destinationNamespace: 'shop',
    source: { repoURL: REPO, targetRevision: 'main', ...source },
    tree,
    tools,
  });
}

/** The same tool run directly on the full checkout, for comparison. */
async function direct(tool: 'kubectl' | 'helm', args: readonly string[]): Promise<KubeObject[]> {
  const result = await tools.run({ tool, args, cwd: root, timeoutMs: 30_000, maxOutputBytes: 1 << 24 });
  expect(result.stderr.replace(/^# Warning:.*\n/gm, '')).toBe('');
  expect(result.exitCode).toBe(0);
  return toKubeObjects(parseYamlDocuments(result.stdout, { path: 'direct', maxAliasCount: 100 }), 'direct');
}

const readsOutside = (tree: RecordingTree, allowed: readonly string[]) =>
  [...tree.reads].filter((p) => !allowed.some((prefix) => p.startsWith(prefix)));

describe('kustomize reach', () => {
  it('renders an overlay reaching ../../base, a component, generator and patch files in other directories', async () => {
    const tree = new RecordingTree(await DirectorySourceTree.open(REPO, root));
    const result = await render(tree, { path: 'apps/shop/overlays/prod' });
    expect(result.objects).toEqual(await direct('kubectl', ['kustomize', 'apps/shop/overlays/prod']));
    const byName = new Map(result.objects.map((o) => [`${o.kind}/${o.metadata?.name}`, o]));
    const shop = byName.get('Deployment/shop') as { spec?: { replicas?: number } } & KubeObject;
    expect(shop.spec?.replicas).toBe(4);
    expect(shop.metadata?.annotations).toEqual({ monitored: 'yes' });
    expect([...byName.keys()]).toEqual(
      expect.arrayContaining(['Service/shop', 'ConfigMap/monitor', 'ConfigMap/ingress-config']),
    );
    const settings = result.objects.find((o) => o.metadata?.name?.startsWith('settings-'));
    expect(settings?.data).toEqual({ 'app.properties': 'color=blue\n', SIZE: 'large' });
    expect(result.materialized?.scope).toBe('reachable');
  });

  it("reads and writes none of the other apps' files", async () => {
    const tree = new RecordingTree(await DirectorySourceTree.open(REPO, root));
    const result = await render(tree, {
      path: 'apps/shop/overlays/prod',
      kustomize: { namePrefix: 'p-', components: ['../../../../components/monitoring'] },
    });
    expect(result.objects.map((o) => o.metadata?.name)).toContain('p-shop');
    expect(readsOutside(tree, ['apps/shop/', 'components/monitoring/'])).toEqual([]);
    expect(tree.reads.has('apps/shop/overlays/prod/unrelated/notes.yaml')).toBe(false);
    // Every file written was read once from the tree: the counter and the recording agree.
    expect(result.materialized?.files).toBe(tree.reads.size);
    expect(result.materialized?.files).toBeLessThan(Object.keys(files).length / 2);
  });

  it('falls back to the whole repository when a symlink is on the way, and still renders', async () => {
    const tree = new RecordingTree(await DirectorySourceTree.open(REPO, root));
    const result = await render(tree, { path: 'apps/linked/overlay' });
    expect(result.materialized?.scope).toBe('repository');
    expect(result.materialized?.reason).toMatch(/apps\/linked\/overlay\/shared/);
    // Links count as files when the whole repository is written.
    expect(result.materialized?.files).toBe(Object.keys(files).length);
    expect(result.objects).toEqual(await direct('kubectl', ['kustomize', 'apps/linked/overlay']));
    expect(result.objects.map((o) => o.metadata?.name)).toEqual(['through-a-link']);
  });

  it('leaves remote references and patterns to a whole-repository render', async () => {
    const dir = join(root, 'apps', 'remote');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'kustomization.yaml'),
      'resources:\n  - https://github.com/org/repo//deploy?ref=v1\npatchesStrategicMerge:\n  - ../shop/base/*.yaml\n',
    );
    try {
      const tree = await DirectorySourceTree.open(REPO, root);
      const reach = await kustomizeReach({
        lookup: new TreeLookup(tree),
        start: 'apps/remote',
        maxAliasCount: 100,
        maxFileBytes: 1 << 20,
      });
      expect(reach).toEqual({
        kind: 'repository',
        reason:
          'apps/remote/kustomization.yaml: resources: remote https://github.com/org/repo//deploy?ref=v1',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('helm reach', () => {
  it('copies the chart and the value files it names, nothing else', async () => {
    const tree = new RecordingTree(await DirectorySourceTree.open(REPO, root));
    const result = await render(tree, {
      path: 'charts/web',
      helm: { valueFiles: ['../../envs/prod/web.yaml'] },
    });
    expect(result.objects).toEqual(
      await direct('helm', [
        'template',
        'charts/web',
        '--name-template',
        'shop',
        '--namespace',
        'shop',
        '--values',
        'envs/prod/web.yaml',
        '--include-crds',
      ]),
    );
    expect(result.objects[0]?.data).toEqual({ color: 'green' });
    expect(readsOutside(tree, ['charts/web/', 'envs/prod/web.yaml'])).toEqual([]);
    expect(result.materialized).toEqual({ files: tree.reads.size, scope: 'reachable' });
  });
});
