/**
 * A plain local directory seen through the SourceTree port, for `driftless render <dir>`, tests and
 * benchmarks. Content ids are hashes of content (a file: its bytes; a directory: its sorted
 * entries), so an unchanged subtree keeps its id across opens and the render cache can key on it
 * exactly as it keys on git tree ids. The revision is the root directory's id: content decides it,
 * never sizes or times. `.git` is skipped, symlinks are reported as symlinks, never followed.
 *
 * Opening walks the directory once (listings with their entry types, so no stat per entry) and
 * then hashes every file, because the revision must be known when open returns. Files are read
 * synchronously in short slices that yield to the event loop between them: Node's asynchronous
 * reads take several thread-pool round trips per file (open, stat, read, close on a pool of four
 * threads), which made hashing many small files four to five times slower. Directory ids are
 * derived from file hashes on demand and memoised; ids describe the content as it was at open.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';
import { DriftlessError, messageOf } from '../errors/index.js';
import type { SourceTree, TreeEntry } from '../ports/source-tree.js';
import { createLimiter } from './concurrency-limit.js';
import { symlinkDestination } from './tree-path.js';

/** One entry as the walk found it; ids come later. */
type Walked =
  | { readonly type: 'file'; readonly name: string; readonly path: string }
  | { readonly type: 'dir'; readonly name: string; readonly path: string }
  | { readonly type: 'symlink'; readonly name: string; readonly path: string; readonly target: string };

/** A slice of synchronous reads ends after this many files or bytes, whichever comes first. */
const SLICE_FILES = 64;
const SLICE_BYTES = 4 * 1024 * 1024;

export class DirectorySourceTree implements SourceTree {
  readonly revision: string;
  private readonly dirIds = new Map<string, string>();
  private readonly listings = new Map<string, readonly TreeEntry[]>();

  private constructor(
    readonly repoURL: string,
    private readonly root: string,
    /** Entries of each directory, in byte order of their names. */
    private readonly dirs: ReadonlyMap<string, readonly Walked[]>,
    private readonly entries: ReadonlyMap<string, Walked>,
    private readonly fileIds: ReadonlyMap<string, string>,
  ) {
    this.revision = this.dirId('');
  }

  /** Walks `dir` (recursively) and hashes its content. */
  static async open(repoURL: string, dir: string): Promise<DirectorySourceTree> {
    const root = resolve(dir);
    const stat = await lstat(root).catch(() => undefined);
    if (!stat?.isDirectory()) {
      throw new DriftlessError('NOT_FOUND', `${repoURL}: ${dir} is not a directory`, {
        context: { repoURL },
      });
    }
    const { dirs, entries } = await walk(root);
    const files = [...entries.values()].filter((e) => e.type === 'file').map((e) => e.path);
    const fileIds = await hashFiles(repoURL, root, files);
    return new DirectorySourceTree(repoURL, root, dirs, entries, fileIds);
  }

  async idOf(path: string): Promise<string | undefined> {
    const p = normalise(path);
    if (p === '') return this.revision;
    const entry = this.entries.get(p);
    return entry === undefined ? undefined : this.idOfEntry(entry);
  }

  async list(path: string): Promise<readonly TreeEntry[]> {
    const p = normalise(path);
    const cached = this.listings.get(p);
    if (cached !== undefined) return cached;
    const walked = this.dirs.get(p);
    if (!walked) throw new DriftlessError('NOT_FOUND', `${p || '.'}: not a directory in ${this.repoURL}`);
    const listing = walked.map(
      (e): TreeEntry => ({ name: e.name, path: e.path, type: e.type, id: this.idOfEntry(e) }),
    );
    this.listings.set(p, listing);
    return listing;
  }

  async readFile(path: string): Promise<Uint8Array> {
    const p = normalise(path);
    const entry = this.entries.get(p);
    if (entry?.type !== 'file') {
      throw new DriftlessError('NOT_FOUND', `${p}: not a file in ${this.repoURL}`);
    }
    // Synchronous: a small read costs a fraction of the promise API's thread-pool round trips, and
    // this tree serves local directories, whose files open() has just read once already.
    return new Uint8Array(readFileSync(join(this.root, p)));
  }

  async readLink(path: string): Promise<string> {
    const p = normalise(path);
    const entry = this.entries.get(p);
    if (entry?.type !== 'symlink') {
      throw new DriftlessError('NOT_FOUND', `${p}: not a symlink in ${this.repoURL}`);
    }
    return entry.target;
  }

  async materialize(dir: string, options: { readonly path?: string } = {}): Promise<void> {
    const start = normalise(options.path ?? '');
    if (start !== '' && this.entries.get(start)?.type !== 'dir') {
      throw new DriftlessError('NOT_FOUND', `${start}: not a directory in ${this.repoURL}`);
    }
    await mkdir(dir, { recursive: true });
    await this.copyDir(start, dir);
  }

  private idOfEntry(entry: Walked): string {
    switch (entry.type) {
      case 'dir':
        return this.dirId(entry.path);
      case 'symlink':
        return hash(`link\0${entry.target}`);
      case 'file':
        return this.fileIds.get(entry.path) ?? '';
    }
  }

  /** A directory's id: the hash of its entries' types, names and ids, in name order. */
  private dirId(path: string): string {
    const known = this.dirIds.get(path);
    if (known !== undefined) return known;
    const listing = createHash('sha256');
    for (const entry of this.dirs.get(path) ?? []) {
      listing.update(`${entry.type} ${entry.name}\0${this.idOfEntry(entry)}\n`);
    }
    const id = listing.digest('hex');
    this.dirIds.set(path, id);
    return id;
  }

  private async copyDir(path: string, target: string): Promise<void> {
    for (const entry of this.dirs.get(path) ?? []) {
      const to = join(target, entry.name);
      if (entry.type === 'dir') {
        await mkdir(to, { recursive: true });
        await this.copyDir(entry.path, to);
      } else if (entry.type === 'file') {
        await copyFile(join(this.root, entry.path), to);
      } else {
        if (symlinkDestination(entry.path, entry.target) === undefined) {
          throw new DriftlessError(
            'LIMIT_EXCEEDED',
            `${entry.path}: symlink to ${entry.target} leaves the repository ${this.repoURL}`,
            { context: { path: entry.path, limit: 'symlinks' } },
          );
        }
        await symlink(entry.target, to);
      }
    }
  }
}

function normalise(path: string): string {
  const p = posix.normalize(path.replace(/^\/+/, '')).replace(/\/+$/, '');
  return p === '.' ? '' : p;
}

/** Listings of every directory, level by level, a bounded number of directories at a time. */
async function walk(root: string): Promise<{
  dirs: Map<string, readonly Walked[]>;
  entries: Map<string, Walked>;
}> {
  const dirs = new Map<string, readonly Walked[]>();
  const entries = new Map<string, Walked>();
  const limit = createLimiter(16);
  let level: readonly string[] = [''];
  while (level.length > 0) {
    const listings = await Promise.all(level.map((path) => limit(() => listDirectory(root, path))));
    const next: string[] = [];
    for (const { path, walked } of listings) {
      dirs.set(path, walked);
      for (const entry of walked) {
        entries.set(entry.path, entry);
        if (entry.type === 'dir') next.push(entry.path);
      }
    }
    level = next;
  }
  return { dirs, entries };
}

async function listDirectory(root: string, path: string): Promise<{ path: string; walked: Walked[] }> {
  const found = (await readdir(join(root, path), { withFileTypes: true })).filter((d) => d.name !== '.git');
  // Byte order, as git and Argo CD's filepath.Walk sort, so ids and walk order are stable.
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const walked: Walked[] = [];
  for (const d of found) {
    const rel = path === '' ? d.name : `${path}/${d.name}`;
    if (d.isSymbolicLink()) {
      walked.push({ type: 'symlink', name: d.name, path: rel, target: await readlink(join(root, rel)) });
    } else if (d.isDirectory()) walked.push({ type: 'dir', name: d.name, path: rel });
    else if (d.isFile()) walked.push({ type: 'file', name: d.name, path: rel });
    // sockets, fifos, devices: not repository content
  }
  return { path, walked };
}

/** sha256 of every file, read in synchronous slices (see the module comment for why). */
async function hashFiles(
  repoURL: string,
  root: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let sliceFiles = 0;
  let sliceBytes = 0;
  for (const path of paths) {
    let content: Buffer;
    try {
      content = readFileSync(join(root, path));
    } catch (e) {
      throw new DriftlessError('NOT_FOUND', `${repoURL}: ${path}: cannot read: ${messageOf(e)}`, {
        cause: e,
        context: { repoURL, path },
      });
    }
    ids.set(path, hash(content));
    sliceFiles++;
    sliceBytes += content.length;
    if (sliceFiles >= SLICE_FILES || sliceBytes >= SLICE_BYTES) {
      sliceFiles = 0;
      sliceBytes = 0;
      await new Promise<void>((resolveSlice) => setImmediate(resolveSlice));
    }
  }
  return ids;
}

function hash(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
