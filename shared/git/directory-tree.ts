/**
 * A plain local directory seen through the SourceTree port, for `driftless render <dir>`, tests and
 * benchmarks. Content ids are hashes of content (a file: its bytes; a directory: its sorted
 * entries), so an unchanged subtree keeps its id across opens and the render cache can key on it
 * exactly as it keys on git tree ids. The tree is scanned once at open: ids describe the content
 * as it was then. `.git` is skipped, symlinks are reported as symlinks, never followed.
 */
import { createHash } from 'node:crypto';
import { copyFile, lstat, mkdir, readdir, readFile, readlink, symlink } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';
import { DriftlessError } from '../errors/index.js';
import type { SourceTree, TreeEntry } from '../ports/source-tree.js';

interface ScannedDir {
  readonly id: string;
  readonly entries: readonly TreeEntry[];
}

export class DirectorySourceTree implements SourceTree {
  readonly revision: string;

  private constructor(
    readonly repoURL: string,
    private readonly root: string,
    private readonly dirs: ReadonlyMap<string, ScannedDir>,
    private readonly ids: ReadonlyMap<string, TreeEntry>,
  ) {
    this.revision = dirs.get('')?.id ?? '';
  }

  /** Scans `dir` (recursively) and hashes its content. */
  static async open(repoURL: string, dir: string): Promise<DirectorySourceTree> {
    const root = resolve(dir);
    const stat = await lstat(root).catch(() => undefined);
    if (!stat?.isDirectory()) {
      throw new DriftlessError('NOT_FOUND', `${repoURL}: ${dir} is not a directory`, {
        context: { repoURL },
      });
    }
    const dirs = new Map<string, ScannedDir>();
    const ids = new Map<string, TreeEntry>();
    await scan(root, '', dirs, ids);
    return new DirectorySourceTree(repoURL, root, dirs, ids);
  }

  async idOf(path: string): Promise<string | undefined> {
    const p = normalise(path);
    if (p === '') return this.revision;
    return this.ids.get(p)?.id;
  }

  async list(path: string): Promise<readonly TreeEntry[]> {
    const p = normalise(path);
    const dir = this.dirs.get(p);
    if (!dir) throw new DriftlessError('NOT_FOUND', `${p || '.'}: not a directory in ${this.repoURL}`);
    return dir.entries;
  }

  async readFile(path: string): Promise<Uint8Array> {
    const p = normalise(path);
    const entry = this.ids.get(p);
    if (entry?.type !== 'file') {
      throw new DriftlessError('NOT_FOUND', `${p}: not a file in ${this.repoURL}`);
    }
    return new Uint8Array(await readFile(join(this.root, p)));
  }

  async readLink(path: string): Promise<string> {
    const p = normalise(path);
    const entry = this.ids.get(p);
    if (entry?.type !== 'symlink') {
      throw new DriftlessError('NOT_FOUND', `${p}: not a symlink in ${this.repoURL}`);
    }
    return readlink(join(this.root, p));
  }

  async materialize(dir: string, options: { readonly path?: string } = {}): Promise<void> {
    const start = normalise(options.path ?? '');
    if (start !== '' && this.ids.get(start)?.type !== 'dir') {
      throw new DriftlessError('NOT_FOUND', `${start}: not a directory in ${this.repoURL}`);
    }
    await mkdir(dir, { recursive: true });
    await this.copyDir(start, dir);
  }

  private async copyDir(path: string, target: string): Promise<void> {
    for (const entry of await this.list(path)) {
      const to = join(target, entry.name);
      if (entry.type === 'dir') {
        await mkdir(to, { recursive: true });
        await this.copyDir(entry.path, to);
      } else if (entry.type === 'file') {
        await copyFile(join(this.root, entry.path), to);
      } else if (entry.type === 'symlink') {
        const link = await this.readLink(entry.path);
        if (!symlinkStaysInside(entry.path, link)) {
          throw new DriftlessError(
            'LIMIT_EXCEEDED',
            `${entry.path}: symlink to ${link} leaves the repository ${this.repoURL}`,
            { context: { path: entry.path, limit: 'symlinks' } },
          );
        }
        await symlink(link, to);
      }
    }
  }
}

/** True if a link at `path` (repository-relative) pointing to `target` resolves inside the root. */
export function symlinkStaysInside(path: string, target: string): boolean {
  if (posix.isAbsolute(target)) return false;
  const resolved = posix.normalize(posix.join(posix.dirname(path), target));
  return resolved !== '..' && !resolved.startsWith('../');
}

function normalise(path: string): string {
  const p = posix.normalize(path.replace(/^\/+/, '')).replace(/\/+$/, '');
  return p === '.' ? '' : p;
}

async function scan(
  root: string,
  path: string,
  dirs: Map<string, ScannedDir>,
  ids: Map<string, TreeEntry>,
): Promise<string> {
  const names = (await readdir(join(root, path))).filter((n) => n !== '.git');
  // Byte order, as git and Argo CD's filepath.Walk sort, so ids and walk order are stable.
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Siblings are read concurrently; the listing hash is built afterwards in name order.
  const scanned = await mapLimited(names, 16, async (name): Promise<TreeEntry | undefined> => {
    const rel = path === '' ? name : `${path}/${name}`;
    const stat = await lstat(join(root, rel));
    if (stat.isSymbolicLink()) {
      const target = await readlink(join(root, rel));
      return { name, path: rel, type: 'symlink', id: hash(`link\0${target}`) };
    }
    if (stat.isDirectory()) return { name, path: rel, type: 'dir', id: await scan(root, rel, dirs, ids) };
    if (stat.isFile()) return { name, path: rel, type: 'file', id: hash(await readFile(join(root, rel))) };
    return undefined; // sockets, fifos, devices: not repository content
  });
  const entries: TreeEntry[] = [];
  const listing = createHash('sha256');
  for (const entry of scanned) {
    if (!entry) continue;
    entries.push(entry);
    ids.set(entry.path, entry);
    listing.update(`${entry.type} ${entry.name}\0${entry.id}\n`);
  }
  const id = listing.digest('hex');
  dirs.set(path, { id, entries });
  return id;
}

function hash(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Like Promise.all over map, with at most `limit` calls in flight (file descriptors are finite). */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
