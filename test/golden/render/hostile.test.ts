/**
 * Hostile and broken repositories: every breach is a DriftlessError naming the limit or file,
 * never a crash or a hang. Repositories are written to a temp dir per test (symlinks included),
 * messages go to __golden__/errors/.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { DirectorySourceTree } from '../../../shared/git/directory-tree.js';
import type { ApplicationSource } from '../../../shared/model/argo-types.js';
import { type RenderLimits, renderSource } from '../../../shared/render/index.js';
import { ProcessToolRunner } from '../../../shared/tools/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const tools = new ProcessToolRunner();
const REPO = 'https://git.example.com/org/hostile.git';
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

type Files = Record<string, string | { readonly link: string }>;

async function repoOf(files: Files): Promise<DirectorySourceTree> {
  const root = await mkdtemp(join(tmpdir(), 'dl-hostile-'));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    if (typeof content === 'string') await writeFile(join(root, path), content);
    else await symlink(content.link, join(root, path));
  }
  return DirectorySourceTree.open(REPO, root);
}

async function expectFailure(
  name: string,
  files: Files,
  code: string,
  source: Partial<ApplicationSource> & { path: string },
  limits?: Partial<RenderLimits>,
): Promise<void> {
  const tree = await repoOf(files);
  const error = await renderSource({
    appName: 'hostile',
    source: { repoURL: REPO, targetRevision: 'main', ...source },
    tree,
    tools,
    limits,
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDriftlessError(error)) throw new Error(`${name}: expected a DriftlessError, got ${String(error)}`);
  expect(error.code).toBe(code);
  expect(error.message).not.toMatch(/driftless-render-|dl-hostile-/);
  await expect(`${error.code}\n${error.message}\n`).toMatchFileSnapshot(join(here, '__golden__', 'errors', `${name}.txt`));
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const kustomization = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('broken manifests', () => {
  it('bad YAML names the file and line', () =>
    expectFailure(
      'bad-yaml',
      { 'app/ok.yaml': cm('ok'), 'app/broken.yaml': `${cm('x')}  labels: {a: [b\n` },
      'YAML_PARSE',
      { path: 'app' },
    ));
  it('a document without kind names file and document', () =>
    expectFailure(
      'not-an-object',
      { 'app/two.yaml': `${cm('first')}---\napiVersion: v1\nmetadata:\n  name: second\n` },
      'INVALID_MANIFEST',
      { path: 'app' },
    ));
  it('an included jsonnet file is unsupported', () =>
    expectFailure('jsonnet', { 'app/main.jsonnet': '{}', 'app/a.yaml': cm('a') }, 'RENDER_FAILED', { path: 'app' }));
});

describe('outside the repository', () => {
  it('a kustomize resource ../../../etc is refused before kustomize runs', () =>
    expectFailure(
      'kustomize-resource-outside',
      { 'apps/web/kustomization.yaml': kustomization('resources:\n  - ../../../etc\n') },
      'RENDER_FAILED',
      { path: 'apps/web' },
    ));
  it('the load restrictor stays on: a file above the kustomization root is refused by kustomize', () =>
    expectFailure(
      'kustomize-load-restrictor',
      {
        'apps/web/kustomization.yaml': kustomization(
          'configMapGenerator:\n  - name: leak\n    files:\n      - ../shared/secret.properties\n',
        ),
        'apps/shared/secret.properties': 'token=abc\n',
      },
      'RENDER_FAILED',
      { path: 'apps/web' },
    ));
  it('a symlink leaving the repository is refused (directory source)', () =>
    expectFailure(
      'symlink-outside-directory',
      { 'app/a.yaml': cm('a'), 'app/b.yaml': { link: '../../../../../../etc/hostname' } },
      'LIMIT_EXCEEDED',
      { path: 'app' },
    ));
  it('a symlink leaving the repository is refused (materialized for kustomize)', () =>
    expectFailure(
      'symlink-outside-kustomize',
      {
        'app/kustomization.yaml': kustomization('resources:\n  - a.yaml\n'),
        'app/a.yaml': cm('a'),
        'other/escape': { link: '/etc' },
      },
      'LIMIT_EXCEEDED',
      { path: 'app' },
    ));
});

describe('limits', () => {
  const kustomizeApp: Files = {
    'app/kustomization.yaml': kustomization('resources:\n  - a.yaml\n  - b.yaml\n'),
    'app/a.yaml': cm('a'),
    'app/b.yaml': cm('b'),
  };
  it('timeoutMs kills the tool', () =>
    expectFailure('limit-timeout', kustomizeApp, 'LIMIT_EXCEEDED', { path: 'app' }, { timeoutMs: 1 }));
  it('maxOutputBytes stops an output flood', () =>
    expectFailure('limit-output', kustomizeApp, 'LIMIT_EXCEEDED', { path: 'app' }, { maxOutputBytes: 40 }));
  it('maxFiles', () =>
    expectFailure('limit-files', { 'app/a.yaml': cm('a'), 'app/b.yaml': cm('b'), 'app/c.yaml': cm('c') }, 'LIMIT_EXCEEDED', { path: 'app' }, { maxFiles: 2 }));
  it('maxFiles while materializing', () =>
    expectFailure('limit-files-materialize', kustomizeApp, 'LIMIT_EXCEEDED', { path: 'app' }, { maxFiles: 2 }));
  it('maxFileBytes', () =>
    expectFailure('limit-file-bytes', { 'app/a.yaml': cm('a'.repeat(200)) }, 'LIMIT_EXCEEDED', { path: 'app' }, { maxFileBytes: 100 }));
  it('maxTotalBytes', () =>
    expectFailure(
      'limit-total-bytes',
      { 'app/a.yaml': cm('a'.repeat(60)), 'app/b.yaml': cm('b'.repeat(60)) },
      'LIMIT_EXCEEDED',
      { path: 'app' },
      { maxTotalBytes: 150 },
    ));
  it('maxAliasCount stops a billion-laughs document', () => {
    const laughs = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: lol}',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    return expectFailure('limit-aliases', { 'app/lol.yaml': laughs }, 'LIMIT_EXCEEDED', { path: 'app' });
  });
  it('maxDepth', () =>
    expectFailure(
      'limit-depth',
      { 'app/a/b/c/d.yaml': cm('deep') },
      'LIMIT_EXCEEDED',
      { path: 'app', directory: { recurse: true } },
      { maxDepth: 2 },
    ));
});
