/**
 * Finds entries of a SourceTree by walking directory listings segment by segment, memoised for
 * one render. Unlike `SourceTree.idOf`, a symlink anywhere on the path is reported as that
 * symlink, never followed: a partial copy of the repository cannot promise that a link's target
 * is present, so callers treat any symlink as "fall back to the whole repository".
 */
import { isDriftlessError } from '../errors/index.js';
import type { SourceTree, TreeEntry } from '../ports/source-tree.js';
import { limitExceeded } from './limits.js';

const ROOT: TreeEntry = { name: '', path: '', type: 'dir', id: '' };

export class TreeLookup {
  private readonly listings = new Map<string, Promise<readonly TreeEntry[] | undefined>>();

  constructor(readonly tree: SourceTree) {}

  /** Entries of the directory at `dir`, or undefined when it is not a directory. */
  listing(dir: string): Promise<readonly TreeEntry[] | undefined> {
    let found = this.listings.get(dir);
    if (!found) {
      found = this.tree.list(dir).catch((e: unknown) => {
        if (isDriftlessError(e, 'NOT_FOUND')) return undefined;
        throw e;
      });
      this.listings.set(dir, found);
    }
    return found;
  }

  /**
   * The entry at a repository-relative, normalised path; a symlink met on the way is returned
   * in place of what lies behind it. Undefined when nothing is there.
   */
  async entry(path: string): Promise<TreeEntry | undefined> {
    if (path === '') return ROOT;
    let parent = '';
    for (const segment of path.split('/')) {
      const entry = (await this.listing(parent))?.find((e) => e.name === segment);
      if (!entry || entry.path === path || entry.type === 'symlink') return entry;
      if (entry.type !== 'dir') return undefined;
      parent = entry.path;
    }
    return undefined;
  }

  /** A file as text, refused above the per-file byte limit (kustomizations, Chart.yaml). */
  async readText(path: string, maxFileBytes: number): Promise<string> {
    const bytes = await this.tree.readFile(path);
    if (bytes.byteLength > maxFileBytes) {
      throw limitExceeded(
        'maxFileBytes',
        path,
        `file of ${bytes.byteLength} bytes exceeds ${maxFileBytes} bytes`,
      );
    }
    return new TextDecoder().decode(bytes);
  }
}
