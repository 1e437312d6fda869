/**
 * Serialises work on one repository store. Two Applications on the same repository may be
 * processed concurrently; without this, both would fetch into the same cache directory at once
 * and interleave writes to its refs and shallow file. Inside one process a promise chain per key
 * orders the work (so only one caller per process polls the shared lock); across processes (the
 * local platform, tests, a Lambda container's later invocations) a lock directory does.
 */
import { acquireDirectoryLock } from './directory-lock.js';

export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

export interface RepoLockOptions {
  /** Heartbeat age after which another process's lock is taken over (see directory-lock.ts). */
  readonly staleMs?: number;
  readonly waitMs?: number;
}

/** The in-process chain first, then the lock directory shared with other processes. */
export class RepoLock {
  private readonly local = new KeyedLock();

  constructor(private readonly options: RepoLockOptions = {}) {}

  run<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(lockPath, async () => {
      const held = await acquireDirectoryLock({ ...this.options, path: lockPath });
      try {
        return await work();
      } finally {
        await held.release();
      }
    });
  }
}
