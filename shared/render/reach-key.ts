/**
 * The content id a kustomize or helm render depends on. The tool sees nothing but the private
 * copy that materialize.ts writes from the reach, so that copy is a function of the reach's
 * paths and the content ids behind them: hashing those gives a key that stays put when a commit
 * touches other apps of the same repository, and moves whenever anything the render can read
 * does (a file's content, a file or directory appearing in a place the walk looks). A directory
 * reachable whole contributes its tree id, which already covers everything below it. When the
 * reach is the whole repository, the root id is the only honest answer.
 */
import { createHash } from 'node:crypto';
import type { RenderReach } from './render-reach.js';
import type { TreeLookup } from './tree-lookup.js';

export interface ReachContentIdOptions {
  readonly lookup: TreeLookup;
  readonly reach: RenderReach;
}

export async function reachContentId(options: ReachContentIdOptions): Promise<string | undefined> {
  const { lookup, reach } = options;
  if (reach.kind === 'repository') return lookup.tree.idOf('');
  const within = (path: string, tree: string) => tree === '' || path === tree || path.startsWith(`${tree}/`);
  // A tree inside another reachable tree is covered by the outer tree's id.
  const outermost = reach.trees.filter(
    (tree) => !reach.trees.some((outer) => outer !== tree && within(tree, outer)),
  );
  const covered = (path: string) => outermost.some((tree) => within(path, tree));
  const lines: string[] = [];
  for (const tree of outermost) lines.push(`tree\0${tree}\0${await idOf(lookup, tree)}`);
  for (const dir of reach.dirs) if (!covered(dir)) lines.push(`dir\0${dir}`);
  for (const file of reach.files)
    if (!covered(file)) lines.push(`file\0${file}\0${await idOf(lookup, file)}`);
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(`${line}\n`);
  // A distinct prefix keeps reach digests apart from tree ids in the key's content field.
  return `reach:${hash.digest('hex')}`;
}

/** Ids come from the listings the reach walk already read, so hashing costs no further reads. */
async function idOf(lookup: TreeLookup, path: string): Promise<string> {
  if (path === '') return (await lookup.tree.idOf('')) ?? '';
  return (await lookup.entry(path))?.id ?? '';
}
