import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import {
  compareSemVer,
  createGitSource,
  isSemVerConstraint,
  parseSemVer,
  parseSemVerConstraint,
} from '../../../shared/git/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';

const run = promisify(execFile);

/** Versions a constraint admits out of a fixed pool, in pool order. */
const POOL = [
  '0.0.0',
  '0.0.3',
  '0.0.4',
  '0.2.3',
  '0.2.9',
  '0.3.0',
  '1.0.0',
  '1.2.0-rc.1',
  '1.2.0',
  '1.2.3',
  '1.2.9',
  '1.3.0',
  '1.4.5',
  '1.4.6',
  '2.0.0-beta.2',
  '2.0.0',
  '2.3.0',
  '3.0.0',
];
function admitted(constraint: string): string[] {
  const parsed = parseSemVerConstraint(constraint);
  if (!parsed) throw new Error(`not a constraint: ${constraint}`);
  return POOL.filter((v) => parsed.satisfiedBy(parseSemVer(v)!));
}

describe('semver constraints (Masterminds/semver semantics, as Argo CD uses them)', () => {
  it.each([
    ['>=1.2 <2', ['1.2.0', '1.2.3', '1.2.9', '1.3.0', '1.4.5', '1.4.6']],
    ['>=1.2, <2', ['1.2.0', '1.2.3', '1.2.9', '1.3.0', '1.4.5', '1.4.6']],
    ['~1.2', ['1.2.0', '1.2.3', '1.2.9']],
    ['~1.2.3', ['1.2.3', '1.2.9']],
    ['~>1', ['1.0.0', '1.2.0', '1.2.3', '1.2.9', '1.3.0', '1.4.5', '1.4.6']],
    ['^1.2', ['1.2.0', '1.2.3', '1.2.9', '1.3.0', '1.4.5', '1.4.6']],
    ['^0.2.3', ['0.2.3', '0.2.9']],
    ['^0.0.3', ['0.0.3']],
    ['^0', ['0.0.0', '0.0.3', '0.0.4', '0.2.3', '0.2.9', '0.3.0']],
    ['1.2.x', ['1.2.0', '1.2.3', '1.2.9']],
    ['v1.x', ['1.0.0', '1.2.0', '1.2.3', '1.2.9', '1.3.0', '1.4.5', '1.4.6']],
    [
      '<=2.x',
      [
        '0.0.0',
        '0.0.3',
        '0.0.4',
        '0.2.3',
        '0.2.9',
        '0.3.0',
        '1.0.0',
        '1.2.0',
        '1.2.3',
        '1.2.9',
        '1.3.0',
        '1.4.5',
        '1.4.6',
        '2.0.0',
        '2.3.0',
      ],
    ],
    ['>1.2', ['1.3.0', '1.4.5', '1.4.6', '2.0.0', '2.3.0', '3.0.0']],
    ['>1', ['2.0.0', '2.3.0', '3.0.0']],
    ['1.2 - 1.4.5', ['1.2.0', '1.2.3', '1.2.9', '1.3.0', '1.4.5']],
    ['!=1.2.3 ~1.2', ['1.2.0', '1.2.9']],
    ['<1 || >=3', ['0.0.0', '0.0.3', '0.0.4', '0.2.3', '0.2.9', '0.3.0', '3.0.0']],
    ['>=1.2.0-0 <1.3', ['1.2.0-rc.1', '1.2.0', '1.2.3', '1.2.9']],
    ['>=2.0.0-0', ['2.0.0-beta.2', '2.0.0', '2.3.0', '3.0.0']],
  ])('%s', (constraint, expected) => {
    expect(admitted(constraint)).toEqual(expected);
  });

  it('* admits every release and no prerelease', () => {
    expect(admitted('*')).toEqual(POOL.filter((v) => !v.includes('-')));
  });

  it('orders versions by semver precedence, prereleases below their release', () => {
    const sorted = [
      '1.0.0',
      '1.0.0-rc.1',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta.11',
      '1.0.0-beta.2',
      '0.9.10',
      '0.9.9',
    ]
      .map((v) => parseSemVer(v)!)
      .sort(compareSemVer)
      .map((v) => v.original);
    expect(sorted).toEqual([
      '0.9.9',
      '0.9.10',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ]);
  });

  it('treats versions and ref names as refs, and only constraints as constraints', () => {
    for (const pinned of ['v1.0.0', '1.0.0', 'v1.2', '1', 'main', 'HEAD', 'release-1.2', 'refs/tags/v1', ''])
      expect(isSemVerConstraint(pinned), pinned).toBe(false);
    for (const range of ['>=1.2 <2', '~1.2', '^1', '1.2.x', '*', 'v1.x', '<1 || >=3'])
      expect(isSemVerConstraint(range), range).toBe(true);
  });
});

let server: GitServer;
let url: string;
const sha: Record<string, string> = {};
let clone: string;

beforeAll(async () => {
  server = await startGitServer();
  sha.c100 = await server.createRepo('releases', { files: { 'v.txt': '1.0.0\n' } });
  sha.c120 = await server.commit('releases', { branch: 'main', files: { 'v.txt': '1.2.0\n' } });
  sha.c125 = await server.commit('releases', { branch: 'main', files: { 'v.txt': '1.2.5\n' } });
  sha.c130rc = await server.commit('releases', { branch: 'main', files: { 'v.txt': '1.3.0-rc.1\n' } });
  sha.c200 = await server.commit('releases', { branch: 'main', files: { 'v.txt': '2.0.0\n' } });
  sha.branch = await server.commit('releases', { branch: '1.x', files: { 'v.txt': 'branch\n' } });
  await server.commit('releases', { branch: 'release-1.2', files: { 'v.txt': 'release branch\n' } });
  await server.tag('releases', { name: 'v1.0.0', target: sha.c100 });
  await server.tag('releases', { name: '1.2.0', target: sha.c120 });
  // Annotated: the constraint must resolve to the commit, not the tag object.
  await server.tag('releases', { name: 'v1.2.5', target: sha.c125, message: 'release 1.2.5' });
  await server.tag('releases', { name: 'v1.3.0-rc.1', target: sha.c130rc });
  await server.tag('releases', { name: 'v2.0.0', target: sha.c200 });
  await server.tag('releases', { name: 'nightly', target: sha.c200 });
  url = server.url('releases');
  clone = await mkdtemp(join(tmpdir(), 'driftless-semver-clone-'));
  await run('git', ['clone', '--quiet', url, clone]);
});

afterAll(async () => {
  await server?.stop();
  if (clone) await rm(clone, { recursive: true, force: true });
});

describe.each([
  ['remote', () => createGitSource({ cacheDir: join(clone, '.cache-unused') })],
  ['local clone', () => createGitSource({ localSources: [{ repoURL: url, path: clone }] })],
])('semver targetRevision over %s', (_where, source) => {
  it.each([
    ['>=1.2 <2', 'c125'],
    ['~1.2', 'c125'],
    ['^1.0', 'c125'],
    ['1.x', 'c125'],
    ['1.0.x', 'c100'],
    ['*', 'c200'],
    ['>=1.3.0-0 <2', 'c130rc'],
  ])('%s resolves to the highest matching tag', async (revision, expected) => {
    expect(await source().resolve(url, revision)).toBe(sha[expected]);
  });

  it('a pinned version is a tag name, not a constraint', async () => {
    expect(await source().resolve(url, 'v1.0.0')).toBe(sha.c100);
    expect(await source().resolve(url, '1.2.0')).toBe(sha.c120);
  });

  it('a constraint no tag satisfies falls through to ref names, then fails naming the revision', async () => {
    const error = await source()
      .resolve(url, '>=3')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isDriftlessError(error, 'GIT_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('">=3"');
  });

  it('lists branches', async () => {
    expect(await source().listBranches(url)).toEqual(['1.x', 'main', 'release-1.2']);
  });
});

describe('branch listing over the network', () => {
  it('costs one ref advertisement', async () => {
    server.resetStats();
    await createGitSource().listBranches(url);
    expect(server.stats.refAdvertisements).toBe(1);
    expect(server.stats.uploadPackPosts).toBe(0);
  });

  it('a constraint with a tag beats a branch of the same name, as in Argo CD', async () => {
    // `1.x` is both a branch and a constraint that v1.2.5 satisfies.
    expect(await createGitSource().resolve(url, '1.x')).toBe(sha.c125);
    expect(await createGitSource().resolve(url, 'release-1.2')).not.toBe(sha.c125);
  });
});
