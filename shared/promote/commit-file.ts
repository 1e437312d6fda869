/**
 * A commit that changes one file, written straight into the object store: blob, the trees on its
 * path, the commit. No working tree or index is involved, so the same code serves a bare
 * temporary clone and a user's checkout (whose files are brought up to date afterwards).
 */
import * as fs from 'node:fs';
import * as git from 'isomorphic-git';
import { DriftlessError } from '../errors/index.js';

export interface CommitIdentity {
  readonly name: string;
  readonly email: string;
}

export interface CommitFileOptions {
  readonly gitdir: string;
  readonly parent: string;
  /** Repository-relative path of an existing file. */
  readonly path: string;
  readonly content: string;
  readonly message: string;
  readonly author: CommitIdentity;
  readonly when: Date;
}

export async function commitFile(options: CommitFileOptions): Promise<string> {
  const { gitdir } = options;
  const blob = await git.writeBlob({ fs, gitdir, blob: new TextEncoder().encode(options.content) });
  const { commit } = await git.readCommit({ fs, gitdir, oid: options.parent });
  const tree = await replaceBlob(gitdir, commit.tree, options.path.split('/'), blob, options.path);
  const signature = {
    name: options.author.name,
    email: options.author.email,
    timestamp: Math.floor(options.when.getTime() / 1000),
    timezoneOffset: 0,
  };
  return git.writeCommit({
    fs,
    gitdir,
    commit: {
      message: options.message,
      tree,
      parent: [options.parent],
      author: signature,
      committer: signature,
    },
  });
}

async function replaceBlob(
  gitdir: string,
  treeOid: string,
  segments: readonly string[],
  blob: string,
  path: string,
): Promise<string> {
  const [name, ...rest] = segments;
  const { tree } = await git.readTree({ fs, gitdir, oid: treeOid });
  const index = tree.findIndex((e) => e.path === name);
  const entry = tree[index];
  if (!entry || (rest.length === 0 ? entry.type !== 'blob' : entry.type !== 'tree')) {
    throw new DriftlessError('NOT_FOUND', `${path}: not a file in commit tree ${treeOid.slice(0, 12)}`, {
      context: { file: path },
    });
  }
  const oid = rest.length === 0 ? blob : await replaceBlob(gitdir, entry.oid, rest, blob, path);
  const entries = tree.map((e, i) => (i === index ? { ...e, oid } : e));
  return git.writeTree({ fs, gitdir, tree: entries });
}
