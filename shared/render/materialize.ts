/**
 * Writes a SourceTree into a private directory for kubectl/helm, under the render budget: either
 * the paths a render can read (see render-reach.ts) or, when those cannot be known, the whole
 * repository. Either way the layout is the repository's, so the tool's load restrictor, rooted
 * at the repository, is what keeps it inside. Symlinks are recreated only if they resolve inside
 * the repository. Both return the number of files written.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { createLimiter } from '../git/concurrency-limit.js';
import { symlinkDestination } from '../git/tree-path.js';
import type { SourceTree } from '../ports/source-tree.js';
import { limitExceeded, type RenderBudget } from './limits.js';

export interface MaterializeOptions {
  readonly tree: SourceTree;
  readonly dir: string;
  readonly budget: RenderBudget;
}

export async function materializeTree(options: MaterializeOptions): Promise<number> {
  await copyDir(options, '', options.dir, 0);
  return options.budget.filesCounted;
}

export interface MaterializePathsOptions extends MaterializeOptions {
  /** Repository-relative directories to create, sorted. */
  readonly dirs: readonly string[];
  /** Repository-relative files to copy, sorted; never symlinks. */
  readonly files: readonly string[];
}

export async function materializePaths(options: MaterializePathsOptions): Promise<number> {
  const { budget, tree, dir } = options;
  const parents = new Set<string>(options.dirs);
  for (const file of options.files) parents.add(posix.dirname(file) === '.' ? '' : posix.dirname(file));
  for (const parent of parents) budget.checkDepth(parent, parent === '' ? 0 : parent.split('/').length);
  // Budget checks happen before any read, in path order, so breaches are reported deterministically.
  for (const file of options.files) budget.countFile(file);
  // Creating a directory is costly on some filesystems: create only the deepest, parents come along.
  await mapLimited(deepest(parents), 16, (p) => mkdir(join(dir, p), { recursive: true }));
  await mapLimited(options.files, 16, async (file) => {
    const bytes = await tree.readFile(file);
    budget.countBytes(file, bytes.byteLength);
    await writeFile(join(dir, file), bytes);
  });
  return budget.filesCounted;
}

async function copyDir(
  options: MaterializeOptions,
  path: string,
  target: string,
  depth: number,
): Promise<void> {
  options.budget.checkDepth(path, depth);
  await mkdir(target, { recursive: true });
  const entries = await options.tree.list(path);
  // Budget checks happen before any read, in name order, so breaches are reported deterministically.
  for (const entry of entries)
    if (entry.type === 'file' || entry.type === 'symlink') options.budget.countFile(entry.path);
  await mapLimited(entries, 16, async (entry) => {
    const to = join(target, entry.name);
    if (entry.type === 'dir') {
      await copyDir(options, entry.path, to, depth + 1);
    } else if (entry.type === 'file') {
      const bytes = await options.tree.readFile(entry.path);
      options.budget.countBytes(entry.path, bytes.byteLength);
      await writeFile(to, bytes);
    } else if (entry.type === 'symlink') {
      const link = await options.tree.readLink(entry.path);
      if (symlinkDestination(entry.path, link) === undefined) {
        throw limitExceeded('symlinks', entry.path, `symlink to ${link} leaves the repository`);
      }
      await symlink(link, to);
    }
    // Submodules are not fetched; Argo CD renders them only when they are checked out.
  });
}

/** The directories no other one lies below. */
function deepest(dirs: ReadonlySet<string>): string[] {
  const all = [...dirs];
  const below = (p: string, q: string) => q !== p && (p === '' || q.startsWith(`${p}/`));
  return all.filter((p) => !all.some((q) => below(p, q)));
}

/** Like Promise.all over map, with at most `limit` calls in flight (file descriptors are finite). */
export function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const run = createLimiter(limit);
  return Promise.all(items.map((item) => run(() => fn(item))));
}
