/**
 * The filesystem handed to isomorphic-git while a tree is read. Every object read otherwise
 * costs a failed open of a loose-object path and a listing of `objects/pack` before the packfile
 * lookup (and isomorphic-git stats the git directory on every call); for a tree of thousands of files those syscalls dominate. Listings and stats are
 * memoised for the life of one tree, and loose-object reads are answered from the listing of
 * their fan-out directory. Objects of an opened commit are all present when the tree is
 * created, so a listing taken after that cannot miss them.
 */
import * as fsp from 'node:fs/promises';

const LOOSE_OBJECT = /[\\/]objects[\\/]([0-9a-f]{2})[\\/]([0-9a-f]{38})$/;

function missing(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
}

/** An fs client (isomorphic-git's promise flavour) with memoised listings. */
export function storeReaderFs(): { readonly promises: typeof fsp } {
  const listings = new Map<string, Promise<string[]>>();
  const readdir = (path: string): Promise<string[]> => {
    let listing = listings.get(path);
    if (!listing) {
      listing = fsp.readdir(path).catch((e: unknown) => {
        listings.delete(path);
        throw e;
      });
      listings.set(path, listing);
    }
    return listing;
  };
  // Most fan-out directories do not exist in a fetched store; remember that too.
  const fanouts = new Map<string, Promise<Set<string>>>();
  const looseNames = (fanout: string): Promise<Set<string>> => {
    let names = fanouts.get(fanout);
    if (!names) {
      names = fsp.readdir(fanout).then(
        (list) => new Set(list),
        () => new Set<string>(),
      );
      fanouts.set(fanout, names);
    }
    return names;
  };
  const readFile = async (path: string, options?: unknown): Promise<string | Buffer> => {
    // isomorphic-git probes the fs flavour by calling readFile() with no path on every command.
    if (typeof path !== 'string') throw missing(String(path));
    const loose = LOOSE_OBJECT.exec(path);
    if (loose) {
      const fanout = path.slice(0, -(loose[2]!.length + 1));
      if (!(await looseNames(fanout)).has(loose[2]!)) throw missing(path);
    }
    return fsp.readFile(path, options as Parameters<typeof fsp.readFile>[1]);
  };
  const stats = new Map<string, ReturnType<typeof fsp.stat>>();
  const stat = (path: string): ReturnType<typeof fsp.stat> => {
    let result = stats.get(path);
    if (!result) {
      result = fsp.stat(path);
      stats.set(path, result);
      result.catch(() => stats.delete(path));
    }
    return result;
  };
  return { promises: { ...fsp, readdir, readFile, stat } as unknown as typeof fsp };
}
