/**
 * One `driftless serve` per state directory: dynalite's LevelDB files admit a single process, and a
 * second one would fail deep inside the store. The lock is a file holding the owner's pid, created
 * exclusively; a lock whose process is gone (a killed serve) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DriftlessError } from '../../shared/errors/index.js';

export interface StateDirLock {
  release(): void;
}

export function lockStateDir(stateDir: string): StateDirLock {
  const file = join(stateDir, 'serve.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return { release: () => rmSync(file, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new DriftlessError(
          'UNAVAILABLE',
          `state directory ${stateDir} is in use by driftless serve (pid ${owner}); stop it or pass another --state-dir`,
          { context: { stateDir, pid: owner } },
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DriftlessError('UNAVAILABLE', `state directory ${stateDir}: cannot take ${file}`, {
    context: { stateDir },
  });
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
