import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { captureIO } from '../../../cli/io.js';
import { main } from '../../../cli/main.js';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { createGitSource } from '../../../shared/git/index.js';
import { type PromoteOptions, promote } from '../../../shared/promote/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';

const exec = promisify(execFile);
const gitEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Other',
  GIT_AUTHOR_EMAIL: 'other@example.com',
  GIT_COMMITTER_NAME: 'Other',
  GIT_COMMITTER_EMAIL: 'other@example.com',
};
const git = async (cwd: string, ...args: string[]) =>
  (await exec('git', args, { cwd, env: gitEnv })).stdout.trim();

const clock = { now: () => new Date('2026-11-26T10:00:00Z'), sleep: async () => {} };
const author = { name: 'Ana Lima', email: 'ana@example.com' };

let server: GitServer;
let url: string;
let appsFile: string;
const tags: Record<string, string> = {};
let repoCount = 0;
let repo: string;
const temps: string[] = [];

function applications(repoURL: string): string {
  return `# Web application, one per environment.
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web-dev
  namespace: argocd
spec:
  project: apps
  source:
    repoURL: ${repoURL}
    targetRevision: main # follows the branch
    path: apps/web/overlays/dev
  destination: {server: 'https://kubernetes.default.svc', namespace: web-dev}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web-prod
  namespace: argocd
spec:
  project: apps
  source:
    repoURL: ${repoURL}
    # pinned: promote moves it
    targetRevision: v1.0.0
    path: apps/web/overlays/prod
  destination:
    server: https://kubernetes.default.svc
    namespace: web-prod
`;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-promote-test-'));
  temps.push(dir);
  return dir;
}

beforeAll(async () => {
  server = await startGitServer();
});

beforeEach(async () => {
  // A fresh repository per test: pushes change it.
  repo = `config-${++repoCount}`;
  url = server.url(repo);
  appsFile = applications(url);
  tags.v100 = await server.createRepo(repo, {
    files: { 'argocd/web.yaml': appsFile, 'README.md': 'config\n' },
  });
  tags.v110 = await server.commit(repo, { branch: 'main', files: { 'apps/web/v.txt': '1.1.0\n' } });
  tags.v120rc = await server.commit(repo, { branch: 'main', files: { 'apps/web/v.txt': '1.2.0-rc.1\n' } });
  await server.tag(repo, { name: 'v1.0.0', target: tags.v100! });
  await server.tag(repo, { name: 'v1.1.0', target: tags.v110!, message: 'release 1.1.0' });
  await server.tag(repo, { name: 'v1.2.0-rc.1', target: tags.v120rc! });
});

afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await server?.stop();
});

const base = (overrides: Partial<PromoteOptions>): PromoteOptions => ({
  application: 'web-prod',
  revision: 'v1.1.0',
  config: { kind: 'url', url },
  git: createGitSource(),
  author,
  commit: true,
  clock,
  ...overrides,
});

const onServer = (args: string[]) => server.git(repo, args);

describe('promote over a real git server', () => {
  it('commits the one-field edit with a message naming who and what, and pushes it', async () => {
    const before = await onServer(['rev-parse', 'main']);
    const result = await promote(base({}));
    expect(result.kind).toBe('committed');

    expect(await onServer(['rev-parse', 'main'])).not.toBe(before);
    expect(await onServer(['rev-parse', 'main^'])).toBe(before);
    expect(await onServer(['show', 'main:argocd/web.yaml'])).toBe(
      appsFile.replace('targetRevision: v1.0.0', 'targetRevision: v1.1.0').trimEnd(),
    );
    expect(await onServer(['log', '-1', '--format=%an <%ae>|%s', 'main'])).toBe(
      'Ana Lima <ana@example.com>|promote web-prod: targetRevision v1.0.0 -> v1.1.0 (by Ana Lima)',
    );
    expect(await onServer(['log', '-1', '--format=%b', 'main'])).toContain(
      `"v1.1.0" resolves to ${tags.v110}`,
    );
    expect(await onServer(['diff', '--name-only', 'main^', 'main'])).toBe('argocd/web.yaml');
  });

  it('a semver constraint is resolved first and written as a quoted string', async () => {
    const result = await promote(base({ application: 'web-dev', revision: '>=1.0 <2' }));
    expect(result.kind === 'committed' && result.resolved).toBe(tags.v110);
    const text = await onServer(['show', 'main:argocd/web.yaml']);
    expect(text).toContain(`targetRevision: ">=1.0 <2" # follows the branch`);
    expect(await onServer(['log', '-1', '--format=%s', 'main'])).toBe(
      'promote web-dev: targetRevision main -> >=1.0 <2 (by Ana Lima)',
    );
  });

  it('refuses a revision that does not resolve, naming it, and writes nothing', async () => {
    const before = await onServer(['rev-parse', 'main']);
    const error = await promote(base({ revision: 'v9.9.9' })).catch((e: unknown) => e);
    expect(isDriftlessError(error, 'GIT_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('"v9.9.9"');
    expect(await onServer(['rev-parse', 'main'])).toBe(before);
  });

  it('a stale checkout: the refused push is re-applied on the moved branch and the checkout fast-forwards', async () => {
    const checkout = await tempDir();
    await git(checkout, 'clone', '--quiet', url, '.');
    const theirs = await server.commit(repo, { branch: 'main', files: { 'README.md': 'someone else\n' } });

    const result = await promote(base({ config: { kind: 'checkout', dir: checkout } }));
    expect(result.kind === 'committed' && result.retried).toBe(true);
    expect(await onServer(['rev-parse', 'main^'])).toBe(theirs);
    expect(await onServer(['show', 'main:README.md'])).toBe('someone else');
    expect(await onServer(['show', 'main:argocd/web.yaml'])).toContain('targetRevision: v1.1.0');

    // The checkout is on the pushed commit, with both changes in its files and nothing dirty.
    expect(await git(checkout, 'rev-parse', 'HEAD')).toBe(await onServer(['rev-parse', 'main']));
    expect(await readFile(join(checkout, 'README.md'), 'utf8')).toBe('someone else\n');
    expect(await readFile(join(checkout, 'argocd/web.yaml'), 'utf8')).toContain('targetRevision: v1.1.0');
    expect(await git(checkout, 'status', '--porcelain')).toBe('');
  });

  it('refuses when the same targetRevision changed underneath, and leaves the server as it was', async () => {
    const checkout = await tempDir();
    await git(checkout, 'clone', '--quiet', url, '.');
    await server.commit(repo, {
      branch: 'main',
      files: { 'argocd/web.yaml': appsFile.replace('targetRevision: v1.0.0', 'targetRevision: v1.0.1') },
    });
    const before = await onServer(['rev-parse', 'main']);
    const error = await promote(base({ config: { kind: 'checkout', dir: checkout } })).catch(
      (e: unknown) => e,
    );
    expect(isDriftlessError(error, 'STATE_CONFLICT')).toBe(true);
    expect((error as Error).message).toContain('argocd/web.yaml');
    expect((error as Error).message).toContain('v1.0.0 -> v1.0.1');
    expect(await onServer(['rev-parse', 'main'])).toBe(before);
  });

  it('refuses to commit over uncommitted changes to the file in a checkout', async () => {
    const checkout = await tempDir();
    await git(checkout, 'clone', '--quiet', url, '.');
    await exec('sh', ['-c', 'echo "# local edit" >> argocd/web.yaml'], { cwd: checkout });
    const error = await promote(base({ config: { kind: 'checkout', dir: checkout } })).catch(
      (e: unknown) => e,
    );
    expect(isDriftlessError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toContain('argocd/web.yaml has uncommitted changes');
  });
});

describe('driftless promote', () => {
  it('promotes from the command line against the repository URL', async () => {
    const io = captureIO();
    const code = await main(
      ['promote', 'web-prod', '--to', 'v1.1.0', '--config', url, '--author', 'Bo Chen <bo@example.com>'],
      io,
    );
    expect(io.stderr()).toContain('argocd/web.yaml: spec.source.targetRevision: v1.0.0 -> v1.1.0');
    expect(code).toBe(0);
    expect(await onServer(['log', '-1', '--format=%an|%s', 'main'])).toBe(
      'Bo Chen|promote web-prod: targetRevision v1.0.0 -> v1.1.0 (by Bo Chen)',
    );
  });

  it('--no-commit prints the edited file and changes nothing', async () => {
    const before = await onServer(['rev-parse', 'main']);
    const io = captureIO();
    const code = await main(
      [
        'promote',
        'web-prod',
        '--to',
        '^1',
        '--config',
        url,
        '--author',
        'Bo <bo@example.com>',
        '--no-commit',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout()).toBe(appsFile.replace('targetRevision: v1.0.0', 'targetRevision: ^1'));
    expect(io.stderr()).toContain(`v1.0.0 -> ^1 (resolves to ${tags.v110})`);
    expect(await onServer(['rev-parse', 'main'])).toBe(before);
  });

  it('an unknown Application is an error naming it', async () => {
    const io = captureIO();
    const code = await main(
      ['promote', 'web-qa', '--to', 'v1.1.0', '--config', url, '--author', 'B <b@x>'],
      io,
    );
    expect(code).toBe(1);
    expect(io.stderr()).toContain('no Application "web-qa"');
  });
});
