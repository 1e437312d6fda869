/**
 * Golden renders of the fixture repository under repo/ with the real kubectl and helm binaries.
 * Each case writes the objects as YAML to __golden__/<case>.yaml; errors write code and message.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { DirectorySourceTree } from '../../../shared/git/directory-tree.js';
import type { ApplicationSource } from '../../../shared/model/argo-types.js';
import { objectsToYaml, type RenderRequest, renderSource } from '../../../shared/render/index.js';
import { ProcessToolRunner } from '../../../shared/tools/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const golden = (name: string) => join(here, '__golden__', name);
const REPO = 'https://git.example.com/org/config.git';
const tools = new ProcessToolRunner();
let tree: DirectorySourceTree;

beforeAll(async () => {
  tree = await DirectorySourceTree.open(REPO, join(here, 'repo'));
});

interface Case {
  readonly name: string;
  readonly source: Partial<ApplicationSource> & { path: string };
  readonly request?: Partial<RenderRequest>;
}

function source(s: Case['source']): ApplicationSource {
  return { repoURL: REPO, targetRevision: 'main', ...s };
}

async function renderCase(c: Case) {
  return renderSource({
    appName: 'demo',
    appNamespace: 'argocd',
    destinationNamespace: 'apps',
    source: source(c.source),
    tree,
    tools,
    ...c.request,
  });
}

async function expectGolden(c: Case, expectedType: string): Promise<void> {
  const result = await renderCase(c);
  expect(result.sourceType).toBe(expectedType);
  expect(result.cached).toBe(false);
  await expect(`# ${result.sourceType}\n${objectsToYaml(result.objects)}`).toMatchFileSnapshot(golden(`${c.name}.yaml`));
}

async function expectError(c: Case, code: string): Promise<void> {
  const error = await renderCase(c).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDriftlessError(error)) throw new Error(`${c.name}: expected a DriftlessError, got ${String(error)}`);
  expect(error.code).toBe(code);
  expect(error.message).not.toMatch(/driftless-render-|\/tmp\//);
  await expect(`${error.code}\n${error.message}\n`).toMatchFileSnapshot(golden(`errors/${c.name}.txt`));
}

describe('directory', () => {
  const cases: Array<Case & { type?: string }> = [
    { name: 'directory-root', source: { path: 'dir/plain' } },
    { name: 'directory-recurse', source: { path: 'dir/plain', directory: { recurse: true } } },
    {
      name: 'directory-include-braces',
      source: { path: 'dir/plain', directory: { recurse: true, include: '{a.yaml,sub/*.yaml}' } },
    },
    {
      name: 'directory-exclude-wins',
      source: { path: 'dir/plain', directory: { recurse: true, include: '*.yaml', exclude: '{sub/skip.yaml,*/deep/*}' } },
    },
    { name: 'directory-json-only', source: { path: 'dir/plain', directory: { include: '*.json' } } },
  ];
  for (const c of cases) it(c.name, () => expectGolden(c, 'directory'));
});

describe('detection', () => {
  it('kustomization beats Chart.yaml in the same directory (last in byte order wins)', () =>
    expectGolden({ name: 'detect-kustomize-over-chart', source: { path: 'detect/both' } }, 'kustomize'));
  it('an explicit directory block wins over discovery', () =>
    expectGolden(
      { name: 'detect-explicit-directory', source: { path: 'detect/both', directory: { include: 'cm.yaml' } } },
      'directory',
    ));
  it('two explicit blocks are an error', () =>
    expectError(
      {
        name: 'detect-two-blocks',
        source: { path: 'detect/both', helm: { releaseName: 'x' }, kustomize: { namePrefix: 'y-' } },
      },
      'INVALID_MANIFEST',
    ));
  it('a plugin block is refused clearly', () =>
    expectError({ name: 'detect-plugin', source: { path: 'detect/both', plugin: { name: 'cmp' } } }, 'RENDER_FAILED'));
  it('a missing path is an error', () =>
    expectError({ name: 'missing-path', source: { path: 'nope' } }, 'RENDER_FAILED'));
});

describe('kustomize', () => {
  const k = (name: string, kustomize: ApplicationSource['kustomize'], path = 'kustomize/overlay'): Case => ({
    name: `kustomize-${name}`,
    source: { path, kustomize },
  });
  const cases: Case[] = [
    { name: 'kustomize-plain', source: { path: 'kustomize/overlay' } },
    k('images', {
      images: [
        'nginx=ghcr.io/org/nginx:1.27',
        'registry.example.com:5000/tools/sidecar@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      ],
    }),
    k('images-tag-only', { images: ['nginx:${ARGOCD_APP_NAME}-1'] }),
    k('name-prefix-suffix', { namePrefix: 'pre-', nameSuffix: '-suf' }),
    k('common-labels', { commonLabels: { team: 'payments', app: '${ARGOCD_APP_NAME}' }, forceCommonLabels: true }),
    k('labels-without-selector', { commonLabels: { tier: 'frontend' }, labelWithoutSelector: true }),
    k('common-annotations', { commonAnnotations: { owner: 'team-a', app: '$ARGOCD_APP_NAME' } }),
    k('common-annotations-envsubst', {
      commonAnnotations: { app: '$ARGOCD_APP_NAME', ns: '${ARGOCD_APP_NAMESPACE}', price: '$$5' },
      commonAnnotationsEnvsubst: true,
    }),
    k('namespace', { namespace: 'team-ns' }),
    k('replicas', { replicas: [{ name: 'web', count: 5 }] }),
    k('patches-inline-and-path', {
      patches: [
        {
          target: { kind: 'Deployment', name: 'web' },
          patch: '- op: add\n  path: /metadata/annotations\n  value: {patched: "inline"}\n',
        },
        { path: 'memory-patch.yaml' },
      ],
    }),
    k('components', { components: ['../components/monitoring'] }),
    k('components-ignore-missing', {
      components: ['../components/monitoring', '../components/absent'],
      ignoreMissingComponents: true,
    }),
    { name: 'seed-dev', source: { path: 'seed/overlays/dev' } },
    { name: 'seed-staging', source: { path: 'seed/overlays/staging' } },
    { name: 'seed-prod', source: { path: 'seed/overlays/prod' } },
  ];
  for (const c of cases) it(c.name, () => expectGolden(c, 'kustomize'));

  it('adding an existing label without force fails like kustomize edit', () =>
    expectError(k('label-conflict', { commonLabels: { app: 'other' } }, 'kustomize/base'), 'RENDER_FAILED'));
  it('a missing component fails', () =>
    expectError(k('component-missing', { components: ['../components/absent'] }), 'RENDER_FAILED'));
});

describe('helm', () => {
  const h = (name: string, helm: ApplicationSource['helm'], request?: Partial<RenderRequest>): Case => ({
    name: `helm-${name}`,
    source: { path: 'helm/chart', ...(helm ? { helm } : {}) },
    request,
  });
  const cases: Case[] = [
    h('defaults', undefined),
    h('release-namespace', { releaseName: 'custom', namespace: 'helm-ns' }),
    h('value-files', { valueFiles: ['values-prod.yaml', '/helm/envs/shared.yaml'] }),
    h('ignore-missing-value-files', { valueFiles: ['values-prod.yaml', 'missing.yaml'], ignoreMissingValueFiles: true }),
    h('values-string', { values: 'fromValues: inline-string\nlayer: values' }),
    h('values-object-wins', { values: 'fromValues: ignored', valuesObject: { fromObject: 'object', layer: 'object' } }),
    h('parameters', {
      parameters: [
        { name: 'replicas', value: '7' },
        { name: 'flag', value: 'true', forceString: true },
        { name: 'fromParameter', value: 'a,b' },
      ],
    }),
    h('file-parameters', { fileParameters: [{ name: 'config', path: 'files/config.txt' }] }),
    h('precedence', {
      valueFiles: ['values-prod.yaml'],
      values: 'layer: values\nfromValues: yes-values',
      valuesObject: { layer: 'object', fromObject: 'object' },
      parameters: [{ name: 'layer', value: 'parameter' }],
    }),
    h('skip-crds-and-tests', { skipCrds: true, skipTests: true }),
    h('kube-and-api-versions', undefined, { kubeVersion: '1.31.0', apiVersions: ['monitoring.coreos.com/v1'] }),
    h('source-kube-version-wins', { kubeVersion: '1.29.0' }, { kubeVersion: '1.31.0' }),
  ];
  for (const c of cases) it(c.name, () => expectGolden(c, 'helm'));

  it('a value file outside the repository is refused', () =>
    expectError(h('value-file-outside', { valueFiles: ['../../../etc/passwd'] }), 'RENDER_FAILED'));
  it('a missing value file is an error without ignoreMissingValueFiles', () =>
    expectError(h('value-file-missing', { valueFiles: ['missing.yaml'] }), 'RENDER_FAILED'));
  it('a file parameter outside the repository is refused', () =>
    expectError(h('file-parameter-outside', { fileParameters: [{ name: 'x', path: '../../../../etc/hosts' }] }), 'RENDER_FAILED'));
  it('a chart whose dependency is not vendored fails clearly', () =>
    expectError({ name: 'helm-missing-dependency', source: { path: 'helm/needs-dep' } }, 'RENDER_FAILED'));
});
