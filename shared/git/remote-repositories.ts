/**
 * Remote repositories over smart HTTP (isomorphic-git), with an on-disk object cache per
 * repository (`<cacheDir>/<sha256 of repoKey>`, a bare git directory, never checked out).
 *
 * resolve: a full SHA is taken as is (no network, as Argo CD does); anything else costs one ref
 *   advertisement (a single GET of `info/refs`), matched by `matchRevision`. An abbreviated SHA
 *   that is no advertised tip is expanded against commits already in the cache.
 * open: if the commit was fetched before (a `refs/fetched/<sha>` marker written only after the
 *   fetch completed) nothing goes over the wire; otherwise exactly that commit is fetched at
 *   depth 1. Work on one repository is serialised in-process so concurrent opens cannot corrupt
 *   the cache.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import * as git from 'isomorphic-git';
import { DriftlessError } from '../errors/index.js';
import type { RepositoryCredential } from '../model/argo-types.js';
import { authHeaders, findCredential } from './credentials.js';
import { GitSourceTree } from './git-source-tree.js';
import { type AdvertisedRef, branchNames, matchRevision } from './ref-resolution.js';
import { toRemoteError } from './remote-errors.js';
import { KeyedLock } from './repo-lock.js';
import { isCommitSHA, repoKey, sanitizeURL } from './repo-url.js';

export interface RemoteRepositoriesOptions {
  /** Where per-repository object stores live. */
  readonly cacheDir: string;
  readonly credentials: readonly RepositoryCredential[];
  readonly http: HttpClient;
}

const FETCHED_PREFIX = 'refs/fetched/';

export class RemoteRepositories {
  private readonly lock = new KeyedLock();

  constructor(private readonly options: RemoteRepositoriesOptions) {}

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
    await this.lock.run(gitdir, async () => {
      await this.ensureStore(gitdir, repoURL);
      if (fs.existsSync(join(gitdir, FETCHED_PREFIX, sha))) return;
      await this.fetchCommit(gitdir, repoURL, sha);
      // Some servers answer a want they cannot serve with an empty pack rather than an error.
      if (!(await hasCommit(gitdir, sha)))
        throw notFound(repoURL, sha, 'the server did not send this commit');
      await git.writeRef({ fs, gitdir, ref: `${FETCHED_PREFIX}${sha}`, value: sha, force: true });
    });
    return new GitSourceTree({ repoURL, revision: sha, gitdir });
  }

  /** The cache directory of a repository: every spelling of one URL shares it. */
  gitdirOf(repoURL: string): string {
    const digest = createHash('sha256').update(repoKey(repoURL)).digest('hex').slice(0, 32);
    return join(this.options.cacheDir, digest);
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
    return this.lock.run(gitdir, async () => {
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
