/**
 * Remote repositories over smart HTTP (isomorphic-git), with an on-disk object cache per
 * repository (`<cacheDir>/<cacheDirName(url)>`, a bare git directory, never checked out; the
 * name covers scheme, host, port and path, see cache-key.ts).
 *
 * resolve: a full SHA is taken as is (no network, as Argo CD does); anything else costs one ref
 *   advertisement (a single GET of `info/refs`), matched by `matchRevision`. An abbreviated SHA
 *   that is no advertised tip is expanded against commits already in the cache.
 * open: if the commit was fetched before (a `refs/fetched/<sha>` marker written only after the
 *   fetch completed) nothing goes over the wire; otherwise exactly that commit is fetched at
 *   depth 1. Work on one repository is serialised, in-process and across processes
 *   (repo-lock.ts), so concurrent opens cannot corrupt the cache.
 * budget: after a fetch the cache is swept (cache-eviction.ts): least recently used stores go
 *   first, and a store that outgrew its own limit is re-created on its next fetch.
 */
import * as fs from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import * as git from 'isomorphic-git';
import { DriftlessError } from '../errors/index.js';
import type { RepositoryCredential } from '../model/argo-types.js';
import {
  type CacheBudget,
  directoryBytes,
  graceOf,
  lastUsed,
  markUsed,
  removeStore,
  repoByteLimit,
  type SweepResult,
  storeLockPath,
  sweepCache,
} from './cache-eviction.js';
import { cacheDirName } from './cache-key.js';
import { authHeaders, findCredential } from './credentials.js';
import { GitSourceTree } from './git-source-tree.js';
import { type AdvertisedRef, branchNames, matchRevision } from './ref-resolution.js';
import { toRemoteError } from './remote-errors.js';
import { RepoLock, type RepoLockOptions } from './repo-lock.js';
import { isCommitSHA, sanitizeURL } from './repo-url.js';

export interface RemoteRepositoriesOptions {
  /** Where per-repository object stores live. */
  readonly cacheDir: string;
  readonly credentials: readonly RepositoryCredential[];
  readonly http: HttpClient;
  /** Size and age limits of the cache (see cache-eviction.ts for the defaults). */
  readonly budget?: CacheBudget;
  /** The lock shared with other processes using the same cacheDir. */
  readonly lock?: RepoLockOptions;
  /** Milliseconds since the epoch; the stores' LRU order and age are measured with it. */
  readonly now?: () => number;
}

const FETCHED_PREFIX = 'refs/fetched/';

export class RemoteRepositories {
  private readonly lock: RepoLock;
  private readonly now: () => number;
  private sweeping: Promise<SweepResult> | undefined;

  constructor(private readonly options: RemoteRepositoriesOptions) {
    this.lock = new RepoLock(options.lock);
    this.now = options.now ?? Date.now;
  }

  async resolve(repoURL: string, targetRevision: string): Promise<string> {
    const revision = targetRevision.trim();
    if (isCommitSHA(revision)) return revision.toLowerCase();
    const refs = await this.listRefs(repoURL);
    const match = matchRevision(refs, revision);
    switch (match.kind) {
      case 'commit':
        return match.sha;
      case 'ambiguous':
        throw new DriftlessError(
          'GIT_NOT_FOUND',
          `repository ${sanitizeURL(repoURL)}: revision "${revision}" is ambiguous (${match.candidates.join(', ')})`,
          { context: { revision } },
        );
      case 'abbreviated': {
        const sha = await this.expandCached(repoURL, match.prefix);
        if (sha) return sha;
        throw notFound(
          repoURL,
          revision,
          'an abbreviated SHA must be an advertised ref tip or an already fetched commit',
        );
      }
      case 'not-found':
        throw notFound(repoURL, revision);
    }
  }

  /** Branch names (without `refs/heads/`), sorted, from one ref advertisement. */
  async listBranches(repoURL: string): Promise<readonly string[]> {
    return branchNames(await this.listRefs(repoURL));
  }

  async open(repoURL: string, commit: string): Promise<GitSourceTree> {
    const sha = commit.trim().toLowerCase();
    if (!isCommitSHA(sha)) {
      throw new DriftlessError(
        'INTERNAL',
        `repository ${sanitizeURL(repoURL)}: open needs a resolved 40-hex commit SHA, got "${commit}"`,
        { context: { revision: commit } },
      );
    }
    const gitdir = this.gitdirOf(repoURL);
    const fetched = await this.lock.run(this.lockPathOf(gitdir), async () => {
      const cached = fs.existsSync(join(gitdir, FETCHED_PREFIX, sha));
      if (!cached) {
        await this.recreateIfOversized(gitdir);
        await this.ensureStore(gitdir, repoURL);
        await this.fetchCommit(gitdir, repoURL, sha);
        // Some servers answer a want they cannot serve with an empty pack rather than an error.
        if (!(await hasCommit(gitdir, sha)))
          throw notFound(repoURL, sha, 'the server did not send this commit');
        await git.writeRef({ fs, gitdir, ref: `${FETCHED_PREFIX}${sha}`, value: sha, force: true });
      }
      await markUsed(gitdir, this.now());
      return !cached;
    });
    // Only a fetch grows the cache; a hit needs no sweep.
    if (fetched) await this.sweep({ keep: [basename(gitdir)] });
    return new GitSourceTree({ repoURL, revision: sha, gitdir });
  }

  /**
   * Evicts stores until the cache is within its budget (see cache-eviction.ts). Runs after every
   * fetch; one sweep at a time per instance.
   */
  sweep(options: { readonly keep?: readonly string[] } = {}): Promise<SweepResult> {
    this.sweeping ??= sweepCache({
      cacheDir: this.options.cacheDir,
      budget: this.options.budget ?? {},
      keep: options.keep ?? [],
      lock: this.options.lock ?? {},
      now: this.now,
    }).finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  /** The cache directory of a repository: every spelling of one URL on one endpoint shares it. */
  gitdirOf(repoURL: string): string {
    return join(this.options.cacheDir, cacheDirName(repoURL));
  }

  private lockPathOf(gitdir: string): string {
    return storeLockPath(this.options.cacheDir, basename(gitdir));
  }

  /**
   * Packs cannot be dropped one by one (a later shallow fetch may rely on objects in an earlier
   * pack), so a store over its own limit starts again empty, unless a reader may still use it.
   */
  private async recreateIfOversized(gitdir: string): Promise<void> {
    const bytes = await directoryBytes(gitdir);
    if (bytes === 0) return;
    const budget = this.options.budget ?? {};
    if (bytes <= (await repoByteLimit(this.options.cacheDir, budget))) return;
    if (this.now() - (await lastUsed(gitdir)) < graceOf(budget)) return;
    await removeStore(this.options.cacheDir, basename(gitdir));
  }

  private async listRefs(repoURL: string): Promise<readonly AdvertisedRef[]> {
    const credential = findCredential(this.options.credentials, repoURL);
    try {
      // Protocol v1: one GET returns every ref, the HEAD symref and peeled tags together.
      return await git.listServerRefs({
        http: this.options.http,
        url: repoURL,
        headers: authHeaders(credential),
        protocolVersion: 1,
        symrefs: true,
        peelTags: true,
      });
    } catch (e) {
      throw toRemoteError(e, {
        url: sanitizeURL(repoURL),
        operation: 'listing refs',
        ...(credential ? { credentialName: credential.name } : {}),
      });
    }
  }

  private async fetchCommit(gitdir: string, repoURL: string, sha: string): Promise<void> {
    const credential = findCredential(this.options.credentials, repoURL);
    try {
      await git.fetch({
        fs,
        http: this.options.http,
        gitdir,
        remote: 'origin',
        ref: sha,
        singleBranch: true,
        depth: 1,
        tags: false,
        headers: authHeaders(credential),
      });
    } catch (e) {
      if (isMissingWant(e)) throw notFound(repoURL, sha, 'the server does not have this commit');
      throw toRemoteError(e, {
        url: sanitizeURL(repoURL),
        operation: `fetching ${sha}`,
        ...(credential ? { credentialName: credential.name } : {}),
      });
    }
  }

  private async ensureStore(gitdir: string, repoURL: string): Promise<void> {
    if (fs.existsSync(join(gitdir, 'config'))) return;
    await mkdir(gitdir, { recursive: true });
    await git.init({ fs, gitdir, bare: true });
    // The stored remote URL never carries user info; credentials travel in headers only.
    await git.addRemote({ fs, gitdir, remote: 'origin', url: sanitizeURL(repoURL), force: true });
  }

  private async expandCached(repoURL: string, prefix: string): Promise<string | undefined> {
    const gitdir = this.gitdirOf(repoURL);
    if (!fs.existsSync(join(gitdir, 'config'))) return undefined;
    return this.lock.run(this.lockPathOf(gitdir), async () => {
      const fetched = await git
        .listRefs({ fs, gitdir, filepath: FETCHED_PREFIX.slice(0, -1) })
        .catch(() => []);
      const candidates = fetched.filter((oid) => oid.startsWith(prefix));
      return candidates.length === 1 ? candidates[0] : undefined;
    });
  }
}

function notFound(repoURL: string, revision: string, why?: string): DriftlessError {
  return new DriftlessError(
    'GIT_NOT_FOUND',
    `repository ${sanitizeURL(repoURL)}: revision "${revision}" not found${why ? ` (${why})` : ''}`,
    { context: { revision } },
  );
}

async function hasCommit(gitdir: string, sha: string): Promise<boolean> {
  return git
    .readCommit({ fs, gitdir, oid: sha })
    .then(() => true)
    .catch(() => false);
}

/** The server refused a `want` for an object it does not have (or will not serve). */
function isMissingWant(e: unknown): boolean {
  const message = e instanceof Error ? e.message : String(e);
  return /not our ref|upload-pack: not our|unadvertised object|no such object|bad object/i.test(message);
}
