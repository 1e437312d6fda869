import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as git from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireDirectoryLock,
  type CacheBudget,
  cacheDirName,
  createGitSource,
  RemoteRepositories,
  tryAcquireDirectoryLock,
} from '../../../shared/git/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';

const CHILD = fileURLToPath(new URL('./fixtures/open-commit.ts', import.meta.url));
const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-git-cache-'));
  temps.push(dir);
  return dir;
}

/** Incompressible text, so that every repository's pack has a predictable, similar size. */
function noise(seed: string, bytes: number): string {
  let out = '';
  let block = seed;
  while (out.length < bytes) {
    block = createHash('sha256').update(block).digest('hex');
    out += block;
  }
  return out.slice(0, bytes);
}

function storeBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? storeBytes(path) : fs.lstatSync(path).size;
  }
  return total;
}

async function stores(cacheDir: string): Promise<readonly string[]> {
  return (await readdir(cacheDir)).filter((n) => /^[0-9a-f]{32}$/.test(n)).sort();
}

/** A clock the test moves: LRU order and age depend on it, never on real time. */
function steppingClock(start = 1_800_000_000_000, step = 1000) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms), tick: () => (at += step) };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

let server: GitServer;
let other: GitServer;
const sha: Record<string, string> = {};

beforeAll(async () => {
  [server, other] = await Promise.all([startGitServer(), startGitServer()]);
  for (const name of ['alpha', 'beta', 'gamma']) {
    sha[name] = await server.createRepo(name, {
      files: { 'app.yaml': `name: ${name}\n`, 'blob.txt': noise(name, 48 * 1024) },
    });
  }
  sha.alpha2 = await server.commit('alpha', {
    branch: 'main',
    files: { 'app.yaml': 'name: alpha\nversion: 2\n', 'blob.txt': noise('alpha2', 48 * 1024) },
  });
  sha.here = await server.createRepo('config', { files: { 'who.txt': 'first server\n' } });
  sha.there = await other.createRepo('config', { files: { 'who.txt': 'second server\n' } });
});

afterAll(async () => {
  await Promise.all([server.stop(), other.stop()]);
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

/** Remote repositories in a new cache directory under `budget`, on a clock the test moves. */
async function budgeted(budget: CacheBudget) {
  const cacheDir = await tempDir();
  const clock = steppingClock();
  const repos = new RemoteRepositories({ cacheDir, credentials: [], http: nodeHttp, budget, now: clock.now });
  return { cacheDir, clock, repos };
}

describe('cache budget', () => {
  it('evicts least recently used stores to stay under maxBytes, and an evicted repo is fetched again', async () => {
    // Measure one store, then allow room for two of them but not three.
    const probe = new RemoteRepositories({ cacheDir: await tempDir(), credentials: [], http: nodeHttp });
    await probe.open(server.url('alpha'), sha.alpha!);
    const oneStore = storeBytes(probe.gitdirOf(server.url('alpha')));
    const maxBytes = Math.floor(oneStore * 2.5);
    const { cacheDir, clock, repos } = await budgeted({ maxBytes, graceMs: 0 });

    for (const name of ['alpha', 'beta', 'gamma']) {
      clock.tick();
      await repos.open(server.url(name), sha[name]!);
      expect(storeBytes(cacheDir)).toBeLessThanOrEqual(maxBytes);
    }
    const alphaDir = repos.gitdirOf(server.url('alpha'));
    expect(fs.existsSync(alphaDir)).toBe(false);
    expect(await stores(cacheDir)).toEqual(
      [cacheDirName(server.url('beta')), cacheDirName(server.url('gamma'))].sort(),
    );

    clock.tick();
    server.resetStats();
    const tree = await repos.open(server.url('alpha'), sha.alpha!);
    expect(server.stats.uploadPackPosts).toBeGreaterThan(0);
    expect(text(await tree.readFile('app.yaml'))).toBe('name: alpha\n');
    expect(text(await tree.readFile('blob.txt'))).toBe(noise('alpha', 48 * 1024));
    // beta was the least recently used, so it made room for alpha.
    expect(fs.existsSync(repos.gitdirOf(server.url('beta')))).toBe(false);
    expect(storeBytes(cacheDir)).toBeLessThanOrEqual(maxBytes);
  });

  it('a cache hit moves a store to the front of the LRU order', async () => {
    const probeDir = await tempDir();
    await createGitSource({ cacheDir: probeDir }).open(server.url('beta'), sha.beta!);
    const maxBytes = Math.floor(storeBytes(probeDir) * 2.5);
    const { cacheDir, clock, repos } = await budgeted({ maxBytes, graceMs: 0 });
    for (const name of ['alpha', 'beta', 'alpha', 'gamma']) {
      clock.tick();
      await repos.open(server.url(name), sha[name]!);
    }
    expect(await stores(cacheDir)).toEqual(
      [cacheDirName(server.url('alpha')), cacheDirName(server.url('gamma'))].sort(),
    );
  });

  it('evicts stores unused for longer than maxAgeMs even when there is room', async () => {
    const { cacheDir, clock, repos } = await budgeted({
      maxBytes: 1024 ** 3,
      maxAgeMs: 3600_000,
      graceMs: 0,
    });
    await repos.open(server.url('alpha'), sha.alpha!);
    clock.advance(3600_001);
    await repos.open(server.url('beta'), sha.beta!);
    expect(await stores(cacheDir)).toEqual([cacheDirName(server.url('beta'))]);
  });

  it('never removes a store used within graceMs, even over budget', async () => {
    const { cacheDir, clock, repos } = await budgeted({ maxBytes: 1, graceMs: 60_000 });
    const alpha = await repos.open(server.url('alpha'), sha.alpha!);
    clock.tick();
    await repos.open(server.url('beta'), sha.beta!);
    expect((await stores(cacheDir)).length).toBe(2);
    expect(text(await alpha.readFile('app.yaml'))).toBe('name: alpha\n');
    clock.advance(60_000);
    await repos.open(server.url('gamma'), sha.gamma!);
    expect(await stores(cacheDir)).toEqual([cacheDirName(server.url('gamma'))]);
  });

  it('re-creates a store that outgrew maxRepoBytes, keeping only the commit being fetched', async () => {
    const { clock, repos } = await budgeted({
      maxBytes: 1024 ** 3,
      maxRepoBytes: 16 * 1024,
      graceMs: 0,
    });
    const url = server.url('alpha');
    const gitdir = repos.gitdirOf(url);
    await repos.open(url, sha.alpha!);
    clock.tick();
    const second = await repos.open(url, sha.alpha2!);
    expect(text(await second.readFile('app.yaml'))).toBe('name: alpha\nversion: 2\n');
    const fetched = await git.listRefs({ fs, gitdir, filepath: 'refs/fetched' });
    expect(fetched).toEqual([sha.alpha2]);

    clock.tick();
    server.resetStats();
    const first = await repos.open(url, sha.alpha!);
    expect(server.stats.uploadPackPosts).toBeGreaterThan(0);
    expect(text(await first.readFile('blob.txt'))).toBe(noise('alpha', 48 * 1024));
  });
});

describe('cache directory per endpoint', () => {
  it('two servers on different ports with the same repository path do not share a store', async () => {
    const cacheDir = await tempDir();
    const source = createGitSource({ cacheDir });
    const here = await source.open(server.url('config'), sha.here!);
    const there = await source.open(other.url('config'), sha.there!);
    expect(text(await here.readFile('who.txt'))).toBe('first server\n');
    expect(text(await there.readFile('who.txt'))).toBe('second server\n');
    expect((await stores(cacheDir)).length).toBe(2);
    // A commit of one server is not a cache hit for the other.
    await expect(source.open(other.url('config'), sha.here!)).rejects.toMatchObject({
      code: 'GIT_NOT_FOUND',
    });
  });
});

describe('locks across processes', () => {
  function runChild(
    args: readonly string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('two processes fetching the same commit at once both succeed with one consistent store', async () => {
    const cacheDir = await tempDir();
    const url = server.url('gamma');
    server.resetStats();
    const results = await Promise.all([
      runChild([cacheDir, url, sha.gamma!, 'app.yaml']),
      runChild([cacheDir, url, sha.gamma!, 'app.yaml']),
    ]);
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('name: gamma\n');
    }
    // The lock made the second process wait and then find the commit already fetched.
    expect(server.stats.uploadPackPosts).toBe(1);
    const gitdir = join(cacheDir, cacheDirName(url));
    expect(await git.listRefs({ fs, gitdir, filepath: 'refs/fetched' })).toEqual([sha.gamma]);
    expect((await git.readCommit({ fs, gitdir, oid: sha.gamma! })).oid).toBe(sha.gamma);
    expect((await readdir(cacheDir)).sort()).toEqual([cacheDirName(url)]);
  });

  async function deadPid(): Promise<number> {
    return new Promise((resolve, reject) => {
      const child = execFile(process.execPath, ['-e', ''], (error) => {
        if (error) reject(error);
        else resolve(child.pid!);
      });
    });
  }

  async function plantLock(path: string, owner: { pid: number; host?: string }, heartbeatAt?: Date) {
    await mkdir(path, { recursive: true });
    const file = join(path, 'owner.json');
    await writeFile(file, JSON.stringify({ host: hostname(), token: 'planted', ...owner }));
    if (heartbeatAt) await utimes(file, heartbeatAt, heartbeatAt);
  }

  it('a lock left by a dead process is taken over at once', async () => {
    const cacheDir = await tempDir();
    const url = server.url('beta');
    await plantLock(join(cacheDir, `${cacheDirName(url)}.lock`), { pid: await deadPid() });
    const source = createGitSource({ cacheDir });
    const tree = await source.open(url, sha.beta!);
    expect(text(await tree.readFile('app.yaml'))).toBe('name: beta\n');
    expect(fs.existsSync(join(cacheDir, `${cacheDirName(url)}.lock`))).toBe(false);
  });

  it('a live owner keeps its lock until its heartbeat is older than staleMs', async () => {
    const path = join(await tempDir(), 'store.lock');
    await plantLock(path, { pid: process.pid });
    expect(await tryAcquireDirectoryLock({ path, staleMs: 60_000 })).toBeUndefined();
    await utimes(join(path, 'owner.json'), new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    const held = await tryAcquireDirectoryLock({ path, staleMs: 60_000 });
    expect(held).toBeDefined();
    expect(await tryAcquireDirectoryLock({ path, staleMs: 60_000 })).toBeUndefined();
    await held!.release();
    const again = await tryAcquireDirectoryLock({ path, staleMs: 60_000 });
    expect(again).toBeDefined();
    await again!.release();
  });

  it('waiting for a held lock fails retryably after waitMs', async () => {
    const path = join(await tempDir(), 'store.lock');
    const held = await tryAcquireDirectoryLock({ path });
    await expect(acquireDirectoryLock({ path, waitMs: 0 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      retryable: true,
    });
    await held!.release();
  });
});
