/**
 * Keeps the git object cache within a size and age budget. Every fetch adds a pack, so without
 * this a long-lived worker fills Lambda's /tmp.
 *
 * The unit of eviction is a whole repository store, least recently used first. Evicting packs
 * inside a store is not safe: a depth-1 fetch may send only the objects the store lacks, so a
 * newer commit's tree can live partly in an older commit's pack. A repository whose store alone
 * outgrows `maxRepoBytes` is therefore re-created (emptied, then fetched afresh) on its next miss.
 *
 * Readers of a store hold no lock once `open` returns (trees are read lazily), so a store used
 * within `graceMs` is never removed; the budget is exceeded rather than a render broken. Removal
 * takes the repository's lock, renames the store aside (one atomic step, so no process sees half
 * a store) and deletes it afterwards.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readdir, rename, rm, stat, statfs, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isStoreName } from './cache-key.js';
import { type DirectoryLockOptions, tryAcquireDirectoryLock } from './directory-lock.js';

export interface CacheBudget {
  /** Total bytes of all stores; default the smaller of 1 GiB and half the space left for the cache. */
  readonly maxBytes?: number;
  /** One store's bytes before it is re-created; default half of maxBytes. */
  readonly maxRepoBytes?: number;
  /** Stores unused for longer are evicted whatever their size; default 24 h. */
  readonly maxAgeMs?: number;
  /** Stores used more recently are never removed (a render may still read them); default 15 min. */
  readonly graceMs?: number;
}

export interface SweepOptions {
  readonly cacheDir: string;
  readonly budget: CacheBudget;
  /** Store names never evicted by this sweep (the one just opened). */
  readonly keep: readonly string[];
  readonly lock: Omit<DirectoryLockOptions, 'path'>;
  readonly now: () => number;
}

export interface SweepResult {
  readonly evicted: readonly string[];
  /** Bytes of all stores after the sweep. */
  readonly bytes: number;
}

const GiB = 1024 ** 3;
const DEFAULT_MAX_AGE_MS = 24 * 3600_000;
/** Lambda's longest invocation: a tree opened in one is not read after it ends. */
const DEFAULT_GRACE_MS = 15 * 60_000;
const LAST_USED_FILE = 'driftless-last-used';
const EVICTING_PREFIX = '.evicting-';

/** The lock directory of a store: a sibling, so removing the store leaves the lock in place. */
export function storeLockPath(cacheDir: string, name: string): string {
  return join(cacheDir, `${name}.lock`);
}

/** Records a use of a store (its LRU position), as the mtime of a marker file inside it. */
export async function markUsed(gitdir: string, now: number): Promise<void> {
  const file = join(gitdir, LAST_USED_FILE);
  const at = new Date(now);
  await utimes(file, at, at).catch(async () => {
    await writeFile(file, '');
    await utimes(file, at, at);
  });
}

export async function lastUsed(gitdir: string): Promise<number> {
  try {
    return (await stat(join(gitdir, LAST_USED_FILE))).mtimeMs;
  } catch {
    return (await stat(gitdir).catch(() => undefined))?.mtimeMs ?? 0;
  }
}

/** Bytes of the files under a directory (0 when it does not exist). */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directoryBytes(path);
    else total += (await lstat(path).catch(() => undefined))?.size ?? 0;
  }
  return total;
}

/** The per-store limit, resolved against the total. */
export async function repoByteLimit(
  cacheDir: string,
  budget: CacheBudget,
  cacheBytes?: number,
): Promise<number> {
  return budget.maxRepoBytes ?? Math.floor((await totalByteLimit(cacheDir, budget, cacheBytes)) / 2);
}

export function graceOf(budget: CacheBudget): number {
  return budget.graceMs ?? DEFAULT_GRACE_MS;
}

/** Evicts least recently used stores until the cache is within budget and none is too old. */
export async function sweepCache(options: SweepOptions): Promise<SweepResult> {
  const { cacheDir, budget, now } = options;
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  // Stores renamed aside by an eviction that did not finish (the process died): nobody reads them.
  await Promise.all(
    names
      .filter((n) => n.startsWith(EVICTING_PREFIX))
      .map((n) => rm(join(cacheDir, n), { recursive: true, force: true })),
  );
  const stores = await Promise.all(
    names.filter(isStoreName).map(async (name) => {
      const gitdir = join(cacheDir, name);
      return { name, gitdir, bytes: await directoryBytes(gitdir), usedAt: await lastUsed(gitdir) };
    }),
  );
  let bytes = stores.reduce((sum, s) => sum + s.bytes, 0);
  const maxBytes = await totalByteLimit(cacheDir, budget, bytes);
  const maxAge = budget.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const grace = graceOf(budget);
  const evicted: string[] = [];
  for (const store of [...stores].sort((a, b) => a.usedAt - b.usedAt)) {
    const at = now();
    const tooOld = at - store.usedAt > maxAge;
    if (!tooOld && bytes <= maxBytes) continue;
    if (options.keep.includes(store.name) || at - store.usedAt < grace) continue;
    const lock = await tryAcquireDirectoryLock({
      ...options.lock,
      path: storeLockPath(cacheDir, store.name),
    });
    if (!lock) continue; // in use by another process right now
    try {
      // Another process may have used it between our listing and the lock.
      if (now() - (await lastUsed(store.gitdir)) < grace) continue;
      await removeStore(cacheDir, store.name);
    } finally {
      await lock.release();
    }
    bytes -= store.bytes;
    evicted.push(store.name);
  }
  return { evicted, bytes };
}

/** Removes a store; the caller holds its lock. */
export async function removeStore(cacheDir: string, name: string): Promise<void> {
  const aside = join(cacheDir, `${EVICTING_PREFIX}${name}-${randomBytes(4).toString('hex')}`);
  try {
    await rename(join(cacheDir, name), aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await rm(aside, { recursive: true, force: true });
}

async function totalByteLimit(cacheDir: string, budget: CacheBudget, cacheBytes?: number): Promise<number> {
  if (budget.maxBytes !== undefined) return budget.maxBytes;
  const fsStats = await statfs(cacheDir).catch(() => undefined);
  if (!fsStats) return GiB;
  const room = fsStats.bavail * fsStats.bsize + (cacheBytes ?? (await directoryBytes(cacheDir)));
  return Math.min(GiB, Math.floor(room / 2));
}
