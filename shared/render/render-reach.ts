/**
 * What one kustomize or helm render may read, as the list of paths to materialize: either a
 * closed set of directories and files, or the whole repository when the set cannot be known
 * statically (a remote reference, a glob, a symlink whose target might not be copied). Copying
 * only the closed set keeps a render's cost proportional to the app, not to the repository.
 */
import type { TreeLookup } from './tree-lookup.js';

export type RenderReach =
  | {
      readonly kind: 'paths';
      /** Directories to create, even when empty (a missing one changes the tool's message). */
      readonly dirs: readonly string[];
      readonly files: readonly string[];
      /** Directories reachable whole, everything below them included (a chart, a chart home). */
      readonly trees: readonly string[];
    }
  | { readonly kind: 'repository'; readonly reason: string };

/** Collects paths from a source tree; the first symlink met turns the result into the whole repository. */
export class ReachBuilder {
  private readonly dirs = new Set<string>();
  private readonly files = new Set<string>();
  private readonly trees = new Set<string>();
  private reason: string | undefined;

  constructor(private readonly lookup: TreeLookup) {}

  /** Falls back to the whole repository; the first reason given is kept for reporting. */
  unresolved(reason: string): void {
    this.reason ??= reason;
  }

  addFile(path: string): void {
    this.files.add(path);
  }

  /** A directory without its content. */
  addEmptyDirectory(dir: string): void {
    this.dirs.add(dir);
  }

  /** A directory and the files directly in it (kustomize reads nothing else in a root unnamed). */
  async addDirectory(dir: string): Promise<void> {
    await this.addDirectoryEntries(dir, false);
  }

  /** A directory and everything below it (a chart, a chart home). */
  async addTree(dir: string): Promise<void> {
    if ((await this.lookup.listing(dir)) !== undefined) this.trees.add(dir);
    await this.addDirectoryEntries(dir, true);
  }

  result(): RenderReach {
    if (this.reason !== undefined) return { kind: 'repository', reason: this.reason };
    const sorted = (s: Set<string>) => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      kind: 'paths',
      dirs: sorted(this.dirs),
      files: sorted(this.files),
      trees: sorted(this.trees),
    };
  }

  private async addDirectoryEntries(dir: string, recurse: boolean): Promise<void> {
    const entries = await this.lookup.listing(dir);
    if (!entries) return;
    this.dirs.add(dir);
    for (const entry of entries) {
      if (entry.type === 'file') this.files.add(entry.path);
      else if (entry.type === 'symlink') this.unresolved(`${entry.path}: symlink`);
      else if (entry.type === 'dir' && recurse) await this.addDirectoryEntries(entry.path, true);
    }
  }
}
