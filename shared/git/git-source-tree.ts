/**
 * A SourceTree read straight from a git object store: no checkout, trees and blobs are read on
 * demand and tree listings are memoised by oid. Symlinks are followed while they stay inside
 * the repository (at most 16 hops); one that leaves it is refused with LIMIT_EXCEEDED.
 */
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import * as git from 'isomorphic-git';
import { DriftlessError } from '../errors/index.js';
import type { SourceTree, TreeEntry } from '../ports/source-tree.js';
import { createLimiter, type Limiter } from './concurrency-limit.js';
import { sanitizeURL } from './repo-url.js';
import { storeReaderFs } from './store-reader-fs.js';
import { isSafeEntryName, normalizeTreePath, symlinkDestination } from './tree-path.js';

export interface GitSourceTreeOptions {
  /** The repository URL as the Application names it (sanitised before it reaches a message). */
  readonly repoURL: string;
  /** The commit SHA. */
  readonly revision: string;
  /** The git directory holding the commit's objects. */
  readonly gitdir: string;
}

interface GitEntry extends TreeEntry {
  readonly mode: string;
}

const MAX_SYMLINK_HOPS = 16;
const WRITE_CONCURRENCY = 16;
const ROOT_NAME = '';

export class GitSourceTree implements SourceTree {
  readonly repoURL: string;
  readonly revision: string;
  private readonly gitdir: string;
  /** The URL without user info, for messages. */
  private readonly label: string;
  /** isomorphic-git's packfile cache: without it every object read re-parses the pack index. */
  private readonly cache = {};
  private readonly fs = storeReaderFs();
  private readonly trees = new Map<string, Promise<readonly GitEntry[]>>();
  private root: Promise<GitEntry> | undefined;

  constructor(options: GitSourceTreeOptions) {
    this.repoURL = options.repoURL;
    this.revision = options.revision;
    this.gitdir = options.gitdir;
    this.label = sanitizeURL(options.repoURL);
  }

  async idOf(path: string): Promise<string | undefined> {
    return (await this.lookup(path, { followLast: true }))?.id;
  }

  async list(path: string): Promise<readonly TreeEntry[]> {
    const dir = await this.lookup(path, { followLast: true });
    if (dir?.type !== 'dir') throw this.notFound(path, 'is not a directory');
    const base = normalizeTreePath(this.label, path);
    const entries = await this.entries(dir.id, base);
    return entries.map(({ name, path: p, type, id }) => ({ name, path: p, type, id }));
  }

  async readFile(path: string): Promise<Uint8Array> {
    const file = await this.lookup(path, { followLast: true });
    if (file?.type !== 'file') throw this.notFound(path, 'is not a file');
    return this.blob(file.id);
  }

  async readLink(path: string): Promise<string> {
    const link = await this.lookup(path, { followLast: false });
    if (link?.type !== 'symlink') throw this.notFound(path, 'is not a symlink');
    return new TextDecoder().decode(await this.blob(link.id));
  }

  async materialize(dir: string, options: { readonly path?: string } = {}): Promise<void> {
    const path = options.path ?? '';
    const start = await this.lookup(path, { followLast: true });
    if (!start) throw this.notFound(path, 'does not exist');
    await mkdir(dir, { recursive: true });
    if (start.type === 'dir') {
      await this.writeTree(
        start.id,
        normalizeTreePath(this.label, path),
        dir,
        createLimiter(WRITE_CONCURRENCY),
      );
    } else {
      await this.writeEntry(start, join(dir, start.name || 'file'));
    }
  }

  private async writeTree(treeOid: string, treePath: string, outDir: string, limit: Limiter): Promise<void> {
    const entries = await this.entries(treeOid, treePath);
    await Promise.all(
      entries.map(async (entry) => {
        const target = join(outDir, entry.name);
        if (entry.type === 'dir') {
          await limit(() => mkdir(target, { recursive: true }));
          await this.writeTree(entry.id, entry.path, target, limit);
        } else {
          await limit(() => this.writeEntry(entry, target));
        }
      }),
    );
  }

  private async writeEntry(entry: GitEntry, target: string): Promise<void> {
    switch (entry.type) {
      case 'file': {
        const mode = entry.mode === '100755' ? 0o755 : 0o644;
        await writeFile(target, await this.blob(entry.id), { mode });
        // writeFile's mode is filtered by the umask; executables must stay executable.
        if (mode === 0o755) await chmod(target, mode);
        return;
      }
      case 'symlink': {
        const link = new TextDecoder().decode(await this.blob(entry.id));
        if (symlinkDestination(entry.path, link) === undefined) throw this.escapingLink(entry.path, link);
        await symlink(link, target);
        return;
      }
      case 'submodule':
        // Submodules are not fetched; their directory is left empty, as in a non-recursive clone.
        await mkdir(target, { recursive: true });
        return;
      case 'dir':
        return;
    }
  }

  /** Finds the entry at path, following in-repository symlinks on the way. */
  private async lookup(
    path: string,
    options: { readonly followLast: boolean },
    hops = 0,
  ): Promise<GitEntry | undefined> {
    const normalized = normalizeTreePath(this.label, path);
    const segments = normalized === '' ? [] : normalized.split('/');
    let current = await this.rootEntry();
    for (let i = 0; i < segments.length; i++) {
      if (current.type !== 'dir') return undefined;
      const entries = await this.entries(current.id, current.path);
      const next = entries.find((e) => e.name === segments[i]);
      if (!next) return undefined;
      const last = i === segments.length - 1;
      if (next.type === 'symlink' && (!last || options.followLast)) {
        if (hops >= MAX_SYMLINK_HOPS) {
          throw new DriftlessError(
            'LIMIT_EXCEEDED',
            `repository ${this.label} at ${this.revision}: ${normalized}: more than ${MAX_SYMLINK_HOPS} symlinks`,
            { context: { path: normalized } },
          );
        }
        const link = new TextDecoder().decode(await this.blob(next.id));
        const destination = symlinkDestination(next.path, link);
        if (destination === undefined) throw this.escapingLink(next.path, link);
        const rest = segments.slice(i + 1).join('/');
        return this.lookup(rest === '' ? destination : `${destination}/${rest}`, options, hops + 1);
      }
      current = next;
    }
    return current;
  }

  private rootEntry(): Promise<GitEntry> {
    this.root ??= git
      .readCommit({ fs: this.fs, gitdir: this.gitdir, oid: this.revision, cache: this.cache })
      .then(({ commit }) => ({
        name: ROOT_NAME,
        path: '',
        type: 'dir' as const,
        id: commit.tree,
        mode: '040000',
      }))
      .catch((e: unknown) => {
        this.root = undefined;
        throw new DriftlessError(
          'GIT_NOT_FOUND',
          `repository ${this.label}: commit ${this.revision} is not in the local object store`,
          { cause: e, context: { revision: this.revision } },
        );
      });
    return this.root;
  }

  private entries(treeOid: string, treePath: string): Promise<readonly GitEntry[]> {
    let pending = this.trees.get(`${treeOid}:${treePath}`);
    if (!pending) {
      pending = git
        .readTree({ fs: this.fs, gitdir: this.gitdir, oid: treeOid, cache: this.cache })
        .then(({ tree }) =>
          tree
            .map((e): GitEntry => {
              if (!isSafeEntryName(e.path)) {
                throw new DriftlessError(
                  'LIMIT_EXCEEDED',
                  `repository ${this.label} at ${this.revision}: ${treePath || '.'}: unsafe entry name ${JSON.stringify(e.path)}`,
                  { context: { path: treePath } },
                );
              }
              return {
                name: e.path,
                path: treePath === '' ? e.path : posix.join(treePath, e.path),
                type: entryType(e.mode),
                id: e.oid,
                mode: e.mode,
              };
            })
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        );
      this.trees.set(`${treeOid}:${treePath}`, pending);
    }
    return pending;
  }

  private async blob(oid: string): Promise<Uint8Array> {
    const { blob } = await git.readBlob({ fs: this.fs, gitdir: this.gitdir, oid, cache: this.cache });
    return blob;
  }

  private notFound(path: string, what: string): DriftlessError {
    return new DriftlessError(
      'NOT_FOUND',
      `repository ${this.label} at ${this.revision}: ${path || '.'} ${what}`,
      {
        context: { path, revision: this.revision },
      },
    );
  }

  private escapingLink(path: string, target: string): DriftlessError {
    return new DriftlessError(
      'LIMIT_EXCEEDED',
      `repository ${this.label} at ${this.revision}: symlink ${path} -> ${target} points outside the repository`,
      { context: { path, target, revision: this.revision } },
    );
  }
}

function entryType(mode: string): TreeEntry['type'] {
  switch (mode) {
    case '040000':
      return 'dir';
    case '120000':
      return 'symlink';
    case '160000':
      return 'submodule';
    default:
      return 'file';
  }
}
