/**
 * The paths a `kubectl kustomize` build can read: every kustomization directory reachable from
 * the source path (with the files directly in it) plus every file and directory those
 * kustomizations name, wherever it lies in the repository. Files above a root are included too,
 * so the load restrictor refuses them with the same message as on a full checkout. An
 * unresolvable reference makes the reach the whole repository.
 */
import { type KustomizeSource, walkKustomizations } from './kustomize-references.js';
import { ReachBuilder, type RenderReach } from './render-reach.js';
import type { TreeLookup } from './tree-lookup.js';

export interface KustomizeReachOptions {
  readonly lookup: TreeLookup;
  /** Repository-relative source path. */
  readonly start: string;
  readonly maxAliasCount: number;
  readonly maxFileBytes: number;
  /** The start kustomization as edited with the Application's options. */
  readonly edited?: Readonly<Record<string, unknown>>;
}

export async function kustomizeReach(options: KustomizeReachOptions): Promise<RenderReach> {
  const { lookup } = options;
  const graph = await walkKustomizations({
    source: treeKustomizeSource(lookup, options.maxFileBytes),
    start: options.start,
    maxAliasCount: options.maxAliasCount,
    edited: options.edited,
  });
  const reach = new ReachBuilder(lookup);
  for (const reason of graph.unresolved) reach.unresolved(reason);
  for (const root of graph.roots) await reach.addDirectory(root);
  for (const tree of graph.trees) await reach.addTree(tree);
  for (const file of graph.files) reach.addFile(file);
  for (const path of graph.missing) await addNearestAncestor(lookup, reach, path);
  return reach.result();
}

/**
 * kustomize reports a missing path by the first segment that is absent (`lstat a/b: no such
 * file`), so the part of the path that does exist is created too, empty.
 */
async function addNearestAncestor(lookup: TreeLookup, reach: ReachBuilder, path: string): Promise<void> {
  let parent = path;
  while (parent !== '') {
    parent = parent.includes('/') ? parent.slice(0, parent.lastIndexOf('/')) : '';
    const entry = await lookup.entry(parent);
    if (entry?.type === 'dir') return reach.addEmptyDirectory(parent);
    if (entry?.type === 'file') return reach.addFile(parent);
    if (entry?.type === 'symlink') return reach.unresolved(`${parent}: symlink`);
  }
}

/** Kustomizations read through the source tree, each within the per-file byte limit. */
export function treeKustomizeSource(lookup: TreeLookup, maxFileBytes: number): KustomizeSource {
  return {
    kind: async (path) => {
      const entry = await lookup.entry(path);
      return entry?.type === 'submodule' ? undefined : entry?.type;
    },
    readText: (path) => lookup.readText(path, maxFileBytes),
  };
}
