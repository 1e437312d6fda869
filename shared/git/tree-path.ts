/**
 * Repository-relative paths: POSIX, no leading slash, '' for the root. Anything that would leave
 * the repository ('..' above the root, an absolute symlink target) is refused, because a
 * hostile repository must not make us read or write outside it.
 */
import { posix } from 'node:path';
import { DriftlessError } from '../errors/index.js';

/** Normalises a caller-supplied path; throws LIMIT_EXCEEDED if it climbs above the root. */
export function normalizeTreePath(repoURL: string, path: string): string {
  const normalized = posix
    .normalize(`./${path.replace(/\\/g, '/')}`)
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new DriftlessError(
      'LIMIT_EXCEEDED',
      `repository ${repoURL}: path "${path}" is outside the repository`,
      {
        context: { path },
      },
    );
  }
  return normalized === '.' ? '' : normalized;
}

/**
 * Where a symlink at `linkPath` with `target` points, relative to the repository root; undefined
 * if it leaves the repository.
 */
export function symlinkDestination(linkPath: string, target: string): string | undefined {
  if (target.startsWith('/') || target.includes('\0')) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(linkPath), target));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined === '.' ? '' : joined.replace(/\/+$/, '');
}

/** A tree entry name a checkout could write safely. */
export function isSafeEntryName(name: string): boolean {
  return (
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    name.toLowerCase() !== '.git' &&
    !name.includes('/') &&
    !name.includes('\\') &&
    !name.includes('\0')
  );
}
