/**
 * A private, throw-away directory per render: the reachable part of the repository is
 * materialized under `repo/`, tool homes and generated values files beside it. Parallel renders
 * never share one. It is removed whatever the outcome, but the result does not wait for the
 * removal: deleting a tree costs as much as writing it on some filesystems, and nothing reads it
 * after the tool has run. `settleWorkDirs` waits for pending removals (tests, orderly shutdown).
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WorkDir {
  readonly root: string;
  readonly repoDir: string;
}

const removals = new Set<Promise<void>>();

export async function withWorkDir<T>(use: (dir: WorkDir) => Promise<T>): Promise<T> {
  // realpath: tools print resolved paths, which must match for scrubbing messages.
  const root = await realpath(await mkdtemp(join(tmpdir(), 'driftless-render-')));
  try {
    return await use({ root, repoDir: join(root, 'repo') });
  } finally {
    const removal: Promise<void> = rm(root, { recursive: true, force: true })
      .catch(() => undefined)
      .finally(() => removals.delete(removal));
    removals.add(removal);
  }
}

/** Resolves once every work directory removed so far is gone. */
export async function settleWorkDirs(): Promise<void> {
  while (removals.size > 0) await Promise.all([...removals]);
}
