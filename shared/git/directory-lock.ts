/**
 * A lock shared by every process on one machine: a directory created with `mkdir`, which is
 * atomic, holding `owner.json` (pid, host, token). The owner refreshes the file's mtime while it
 * holds the lock, so a lock is stale when that heartbeat is older than `staleMs`, or at once when
 * its pid is gone on this host (a process killed mid-fetch, or a Lambda container whose previous
 * invocation was frozen and discarded). Taking over renames the stale directory away first: a
 * rename succeeds for one contender only, so two processes cannot both take the same stale lock.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { DriftlessError } from '../errors/index.js';

export interface DirectoryLockOptions {
  /** The lock directory; its parent must exist. */
  readonly path: string;
  /** A heartbeat older than this means the owner is gone; default 60 s. */
  readonly staleMs?: number;
  /** How long `acquire` waits for a live owner before failing (retryable); default 5 min. */
  readonly waitMs?: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
}

const OWNER_FILE = 'owner.json';
const DEFAULT_STALE_MS = 60_000;
const DEFAULT_WAIT_MS = 5 * 60_000;
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

/** Takes the lock, waiting while a live process holds it. */
export async function acquireDirectoryLock(options: DirectoryLockOptions): Promise<HeldLock> {
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS);
  let pause = FIRST_POLL_MS;
  for (;;) {
    const held = await tryAcquireDirectoryLock(options);
    if (held) return held;
    if (Date.now() > deadline) {
      throw new DriftlessError(
        'UNAVAILABLE',
        `lock ${options.path}: still held by another process after ${options.waitMs ?? DEFAULT_WAIT_MS} ms`,
        { retryable: true, context: { lock: options.path } },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}

/** Takes the lock if it is free or stale; `undefined` while a live process holds it. */
export async function tryAcquireDirectoryLock(options: DirectoryLockOptions): Promise<HeldLock | undefined> {
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString('hex') };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createLock(options.path, owner)) return holding(options.path, owner, staleMs);
    if (!(await takeOverIfStale(options.path, staleMs))) return undefined;
  }
  return undefined;
}

async function createLock(path: string, owner: LockOwner): Promise<boolean> {
  try {
    await mkdir(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT') throw e;
    // The first lock of a fresh cache: create the parent, then race for the lock as usual.
    await mkdir(dirname(path), { recursive: true });
    return createLock(path, owner);
  }
  await writeFile(join(path, OWNER_FILE), JSON.stringify(owner));
  return true;
}

function holding(path: string, owner: LockOwner, staleMs: number): HeldLock {
  const ownerFile = join(path, OWNER_FILE);
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      utimes(ownerFile, now, now).catch(() => undefined);
    },
    Math.max(1, Math.floor(staleMs / 3)),
  );
  heartbeat.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Only remove the directory while it is still ours: after a takeover it belongs to another.
      const current = await readOwner(path);
      if (current?.token !== owner.token) return;
      await unlink(ownerFile).catch(() => undefined);
      await rmdir(path).catch(() => undefined);
    },
  };
}

/** Removes a stale lock; true when the caller should try `mkdir` again. */
async function takeOverIfStale(path: string, staleMs: number): Promise<boolean> {
  const seen = await readOwner(path);
  const heartbeat = await lastHeartbeat(path);
  if (heartbeat === undefined) return true; // released between our mkdir and now
  const ownerGone = seen !== undefined && seen.host === hostname() && !isAlive(seen.pid);
  if (!ownerGone && Date.now() - heartbeat < staleMs) return false;
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true; // another contender won
    throw e;
  }
  const moved = await readOwner(aside);
  if (seen && moved?.token !== seen.token) {
    // Between our check and the rename a contender replaced the stale lock with a live one:
    // put it back (it is not ours to remove) unless yet another lock appeared meanwhile.
    await rename(aside, path).catch(() => undefined);
    return false;
  }
  await rm(aside, { recursive: true, force: true });
  return true;
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(path, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.token !== 'string') return undefined;
    return { pid: parsed.pid, host: String(parsed.host ?? ''), token: parsed.token };
  } catch {
    return undefined;
  }
}

/** The owner file's mtime, or the directory's while the owner file is not written yet. */
async function lastHeartbeat(path: string): Promise<number | undefined> {
  for (const candidate of [join(path, OWNER_FILE), path]) {
    try {
      return (await stat(candidate)).mtimeMs;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
