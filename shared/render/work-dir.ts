/**
 * A private, throw-away directory per render: the repository is materialized under `repo/`, tool
 * homes and generated values files beside it. Parallel renders never share one; it is removed
 * whatever the outcome.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WorkDir {
  readonly root: string;
  readonly repoDir: string;
}

export async function withWorkDir<T>(use: (dir: WorkDir) => Promise<T>): Promise<T> {
  // realpath: tools print resolved paths, which must match for scrubbing messages.
  const root = await realpath(await mkdtemp(join(tmpdir(), 'driftless-render-')));
  try {
    return await use({ root, repoDir: join(root, 'repo') });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
