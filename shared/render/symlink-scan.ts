/**
 * Refuses a repository holding any symlink that resolves outside it, wherever it lies, as Argo
 * CD's repo-server does before generating manifests ("repository contains out-of-bounds
 * symlinks"). Renders that copy only part of the repository would otherwise never see such a
 * link. Only listings and link targets are read, and the outcome is remembered by repository and
 * revision (a commit SHA, or a content hash for plain directories: the key names the content),
 * so a repository is scanned once per revision however many apps, and trees, render from it.
 */
import { isDriftlessError } from '../errors/index.js';
import { symlinkDestination } from '../git/tree-path.js';
import type { SourceTree, TreeEntry } from '../ports/source-tree.js';
import { limitExceeded } from './limits.js';
import { mapLimited } from './materialize.js';

const MAX_REMEMBERED = 1_024;
const scanned = new Map<string, Promise<void>>();

export function assertNoEscapingSymlinks(tree: SourceTree): Promise<void> {
  const key = `${tree.repoURL}\0${tree.revision}`;
  let scan = scanned.get(key);
  if (!scan) {
    scan = scanTree(tree);
    scanned.set(key, scan);
    // Oldest first out: a worker renders a handful of revisions at a time.
    for (const oldest of scanned.keys()) {
      if (scanned.size <= MAX_REMEMBERED) break;
      scanned.delete(oldest);
    }
    // An escaping link is a property of the content; a failed read is not, so it is not remembered.
    scan.catch((e: unknown) => {
      if (!isDriftlessError(e, 'LIMIT_EXCEEDED')) scanned.delete(key);
    });
  }
  return scan;
}

async function scanTree(tree: SourceTree): Promise<void> {
  const links: TreeEntry[] = [];
  let level: readonly string[] = [''];
  while (level.length > 0) {
    const listings = await mapLimited(level, 16, (dir) => tree.list(dir));
    const next: string[] = [];
    for (const entries of listings) {
      for (const entry of entries) {
        if (entry.type === 'dir') next.push(entry.path);
        else if (entry.type === 'symlink') links.push(entry);
      }
    }
    level = next;
  }
  // Path order, so the link reported is the same whatever order listings arrived in.
  links.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const link of links) {
    const target = await tree.readLink(link.path);
    if (symlinkDestination(link.path, target) === undefined) {
      throw limitExceeded('symlinks', link.path, `symlink to ${target} leaves the repository`);
    }
  }
}
