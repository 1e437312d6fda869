/**
 * Local stand-ins for remote repositories (`--repo URL=PATH`): Applications keep naming their
 * real repoURL, and reads go to a path on this machine instead, with no network.
 *
 * - A git repository (a working tree with `.git`, or a bare repository) is read through its
 *   object store: targetRevision resolves against its own refs exactly as against a remote
 *   (HEAD, branch, tag, full or abbreviated SHA, any `refs/...`); a branch that exists only as
 *   `refs/remotes/origin/<name>` resolves too. Only committed content is seen.
 * - Any other directory is a DirectorySourceTree: its revision is the content hash of the whole
 *   tree and targetRevision is ignored.
 */
import * as fs from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as git from 'isomorphic-git';
import { DriftlessError } from '../errors/index.js';
import type { SourceTree } from '../ports/source-tree.js';
import { DirectorySourceTree } from './directory-tree.js';
import { GitSourceTree } from './git-source-tree.js';
import { type AdvertisedRef, branchNames, matchRevision } from './ref-resolution.js';
import { isCommitSHA, repoKey, sanitizeURL } from './repo-url.js';

export interface LocalSourceMapping {
  /** The repoURL Applications use. */
  readonly repoURL: string;
  /** Absolute path of the local repository or directory. */
  readonly path: string;
}

/** Parses `URL=PATH` specs (split at the first `=`); relative paths resolve against `cwd`. */
export function parseLocalSourceMappings(
  specs: readonly string[],
  options: { readonly cwd?: string } = {},
): readonly LocalSourceMapping[] {
  const seen = new Map<string, string>();
  return specs.map((spec) => {
    const at = spec.indexOf('=');
    const repoURL = at < 0 ? '' : spec.slice(0, at).trim();
    const path = at < 0 ? '' : spec.slice(at + 1).trim();
    if (repoURL === '' || path === '') {
      throw new DriftlessError(
        'INVALID_INPUT',
        `--repo "${sanitizeURL(spec)}": expected URL=PATH, e.g. https://github.com/org/config=./config`,
        { context: { option: '--repo' } },
      );
    }
    const key = repoKey(repoURL);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new DriftlessError(
        'INVALID_INPUT',
        `--repo "${sanitizeURL(spec)}": repository ${sanitizeURL(repoURL)} is already mapped to ${earlier}`,
        { context: { option: '--repo' } },
      );
    }
    const absolute = resolve(options.cwd ?? process.cwd(), path);
    seen.set(key, absolute);
    return { repoURL, path: absolute };
  });
}

type LocalKind = { readonly kind: 'git'; readonly gitdir: string } | { readonly kind: 'directory' };

export class LocalSources {
  private readonly byKey: ReadonlyMap<string, LocalSourceMapping>;
  private readonly kinds = new Map<string, Promise<LocalKind>>();
  private readonly directories = new Map<string, DirectorySourceTree>();

  constructor(mappings: readonly LocalSourceMapping[]) {
    this.byKey = new Map(mappings.map((m) => [repoKey(m.repoURL), m]));
  }

  /** The mapping for a repository, however its URL is spelled; undefined if it is remote. */
  find(repoURL: string): LocalSourceMapping | undefined {
    return this.byKey.get(repoKey(repoURL));
  }

  async resolve(mapping: LocalSourceMapping, repoURL: string, targetRevision: string): Promise<string> {
    const local = await this.kindOf(mapping);
    if (local.kind === 'directory') {
      const tree = await DirectorySourceTree.open(sanitizeURL(repoURL), mapping.path);
      this.directories.set(mapping.path, tree);
      return tree.revision;
    }
    const revision = targetRevision.trim();
    const match = matchRevision(await localRefs(local.gitdir), revision);
    switch (match.kind) {
      case 'commit':
        if (await hasCommit(local.gitdir, match.sha)) return match.sha;
        break;
      case 'abbreviated': {
        const sha = await git
          .expandOid({ fs, gitdir: local.gitdir, oid: match.prefix })
          .catch(() => undefined);
        if (sha && (await hasCommit(local.gitdir, sha))) return sha;
        break;
      }
      case 'ambiguous':
      case 'not-found':
        break;
    }
    throw new DriftlessError(
      'GIT_NOT_FOUND',
      `repository ${sanitizeURL(repoURL)}: revision "${revision}" not found in local repository ${mapping.path}`,
      { context: { revision, path: mapping.path } },
    );
  }

  /** Local branches plus `origin` remote-tracking ones, as a clone of the remote would list them. */
  async listBranches(mapping: LocalSourceMapping, repoURL: string): Promise<readonly string[]> {
    const local = await this.kindOf(mapping);
    if (local.kind === 'directory') {
      throw new DriftlessError(
        'NOT_FOUND',
        `branches of ${sanitizeURL(repoURL)}: ${mapping.path} is not a git repository`,
        { context: { path: mapping.path } },
      );
    }
    return branchNames(await localRefs(local.gitdir));
  }

  async open(mapping: LocalSourceMapping, repoURL: string, commit: string): Promise<SourceTree> {
    const local = await this.kindOf(mapping);
    if (local.kind === 'directory') {
      const cached = this.directories.get(mapping.path);
      if (cached?.revision === commit) return cached;
      return DirectorySourceTree.open(sanitizeURL(repoURL), mapping.path);
    }
    if (!isCommitSHA(commit) || !(await hasCommit(local.gitdir, commit.toLowerCase()))) {
      throw new DriftlessError(
        'GIT_NOT_FOUND',
        `repository ${sanitizeURL(repoURL)}: commit "${commit}" not found in local repository ${mapping.path}`,
        { context: { revision: commit, path: mapping.path } },
      );
    }
    return new GitSourceTree({ repoURL, revision: commit.toLowerCase(), gitdir: local.gitdir });
  }

  private kindOf(mapping: LocalSourceMapping): Promise<LocalKind> {
    let pending = this.kinds.get(mapping.path);
    if (!pending) {
      pending = detect(mapping);
      this.kinds.set(mapping.path, pending);
    }
    return pending;
  }
}

async function detect(mapping: LocalSourceMapping): Promise<LocalKind> {
  const info = await stat(mapping.path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new DriftlessError(
      'NOT_FOUND',
      `local source for ${sanitizeURL(mapping.repoURL)}: ${mapping.path} is not a directory`,
      { context: { path: mapping.path } },
    );
  }
  const dotGit = join(mapping.path, '.git');
  const dotGitInfo = await stat(dotGit).catch(() => undefined);
  if (dotGitInfo?.isDirectory()) return { kind: 'git', gitdir: dotGit };
  if (dotGitInfo?.isFile()) {
    // A linked worktree or submodule: `.git` is a file naming the real git directory.
    const pointer = /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'));
    if (pointer?.[1]) return { kind: 'git', gitdir: resolve(mapping.path, pointer[1].trim()) };
  }
  const bare = ['HEAD', 'objects', 'refs'].every((name) => fs.existsSync(join(mapping.path, name)));
  return bare ? { kind: 'git', gitdir: mapping.path } : { kind: 'directory' };
}

/** The local refs as a remote would advertise them. */
async function localRefs(gitdir: string): Promise<readonly AdvertisedRef[]> {
  const names = await git.listRefs({ fs, gitdir, filepath: 'refs' });
  const refs = new Map<string, AdvertisedRef>();
  for (const name of names) {
    const ref = `refs/${name}`;
    const oid = await git.resolveRef({ fs, gitdir, ref }).catch(() => undefined);
    if (!oid) continue;
    refs.set(ref, { ref, oid, ...(ref.startsWith('refs/tags/') ? { peeled: await peel(gitdir, oid) } : {}) });
  }
  // A clone has only the checked-out branch locally; the others exist as remote-tracking refs.
  for (const [ref, value] of [...refs]) {
    const tracked = /^refs\/remotes\/origin\/(.+)$/.exec(ref)?.[1];
    if (tracked && tracked !== 'HEAD' && !refs.has(`refs/heads/${tracked}`)) {
      refs.set(`refs/heads/${tracked}`, { ...value, ref: `refs/heads/${tracked}` });
    }
  }
  const head = await git.resolveRef({ fs, gitdir, ref: 'HEAD' }).catch(() => undefined);
  if (head) {
    const symbolic = /^ref:\s*(\S+)/.exec(await readFile(join(gitdir, 'HEAD'), 'utf8').catch(() => ''))?.[1];
    refs.set('HEAD', { ref: 'HEAD', oid: head, ...(symbolic ? { target: symbolic } : {}) });
  }
  return [...refs.values()];
}

/** Follows annotated tags down to the object they finally point to. */
async function peel(gitdir: string, oid: string): Promise<string> {
  let current = oid;
  for (let i = 0; i < 8; i++) {
    const object = await git
      .readObject({ fs, gitdir, oid: current, format: 'parsed' })
      .catch(() => undefined);
    if (object?.type !== 'tag') return current;
    current = (object.object as { object: string }).object;
  }
  return current;
}

async function hasCommit(gitdir: string, sha: string): Promise<boolean> {
  return git
    .readCommit({ fs, gitdir, oid: sha })
    .then(() => true)
    .catch(() => false);
}
