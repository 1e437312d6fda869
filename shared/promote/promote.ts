/**
 * One promotion: resolve the revision, find the Application, edit its targetRevision, commit,
 * push; when the push is refused because the branch moved, fetch, re-apply on the new tip (only
 * if nobody changed that targetRevision meanwhile) and push once more.
 */
import * as fs from 'node:fs';
import { relative, resolve } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import * as git from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { DriftlessError, messageOf } from '../errors/index.js';
import { authHeaders, findCredential, GitSourceTree, sanitizeURL } from '../git/index.js';
import type { RepositoryCredential } from '../model/argo-types.js';
import { type Clock, systemClock } from '../ports/clock.js';
import type { GitSource } from '../ports/source-tree.js';
import { type CommitIdentity, commitFile } from './commit-file.js';
import {
  type ConfigRepositoryLocation,
  type OpenedConfigRepository,
  openConfigRepository,
} from './config-repository.js';
import { setTargetRevision } from './edit-target-revision.js';
import { findApplication } from './find-application.js';

export interface PromoteOptions {
  readonly application: string;
  /** A tag, branch, commit SHA or semver constraint. */
  readonly revision: string;
  readonly config: ConfigRepositoryLocation;
  /** For a checkout: where under it to look (default: the whole repository). */
  readonly searchDir?: string;
  /** Resolves the revision against the Application's own repoURL. */
  readonly git: GitSource;
  /** Repository Secrets; the one for the config repository authenticates fetch and push. */
  readonly credentials?: readonly RepositoryCredential[];
  readonly author: CommitIdentity;
  /** Subject line instead of the generated one. */
  readonly message?: string;
  /** false: compute and return the edit, write nothing (a state-only pin). */
  readonly commit: boolean;
  readonly sourceIndex?: number;
  readonly http?: HttpClient;
  readonly clock?: Clock;
}

interface PromotionFacts {
  readonly application: string;
  readonly path: string;
  readonly field: string;
  readonly repoURL: string;
  readonly previous: string | undefined;
  readonly revision: string;
  /** The commit the revision resolves to in the Application's repository. */
  readonly resolved: string;
}

export type PromoteResult =
  | ({ readonly kind: 'unchanged' } & PromotionFacts)
  | ({ readonly kind: 'planned'; readonly text: string } & PromotionFacts)
  | ({
      readonly kind: 'committed';
      readonly commit: string;
      readonly branch: string;
      readonly pushed: boolean;
      /** The push was refused once and the edit re-applied on the moved branch. */
      readonly retried: boolean;
      readonly message: string;
    } & PromotionFacts);

export async function promote(options: PromoteOptions): Promise<PromoteResult> {
  const http = options.http ?? nodeHttp;
  const credentials = options.credentials ?? [];
  const headers = (url: string) => authHeaders(findCredential(credentials, url));
  const repo = await openConfigRepository({ location: options.config, http, headers });
  try {
    return await promoteIn(repo, options, http, headers);
  } finally {
    await repo.close();
  }
}

async function promoteIn(
  repo: OpenedConfigRepository,
  options: PromoteOptions,
  http: HttpClient,
  headers: (url: string) => Record<string, string>,
): Promise<PromoteResult> {
  const { application, revision } = options;
  const under =
    repo.dir && options.searchDir ? relative(repo.dir, resolve(options.searchDir)).split('\\').join('/') : '';
  if (under.startsWith('..')) {
    throw new DriftlessError('INVALID_INPUT', `${options.searchDir} is outside the checkout ${repo.dir}`);
  }
  const tree = new GitSourceTree({
    repoURL: repo.remoteURL ?? 'local',
    revision: repo.base,
    gitdir: repo.gitdir,
  });
  const found = await findApplication({ tree, application, under });
  if (repo.dir) await requireClean(repo.dir, repo.gitdir, [found.path]);

  const resolved = await options.git.resolve(found.repoURL, revision).catch((e: unknown) => {
    throw new DriftlessError(
      e instanceof DriftlessError ? e.code : 'GIT_NOT_FOUND',
      `promote ${application}: targetRevision "${revision}" does not resolve in ${sanitizeURL(found.repoURL)}: ${messageOf(e)}`,
      { cause: e, context: { application, revision }, retryable: e instanceof DriftlessError && e.retryable },
    );
  });
  const edit = setTargetRevision({
    text: found.text,
    path: found.path,
    application,
    revision,
    ...(options.sourceIndex === undefined ? {} : { sourceIndex: options.sourceIndex }),
  });
  const facts: PromotionFacts = {
    application,
    path: found.path,
    field: edit.field,
    repoURL: found.repoURL,
    previous: edit.targetRevision,
    revision,
    resolved,
  };
  if (edit.kind === 'unchanged') return { kind: 'unchanged', ...facts };
  if (!options.commit) return { kind: 'planned', text: edit.text, ...facts };

  const subject =
    options.message ??
    `promote ${application}: targetRevision ${edit.targetRevision ?? 'HEAD'} -> ${revision} (by ${options.author.name})`;
  const message = `${subject}\n\n${found.path}: ${edit.field}.targetRevision "${revision}" resolves to ${resolved} in ${sanitizeURL(found.repoURL)}\n`;
  const when = (options.clock ?? systemClock).now();
  const commitOn = (parent: string, text: string) =>
    commitFile({
      gitdir: repo.gitdir,
      parent,
      path: found.path,
      content: text,
      message,
      author: options.author,
      when,
    });

  let commit = await commitOn(repo.base, edit.text);
  let retried = false;
  if (repo.remoteURL) {
    const remoteURL = repo.remoteURL;
    const push = (oid: string) => pushCommit({ repo, http, headers: headers(remoteURL), oid });
    if (!(await push(commit))) {
      retried = true;
      const tip = await fetchTip(repo, http, headers(remoteURL));
      if (
        repo.fullHistory &&
        !(await git.isDescendent({ fs, gitdir: repo.gitdir, oid: tip, ancestor: repo.base, depth: -1 }))
      ) {
        throw conflict(
          `branch ${repo.branch} has local commits that are not on ${sanitizeURL(remoteURL)}; pull first`,
        );
      }
      const moved = new GitSourceTree({ repoURL: remoteURL, revision: tip, gitdir: repo.gitdir });
      const text = new TextDecoder().decode(await moved.readFile(found.path).catch(() => new Uint8Array()));
      let again: ReturnType<typeof setTargetRevision>;
      try {
        again = setTargetRevision({
          text,
          path: found.path,
          application,
          revision,
          ...(options.sourceIndex === undefined ? {} : { sourceIndex: options.sourceIndex }),
        });
      } catch (e) {
        throw conflict(
          `${found.path} changed underneath and no longer holds Application "${application}": ${messageOf(e)}`,
        );
      }
      if (again.targetRevision !== edit.targetRevision && again.kind !== 'unchanged') {
        throw conflict(
          `${found.path}: ${again.field}.targetRevision of "${application}" changed underneath (${edit.targetRevision ?? 'HEAD'} -> ${again.targetRevision ?? 'HEAD'}); not overwriting it`,
        );
      }
      if (again.kind === 'unchanged') return { kind: 'unchanged', ...facts };
      if (repo.dir)
        await requireClean(repo.dir, repo.gitdir, await changedPaths(repo.gitdir, repo.base, tip));
      commit = await commitOn(tip, again.text);
      if (!(await push(commit))) {
        throw conflict(
          `push to ${sanitizeURL(remoteURL)} ${repo.branch} was refused twice; the branch keeps moving`,
          true,
        );
      }
    }
    await git.writeRef({
      fs,
      gitdir: repo.gitdir,
      ref: `refs/remotes/origin/${repo.branch}`,
      value: commit,
      force: true,
    });
  }
  if (repo.dir) await fastForwardCheckout(repo.dir, repo.gitdir, repo.branch, repo.base, commit);
  return {
    kind: 'committed',
    commit,
    branch: repo.branch,
    pushed: repo.remoteURL !== undefined,
    retried,
    message,
    ...facts,
  };
}

const PUSH_REF = 'refs/driftless/promote';

/** true when the branch took the commit; false when it was refused because the branch moved. */
export async function pushCommit(input: {
  readonly repo: OpenedConfigRepository;
  readonly http: HttpClient;
  readonly headers: Record<string, string>;
  readonly oid: string;
}): Promise<boolean> {
  const { repo } = input;
  await git.writeRef({ fs, gitdir: repo.gitdir, ref: PUSH_REF, value: input.oid, force: true });
  try {
    const result = await git.push({
      fs,
      http: input.http,
      gitdir: repo.gitdir,
      remote: 'origin',
      ...(repo.remoteURL ? { url: repo.remoteURL } : {}),
      ref: PUSH_REF,
      remoteRef: `refs/heads/${repo.branch}`,
      headers: input.headers,
    });
    if (result.ok) return true;
    return false;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'PushRejectedError' || code === 'GitPushError') return false;
    throw new DriftlessError(
      /401|403|auth/i.test(messageOf(e)) ? 'GIT_AUTH' : 'GIT_TRANSPORT',
      `pushing to ${sanitizeURL(repo.remoteURL ?? '')} ${repo.branch}: ${messageOf(e)}`,
      { cause: e, retryable: !/401|403|auth/i.test(messageOf(e)) },
    );
  } finally {
    await git.deleteRef({ fs, gitdir: repo.gitdir, ref: PUSH_REF }).catch(() => {});
  }
}

export async function fetchTip(
  repo: OpenedConfigRepository,
  http: HttpClient,
  headers: Record<string, string>,
): Promise<string> {
  await git.fetch({
    fs,
    http,
    gitdir: repo.gitdir,
    remote: 'origin',
    ...(repo.remoteURL ? { url: repo.remoteURL } : {}),
    ref: repo.branch,
    singleBranch: true,
    tags: false,
    headers,
    ...(repo.fullHistory ? {} : { depth: 1 }),
  });
  return git.resolveRef({ fs, gitdir: repo.gitdir, ref: `refs/remotes/origin/${repo.branch}` });
}

/** Files that differ between two commits. */
async function changedPaths(gitdir: string, from: string, to: string): Promise<string[]> {
  const changed: string[] = [];
  await git.walk({
    fs,
    gitdir,
    trees: [git.TREE({ ref: from }), git.TREE({ ref: to })],
    map: async (path, [a, b]) => {
      if (path === '.') return true;
      const [aType, bType] = [await a?.type(), await b?.type()];
      if (aType === 'tree' || bType === 'tree') {
        if ((await a?.oid()) === (await b?.oid())) return null;
        return true;
      }
      if ((await a?.oid()) !== (await b?.oid())) changed.push(path);
      return true;
    },
  });
  return changed;
}

/** The checkout's copies of these files must match HEAD, so bringing them forward loses nothing. */
async function requireClean(dir: string, gitdir: string, paths: readonly string[]): Promise<void> {
  for (const filepath of paths) {
    const state = await git.status({ fs, dir, gitdir, filepath });
    if (state !== 'unmodified' && state !== 'absent') {
      throw new DriftlessError(
        'INVALID_INPUT',
        `${dir}: ${filepath} has uncommitted changes (${state}); commit or discard them first`,
        { context: { file: filepath } },
      );
    }
  }
}

/** Moves the branch to the new commit and updates the files that changed, as a fast-forward pull would. */
async function fastForwardCheckout(
  dir: string,
  gitdir: string,
  branch: string,
  from: string,
  to: string,
): Promise<void> {
  const filepaths = await changedPaths(gitdir, from, to);
  await git.writeRef({ fs, gitdir, ref: `refs/heads/${branch}`, value: to, force: true });
  if (filepaths.length > 0) await git.checkout({ fs, dir, gitdir, ref: branch, filepaths, force: true });
}

function conflict(message: string, retryable = false): DriftlessError {
  return new DriftlessError('STATE_CONFLICT', message, { retryable });
}
