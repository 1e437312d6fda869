import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { createGitSource, DirectorySourceTree, parseLocalSourceMappings } from '../../../shared/git/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';

const exec = promisify(execFile);
const REPO = 'https://github.com/example/config';

let server: GitServer;
let root: string;
let workTree: string;
let plainDir: string;
const sha: Record<string, string> = {};

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'driftless-local-sources-'));
  server = await startGitServer();
  sha.main = await server.createRepo('config', { files: { 'app.yaml': 'on: main\n' } });
  sha.release = await server.commit('config', { branch: 'release', files: { 'app.yaml': 'on: release\n' } });
  await server.tag('config', { name: 'v1', target: sha.main, message: 'annotated' });
  await server.setDefaultBranch('config', 'release');

  workTree = join(root, 'clone');
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  await exec('git', ['clone', '--quiet', server.repoPath('config'), workTree], { env });

  plainDir = join(root, 'plain');
  await mkdir(join(plainDir, 'apps'), { recursive: true });
  await writeFile(join(plainDir, 'apps', 'web.yaml'), 'kind: ConfigMap\n');
});

afterAll(async () => {
  await server.stop();
  await rm(root, { recursive: true, force: true });
});

describe('local sources: --repo URL=PATH', () => {
  it('resolves and reads a bare repository with no network', async () => {
    const source = createGitSource({
      cacheDir: join(root, 'cache-bare'),
      localSources: parseLocalSourceMappings([`${REPO}=${server.repoPath('config')}`]),
    });
    server.resetStats();
    expect(await source.resolve(REPO, 'HEAD')).toBe(sha.release);
    expect(await source.resolve(REPO, '')).toBe(sha.release);
    expect(await source.resolve(REPO, 'main')).toBe(sha.main);
    expect(await source.resolve(REPO, 'v1')).toBe(sha.main);
    expect(await source.resolve(REPO, sha.main!)).toBe(sha.main);
    expect(await source.resolve(REPO, sha.release!.slice(0, 9))).toBe(sha.release);
    const tree = await source.open(REPO, sha.main!);
    expect(text(await tree.readFile('app.yaml'))).toBe('on: main\n');
    expect(server.stats.requests).toBe(0);
  });

  it('matches the mapping however the Application spells the URL', async () => {
    const source = createGitSource({
      cacheDir: join(root, 'cache-spelling'),
      localSources: parseLocalSourceMappings([
        `https://GitHub.com/example/config.git=${server.repoPath('config')}`,
      ]),
    });
    expect(await source.resolve('git@github.com:example/config', 'main')).toBe(sha.main);
  });

  it('resolves branches of a working tree, including ones only tracked from origin', async () => {
    const source = createGitSource({
      cacheDir: join(root, 'cache-work'),
      localSources: parseLocalSourceMappings([`${REPO}=clone`], { cwd: root }),
    });
    expect(await source.resolve(REPO, 'HEAD')).toBe(sha.release);
    expect(await source.resolve(REPO, 'main')).toBe(sha.main);
    const tree = await source.open(REPO, await source.resolve(REPO, 'release'));
    expect(text(await tree.readFile('app.yaml'))).toBe('on: release\n');
  });

  it('an unknown local revision is GIT_NOT_FOUND naming the path', async () => {
    const source = createGitSource({
      cacheDir: join(root, 'cache-missing'),
      localSources: parseLocalSourceMappings([`${REPO}=${workTree}`]),
    });
    const e = await caught(source.resolve(REPO, 'nope'));
    expect(isDriftlessError(e, 'GIT_NOT_FOUND')).toBe(true);
    expect((e as Error).message).toBe(
      `repository ${REPO}: revision "nope" not found in local repository ${workTree}`,
    );
  });

  it('reads a plain directory at its content hash, ignoring targetRevision', async () => {
    const source = createGitSource({
      cacheDir: join(root, 'cache-plain'),
      localSources: parseLocalSourceMappings([`${REPO}=${plainDir}`]),
    });
    const expected = (await DirectorySourceTree.open(REPO, plainDir)).revision;
    const revision = await source.resolve(REPO, 'whatever-branch');
    expect(revision).toBe(expected);
    const tree = await source.open(REPO, revision);
    expect(tree.revision).toBe(expected);
    expect(text(await tree.readFile('apps/web.yaml'))).toBe('kind: ConfigMap\n');

    await writeFile(join(plainDir, 'apps', 'web.yaml'), 'kind: Secret\n');
    const changed = await source.resolve(REPO, 'HEAD');
    expect(changed).not.toBe(expected);
    expect(await readFile(join(plainDir, 'apps', 'web.yaml'), 'utf8')).toBe('kind: Secret\n');
  });

  it('unmapped repositories still go to the network', async () => {
    const source = createGitSource({
      cacheDir: join(root, 'cache-remote'),
      localSources: parseLocalSourceMappings([`${REPO}=${plainDir}`]),
    });
    server.resetStats();
    expect(await source.resolve(server.url('config'), 'main')).toBe(sha.main);
    expect(server.stats.refAdvertisements).toBe(1);
  });

  it('a mapping to a missing path is NOT_FOUND naming it', async () => {
    const missing = join(root, 'does-not-exist');
    const source = createGitSource({
      cacheDir: join(root, 'cache-none'),
      localSources: parseLocalSourceMappings([`${REPO}=${missing}`]),
    });
    const e = await caught(source.resolve(REPO, 'main'));
    expect(isDriftlessError(e, 'NOT_FOUND')).toBe(true);
    expect((e as Error).message).toContain(missing);
  });
});

describe('parseLocalSourceMappings', () => {
  it('splits at the first "=" and resolves relative paths', () => {
    expect(
      parseLocalSourceMappings([`${REPO}=config`, 'git@host:org/x=/abs/p=q'], { cwd: '/srv/checkout' }),
    ).toEqual([
      { repoURL: REPO, path: '/srv/checkout/config' },
      { repoURL: 'git@host:org/x', path: '/abs/p=q' },
    ]);
  });

  it.each([['no-equals-sign'], ['=./path'], [`${REPO}=`], ['https://u:hunter2@host/r']])(
    'rejects %j with a message that shows the expected form',
    (spec) => {
      let error: unknown;
      try {
        parseLocalSourceMappings([spec]);
      } catch (e) {
        error = e;
      }
      expect(isDriftlessError(error, 'INVALID_INPUT')).toBe(true);
      expect((error as Error).message).toContain('expected URL=PATH');
      expect((error as Error).message).not.toContain('hunter2');
    },
  );

  it('rejects two mappings for one repository', () => {
    expect(() => parseLocalSourceMappings([`${REPO}=a`, `${REPO}.git=b`], { cwd: '/w' })).toThrow(
      /already mapped to \/w\/a/,
    );
  });
});
