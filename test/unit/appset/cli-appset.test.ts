/**
 * `driftless appset generate` end to end: a real git repository with release branches mapped
 * with --repo, cluster Secrets from the same file, output, exit codes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { captureIO } from '../../../cli/io.js';
import { main } from '../../../cli/main.js';

const REPO = 'https://git.example.com/org/config.git';
let dir: string;

const APPSETS = `
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: releases, namespace: argocd}
spec:
  generators:
    - git:
        repoURL: ${REPO}
        branches: ['release-*']
        directories: [{path: 'apps/*'}]
  template:
    metadata: {name: '{{path.basename}}-{{branchNormalized}}'}
    spec:
      project: default
      source: {repoURL: ${REPO}, targetRevision: '{{branch}}', path: '{{path}}'}
      destination: {server: https://kubernetes.default.svc, namespace: '{{path.basename}}'}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: per-cluster, namespace: argocd}
spec:
  generators:
    - clusters:
        selector: {matchLabels: {env: prod}}
  template:
    metadata: {name: 'web-{{name}}'}
    spec:
      project: default
      source: {repoURL: ${REPO}, targetRevision: main, path: apps/web}
      destination: {server: '{{server}}', namespace: web}
---
apiVersion: v1
kind: Secret
metadata:
  name: prod-cluster
  namespace: argocd
  labels: {argocd.argoproj.io/secret-type: cluster, env: prod}
stringData:
  name: prod
  server: https://prod.example.com
`;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: join(dir, 'repo'),
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftless-appset-cli-'));
  mkdirSync(join(dir, 'repo', 'apps', 'web'), { recursive: true });
  writeFileSync(join(dir, 'repo', 'apps', 'web', 'kustomization.yaml'), 'resources: []\n');
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'web');
  git('branch', 'release-1.0');
  mkdirSync(join(dir, 'repo', 'apps', 'api'));
  writeFileSync(join(dir, 'repo', 'apps', 'api', 'kustomization.yaml'), 'resources: []\n');
  git('add', '.');
  git('commit', '-q', '-m', 'api');
  git('branch', 'release-2.0');
  git('branch', 'feature-x');
  writeFileSync(join(dir, 'appsets.yaml'), APPSETS);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('driftless appset generate', () => {
  it('generates from release branches of a mapped git repository and from cluster Secrets', async () => {
    const io = captureIO();
    const code = await main(
      [
        'appset',
        'generate',
        join(dir, 'appsets.yaml'),
        '--repo',
        `${REPO}=${join(dir, 'repo')}`,
        '-o',
        'json',
      ],
      io,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const apps = JSON.parse(io.stdout()) as Array<{
      metadata: { name: string };
      spec: { source: { targetRevision: string } };
    }>;
    expect(apps.map((a) => `${a.metadata.name}@${a.spec.source.targetRevision}`)).toEqual([
      'web-release-1.0@release-1.0',
      'api-release-2.0@release-2.0',
      'web-release-2.0@release-2.0',
      'web-prod@main',
    ]);
  });

  it('prints YAML by default', async () => {
    const io = captureIO();
    const code = await main(
      ['appset', 'generate', join(dir, 'appsets.yaml'), '--repo', `${REPO}=${join(dir, 'repo')}`],
      io,
    );
    expect(code).toBe(0);
    const names = io
      .stdout()
      .split(/^---$/m)
      .map((doc) => (parse(doc) as { metadata: { name: string } }).metadata.name);
    expect(names).toContain('web-prod');
  });

  it('exits 1 and names the ApplicationSet and generator when generation fails', async () => {
    const io = captureIO();
    const code = await main(
      ['appset', 'generate', join(dir, 'appsets.yaml'), '--repo', `${REPO}=${join(dir, 'repo', 'apps')}`],
      io,
    );
    expect(code).toBe(1);
    expect(io.stderr()).toContain('ApplicationSet "releases": spec.generators[0].git: branches of');
    expect(io.stderr()).toContain('is not a git repository');
  });

  it.each([
    [['appset'], 'name a subcommand'],
    [['appset', 'apply'], 'unknown subcommand "apply"'],
    [['appset', 'generate'], 'name at least one APPSET.yaml'],
    [['appset', 'generate', 'x.yaml', '-o', 'xml'], '-o must be yaml or json, not "xml"'],
    [['appset', 'generate', 'x.yaml', '--bogus'], 'unknown option --bogus'],
  ])('%j is a usage error', async (args, message) => {
    const io = captureIO();
    expect(await main(args, io)).toBe(2);
    expect(io.stderr()).toContain(message);
  });
});
