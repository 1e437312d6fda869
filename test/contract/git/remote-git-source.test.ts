import { lstat, mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { createGitSource } from '../../../shared/git/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-git-test-'));
  temps.push(dir);
  return dir;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

let server: GitServer;
let url: string;
const sha: Record<string, string> = {};

beforeAll(async () => {
  server = await startGitServer();
  sha.old = await server.createRepo('config', {
    branch: 'main',
    files: { 'apps/web/deployment.yaml': 'kind: Deployment\n', 'README.md': 'old\n' },
  });
  sha.mid = await server.commit('config', { branch: 'main', files: { 'mid.txt': 'not a tip\n' } });
  sha.main = await server.commit('config', {
    branch: 'main',
    files: {
      'README.md': 'config\n',
      'apps/web/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'bin/render.sh': { content: '#!/bin/sh\necho hi\n', mode: 'executable' },
      'apps/current': { content: 'web', mode: 'symlink' },
    },
  });
  sha.trunk = await server.commit('config', { branch: 'trunk', files: { 'trunk.yaml': 'branch: trunk\n' } });
  sha.pr = await server.commit('config', { branch: 'feature', files: { 'pr.yaml': 'pr: 1\n' } });
  sha.mr = await server.commit('config', { branch: 'feature', files: { 'mr.yaml': 'mr: 1\n' } });
  await server.git('config', ['update-ref', '-d', 'refs/heads/feature']);
  await server.setRef('config', { ref: 'refs/pull/1/head', target: sha.pr });
  await server.setRef('config', { ref: 'refs/merge-requests/1/head', target: sha.mr });
  await server.tag('config', { name: 'v1.0.0', target: sha.old });
  await server.tag('config', { name: 'v2.0.0', target: sha.main, message: 'release 2' });
  await server.setDefaultBranch('config', 'trunk');

  await server.createRepo('links', {
    files: {
      'app/config.yaml': 'a: 1\n',
      'app/alias.yaml': { content: 'config.yaml', mode: 'symlink' },
      'escape/passwd': { content: '../../../etc/passwd', mode: 'symlink' },
      'escape/ok.yaml': 'ok\n',
    },
  });
  url = server.url('config');
});

afterAll(async () => {
  await server.stop();
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

describe('resolve over HTTP', () => {
  it.each([
    ['', 'trunk'],
    ['HEAD', 'trunk'],
    ['main', 'main'],
    ['trunk', 'trunk'],
    ['refs/heads/main', 'main'],
    ['v1.0.0', 'old'],
    ['v2.0.0', 'main'],
    ['refs/tags/v2.0.0', 'main'],
    ['refs/pull/1/head', 'pr'],
    ['pull/1/head', 'pr'],
    ['refs/merge-requests/1/head', 'mr'],
  ])('%j resolves to the %s commit', async (revision, expected) => {
    const source = createGitSource({ cacheDir: await tempDir() });
    expect(await source.resolve(url, revision)).toBe(sha[expected]);
  });

  it('annotated tags resolve to the commit, not the tag object', async () => {
    const tagObject = await server.git('config', ['rev-parse', 'refs/tags/v2.0.0']);
    const source = createGitSource({ cacheDir: await tempDir() });
    expect(tagObject).not.toBe(sha.main);
    expect(await source.resolve(url, 'v2.0.0')).toBe(sha.main);
  });

  it('takes a full SHA as is without any request', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    server.resetStats();
    expect(await source.resolve(url, sha.old!.toUpperCase())).toBe(sha.old);
    expect(server.stats.requests).toBe(0);
  });

  it('expands an abbreviated SHA of an advertised tip', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    expect(await source.resolve(url, sha.main!.slice(0, 7))).toBe(sha.main);
  });

  it('expands an abbreviated SHA of an older commit only once it has been fetched', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    const short = sha.mid!.slice(0, 8);
    const before = await caught(source.resolve(url, short));
    expect(isDriftlessError(before, 'GIT_NOT_FOUND')).toBe(true);
    await source.open(url, sha.mid!);
    expect(await source.resolve(url, short)).toBe(sha.mid);
  });

  it('an unknown revision is GIT_NOT_FOUND naming the repository and revision', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    const e = await caught(source.resolve(url, 'no-such-branch'));
    expect(isDriftlessError(e, 'GIT_NOT_FOUND')).toBe(true);
    expect((e as Error).message).toBe(`repository ${url}: revision "no-such-branch" not found`);
  });

  it('an unknown commit is GIT_NOT_FOUND when opened', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    const e = await caught(source.open(url, 'f'.repeat(40)));
    expect(isDriftlessError(e, 'GIT_NOT_FOUND')).toBe(true);
    expect((e as Error).message).toContain(`revision "${'f'.repeat(40)}" not found`);
  });

  it('an unknown repository is GIT_NOT_FOUND', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    const e = await caught(source.resolve(server.url('missing'), 'main'));
    expect(isDriftlessError(e, 'GIT_NOT_FOUND')).toBe(true);
    expect((e as Error).message).toContain(server.url('missing'));
  });

  it('a refused connection is a retryable GIT_TRANSPORT', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const source = createGitSource({ cacheDir: await tempDir() });
    const e = await caught(source.resolve(`http://127.0.0.1:${port}/config.git`, 'main'));
    expect(isDriftlessError(e, 'GIT_TRANSPORT')).toBe(true);
    expect((e as { retryable: boolean }).retryable).toBe(true);
  });

  it('a server that stops answering is a retryable GIT_TRANSPORT after the idle timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const source = createGitSource({ cacheDir: await tempDir(), requestTimeoutMs: 100 });
      const e = await caught(source.resolve(`http://127.0.0.1:${port}/config.git`, 'main'));
      expect(isDriftlessError(e, 'GIT_TRANSPORT')).toBe(true);
      expect((e as { retryable: boolean }).retryable).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('open: shallow fetch into the cache, reads from the object store', () => {
  it('reads files, lists directories and reports git object ids', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    const tree = await source.open(url, sha.main!);
    expect(tree.revision).toBe(sha.main);
    expect(text(await tree.readFile('apps/web/kustomization.yaml'))).toBe('resources: [deployment.yaml]\n');
    expect((await tree.list('apps')).map((e) => [e.name, e.type])).toEqual([
      ['current', 'symlink'],
      ['web', 'dir'],
    ]);
    expect(await tree.idOf('apps/web')).toBe(
      await server.git('config', ['rev-parse', `${sha.main}:apps/web`]),
    );
    expect(await tree.idOf('README.md')).toBe(
      await server.git('config', ['rev-parse', `${sha.main}:README.md`]),
    );
    expect(await tree.idOf('')).toBe(await server.git('config', ['rev-parse', `${sha.main}^{tree}`]));
    expect(await tree.idOf('nope')).toBeUndefined();
    expect(await tree.readLink('apps/current')).toBe('web');
    expect(text(await tree.readFile('apps/current/deployment.yaml'))).toBe('kind: Deployment\n');
    expect(isDriftlessError(await caught(tree.readFile('apps')), 'NOT_FOUND')).toBe(true);
    expect(isDriftlessError(await caught(tree.list('README.md')), 'NOT_FOUND')).toBe(true);
  });

  it('an unchanged commit costs one ref lookup and no upload-pack POST; a new commit is fetched', async () => {
    const cacheDir = await tempDir();
    await server.createRepo('cached', { files: { 'a.yaml': 'a: 1\n' } });
    const repo = server.url('cached');

    const first = createGitSource({ cacheDir });
    server.resetStats();
    await first.open(repo, await first.resolve(repo, 'main'));
    expect(server.stats.uploadPackPosts).toBe(1);

    // A new GitSource over the same cache directory: what a fresh process (or Lambda) would see.
    const second = createGitSource({ cacheDir });
    server.resetStats();
    const tree = await second.open(repo, await second.resolve(repo, 'main'));
    expect(text(await tree.readFile('a.yaml'))).toBe('a: 1\n');
    expect(server.stats).toMatchObject({ requests: 1, refAdvertisements: 1, uploadPackPosts: 0 });

    const next = await server.commit('cached', { branch: 'main', files: { 'a.yaml': 'a: 2\n' } });
    server.resetStats();
    const updated = await second.open(repo, await second.resolve(repo, 'main'));
    expect(updated.revision).toBe(next);
    expect(text(await updated.readFile('a.yaml'))).toBe('a: 2\n');
    expect(server.stats.uploadPackPosts).toBe(1);
  });

  it('other spellings of the URL share the cache', async () => {
    const cacheDir = await tempDir();
    const source = createGitSource({ cacheDir });
    await source.open(url, sha.main!);
    server.resetStats();
    const tree = await source.open(`${server.baseURL.replace('://', '://someone@')}/config/`, sha.main!);
    expect(text(await tree.readFile('README.md'))).toBe('config\n');
    expect(server.stats.requests).toBe(0);
  });

  it('concurrent opens of one repository fetch once and all read the same content', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    server.resetStats();
    const trees = await Promise.all(
      [sha.main, sha.main, sha.trunk, sha.main, sha.trunk].map((c) => source.open(url, c!)),
    );
    const readmes = await Promise.all(trees.map((t) => t.idOf('README.md')));
    expect(readmes.filter((id) => id !== undefined)).toHaveLength(3);
    expect(server.stats.uploadPackPosts).toBe(2);
  });
});

describe('materialize', () => {
  it('writes files with their modes and recreates in-repository symlinks', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    const tree = await source.open(url, sha.main!);
    const out = await tempDir();
    await tree.materialize(out);
    expect(await readFile(join(out, 'apps/web/deployment.yaml'), 'utf8')).toBe('kind: Deployment\n');
    expect((await stat(join(out, 'bin/render.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(out, 'README.md'))).mode & 0o111).toBe(0);
    expect((await lstat(join(out, 'apps/current'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(out, 'apps/current'))).toBe('web');
    expect(await readFile(join(out, 'apps/current/kustomization.yaml'), 'utf8')).toBe(
      'resources: [deployment.yaml]\n',
    );
  });

  it('writes only the requested subtree', async () => {
    const source = createGitSource({ cacheDir: await tempDir() });
    const tree = await source.open(url, sha.main!);
    const out = await tempDir();
    await tree.materialize(out, { path: 'apps/web' });
    expect(await readFile(join(out, 'kustomization.yaml'), 'utf8')).toBe('resources: [deployment.yaml]\n');
    expect(await stat(join(out, 'README.md')).catch(() => undefined)).toBeUndefined();
  });

  it('refuses a symlink that leaves the repository, naming it', async () => {
    const repo = server.url('links');
    const source = createGitSource({ cacheDir: await tempDir() });
    const tree = await source.open(repo, await source.resolve(repo, 'HEAD'));
    const ok = await tempDir();
    await tree.materialize(ok, { path: 'app' });
    expect(await readFile(join(ok, 'alias.yaml'), 'utf8')).toBe('a: 1\n');

    const e = await caught(tree.materialize(await tempDir(), { path: 'escape' }));
    expect(isDriftlessError(e, 'LIMIT_EXCEEDED')).toBe(true);
    expect((e as Error).message).toContain('symlink escape/passwd -> ../../../etc/passwd');
    const read = await caught(tree.readFile('escape/passwd'));
    expect(isDriftlessError(read, 'LIMIT_EXCEEDED')).toBe(true);
    expect(isDriftlessError(await caught(tree.readFile('../outside')), 'LIMIT_EXCEEDED')).toBe(true);
  });
});
