/**
 * Where a promotion commits: a checkout the user has (its current branch, pushed to its `origin`
 * if it has one), or a repository URL fetched into a temporary bare store (the default branch
 * unless one is named). Both end up as a gitdir, a branch and a base commit.
 */
import * as fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import * as git from 'isomorphic-git';
import { DriftlessError, messageOf } from '../errors/index.js';
import { sanitizeURL } from '../git/index.js';

export type ConfigRepositoryLocation =
  | { readonly kind: 'checkout'; readonly dir: string }
  | { readonly kind: 'url'; readonly url: string; readonly branch?: string };

export interface OpenedConfigRepository {
  readonly gitdir: string;
  /** The working tree, for a checkout. */
  readonly dir?: string;
  readonly branch: string;
  /** Where to push; undefined for a checkout without an `origin` remote. */
  readonly remoteURL?: string;
  readonly base: string;
  /** Full history available (a checkout), so ancestry can be checked on a retry. */
  readonly fullHistory: boolean;
  close(): Promise<void>;
}

export interface OpenConfigRepositoryOptions {
  readonly location: ConfigRepositoryLocation;
  readonly http: HttpClient;
  readonly headers: (url: string) => Record<string, string>;
}

export async function openConfigRepository(
  options: OpenConfigRepositoryOptions,
): Promise<OpenedConfigRepository> {
  const { location } = options;
  if (location.kind === 'checkout') return openCheckout(location.dir);
  const gitdir = await mkdtemp(join(tmpdir(), 'driftless-promote-'));
  const close = () => rm(gitdir, { recursive: true, force: true });
  try {
    const url = location.url;
    await git.init({ fs, gitdir, bare: true });
    await git.addRemote({ fs, gitdir, remote: 'origin', url: sanitizeURL(url) });
    let branch = location.branch;
    if (!branch) {
      const refs = await git.listServerRefs({
        http: options.http,
        url,
        headers: options.headers(url),
        protocolVersion: 1,
        symrefs: true,
        prefix: 'HEAD',
      });
      branch = refs.find((r) => r.ref === 'HEAD')?.target?.replace(/^refs\/heads\//, '');
      if (!branch) {
        throw new DriftlessError('GIT_NOT_FOUND', `repository ${sanitizeURL(url)} has no default branch`);
      }
    }
    await git.fetch({
      fs,
      http: options.http,
      gitdir,
      remote: 'origin',
      ref: branch,
      singleBranch: true,
      depth: 1,
      tags: false,
      headers: options.headers(url),
    });
    const base = await git.resolveRef({ fs, gitdir, ref: `refs/remotes/origin/${branch}` });
    return { gitdir, branch, remoteURL: url, base, fullHistory: false, close };
  } catch (e) {
    await close();
    if (e instanceof DriftlessError) throw e;
    throw new DriftlessError(
      'GIT_TRANSPORT',
      `fetching config repository ${sanitizeURL(location.url)}: ${messageOf(e)}`,
      { retryable: true, cause: e },
    );
  }
}

async function openCheckout(dir: string): Promise<OpenedConfigRepository> {
  const root = await git.findRoot({ fs, filepath: dir }).catch(() => undefined);
  if (!root) {
    throw new DriftlessError('NOT_FOUND', `${dir} is not inside a git checkout`, { context: { path: dir } });
  }
  const gitdir = join(root, '.git');
  const branch = await git.currentBranch({ fs, dir: root, fullname: false });
  if (!branch) {
    throw new DriftlessError(
      'INVALID_INPUT',
      `${root}: HEAD is detached; check out the branch to promote on`,
      {
        context: { path: root },
      },
    );
  }
  const base = await git.resolveRef({ fs, gitdir, ref: `refs/heads/${branch}` });
  const remoteURL = (await git.getConfig({ fs, gitdir, path: 'remote.origin.url' })) as string | undefined;
  return {
    gitdir,
    dir: root,
    branch,
    ...(remoteURL ? { remoteURL } : {}),
    base,
    fullHistory: true,
    close: async () => {},
  };
}
