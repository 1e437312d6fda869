/* biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are envsubst input, not templates */
import { describe, expect, it } from 'vitest';
import type { TreeEntry } from '../../../shared/ports/source-tree.js';
import { envsubst } from '../../../shared/render/app-env.js';
import { discoverSourceType } from '../../../shared/render/detect-source-type.js';
import { globMatcher } from '../../../shared/render/glob.js';
import { escapeSetValue, resolveRepoPath } from '../../../shared/render/helm-renderer.js';
import { parseImageArg } from '../../../shared/render/kustomize-edit.js';
import { parseYamlDocuments } from '../../../shared/render/manifest-yaml.js';

const file = (name: string): TreeEntry => ({ name, path: name, type: 'file', id: name });

describe('glob (gobwas semantics, no separators)', () => {
  it.each([
    ['*.yaml', 'a.yaml', true],
    ['*.yaml', 'sub/a.yaml', true],
    ['{a,b}.yaml', 'b.yaml', true],
    ['{a,b}.yaml', 'c.yaml', false],
    ['sub/{x,y/*}.yml', 'sub/y/z.yml', true],
    ['[!a]*.json', 'a.json', false],
    ['?.json', 'b.json', true],
    ['{unclosed', 'x', false],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    expect(globMatcher(pattern)(path)).toBe(expected);
  });
});

describe('discovery', () => {
  it('uses the last match in byte order', () => {
    expect(discoverSourceType([file('Chart.yaml'), file('kustomization.yaml')])).toBe('kustomize');
    expect(discoverSourceType([file('kustomization.yaml'), file('values-Chart.yaml')])).toBe('helm');
    expect(discoverSourceType([file('Kustomization')])).toBe('kustomize');
    expect(discoverSourceType([file('deploy.yaml')])).toBe('directory');
  });
});

describe('envsubst (os.Expand over the app environment)', () => {
  const env = { ARGOCD_APP_NAME: 'web', N: 'ns' };
  it.each([
    ['$ARGOCD_APP_NAME', 'web'],
    ['${ARGOCD_APP_NAME}-x', 'web-x'],
    ['$UNKNOWN!', '!'],
    ['$$5', '$5'],
    ['cost $', 'cost $'],
    ['${N}/${N}', 'ns/ns'],
  ])('%s → %s', (input, expected) => {
    expect(envsubst(input, env)).toBe(expected);
  });
});

describe('kustomize set image arguments', () => {
  it.each([
    ['nginx:1.27', { name: 'nginx', newTag: '1.27' }],
    ['nginx=ghcr.io/o/nginx:1.27', { name: 'nginx', newName: 'ghcr.io/o/nginx', newTag: '1.27' }],
    ['mysql=mariadb', { name: 'mysql', newName: 'mariadb' }],
    ['alpine@sha256:abc', { name: 'alpine', digest: 'sha256:abc' }],
    ['localhost:5000/app', { name: 'localhost:5000/app' }],
    ['localhost:5000/app:2', { name: 'localhost:5000/app', newTag: '2' }],
  ])('%s', (arg, expected) => {
    expect(parseImageArg(arg)).toEqual(expected);
  });
});

describe('helm arguments', () => {
  it('escapes commas except in {list} values', () => {
    expect(escapeSetValue('a,b')).toBe('a\\,b');
    expect(escapeSetValue('a\\,b')).toBe('a\\,b');
    expect(escapeSetValue('{a,b}')).toBe('{a,b}');
  });
  it('resolves value files against the chart, absolute ones against the root', () => {
    expect(resolveRepoPath('charts/web', 'values-prod.yaml', 'f')).toBe('charts/web/values-prod.yaml');
    expect(resolveRepoPath('charts/web', '/envs/prod.yaml', 'f')).toBe('envs/prod.yaml');
    expect(() => resolveRepoPath('charts/web', '../../../x', 'f')).toThrow(/outside the repository/);
  });
});

describe('YAML as go-yaml v2 reads it', () => {
  // Expected values are what `kubectl label --local -f <file> -o json` prints for the same input.
  it('YAML 1.1 booleans and octals, timestamps as strings, merge keys', () => {
    const [doc] = parseYamlDocuments(
      'a: yes\nb: off\nc: 0644\nd: 2024-01-02\ne: 1:20\nf: y\ng: 0o17\nh: 1e3\ni: 1.0\nbase: &b {x: 1}\nm:\n  <<: *b\n  z: 2\n',
      { path: 'f.yaml', maxAliasCount: 10 },
    );
    expect(doc?.value).toEqual({
      a: true,
      b: false,
      c: 420,
      d: '2024-01-02',
      e: '1:20',
      f: true,
      g: 15,
      h: 1000,
      i: 1,
      base: { x: 1 },
      m: { x: 1, z: 2 },
    });
  });
  it('keys that YAML 1.1 reads as booleans become "true"/"false", later ones winning', () => {
    const [doc] = parseYamlDocuments('y: 2\nn: 3\non: 4\n', { path: 'f.yaml', maxAliasCount: 10 });
    expect(doc?.value).toEqual({ false: 3, true: 4 });
  });
});
