/**
 * Git: from an Application's `repoURL` + `targetRevision` to a readable tree.
 *
 * 1. `createGitSource({credentials, localSources, cacheDir})` builds the GitSource port.
 * 2. `resolve(repoURL, targetRevision)` → commit SHA. Local mappings (`--repo URL=PATH`) answer
 *    without network; remote repositories cost one ref advertisement (none for a full SHA).
 *    Credentials: the `repository` secret for the same URL, else the longest `repo-creds` prefix.
 * 3. `open(repoURL, sha)` → SourceTree. A commit already in the cache opens with no network;
 *    otherwise exactly that commit is fetched at depth 1. Trees and blobs are read straight from
 *    the object store; `materialize` writes files only for tools that need a filesystem.
 *
 * 4. `listBranches(repoURL)` → branch names: one ref advertisement remotely, the local and
 *    `origin` remote-tracking branches of a mapped repository.
 *
 * targetRevision may be a semver constraint (`>=1.2 <2`, `~1.2`, `^1`, `1.2.x`, `*`): it resolves
 * to the highest matching tag, exactly where Argo CD checks for one (semver-revision.ts).
 *
 * The cache (`cacheDir`, default `<cacheRoot()>/git`) holds one bare store per repository endpoint
 * (scheme, host, port, path: cache-key.ts). Fetches and evictions take the store's lock, shared by
 * every process on the machine (repo-lock.ts, directory-lock.ts); after each fetch the least
 * recently used stores are evicted to keep the cache within its budget (cache-eviction.ts).
 *
 * URL identity (`repoKey`, `sameRepoURL`) ignores scheme, user info, port, `.git` and trailing
 * slash; credential matching uses Argo CD's stricter `normalizeGitURL`. Every message carries
 * sanitised URLs only.
 */

export type { CacheBudget, SweepResult } from './cache-eviction.js';
export { cacheDirName, cacheIdentity } from './cache-key.js';
export { authHeaders, findCredential } from './credentials.js';
export {
  acquireDirectoryLock,
  type DirectoryLockOptions,
  type HeldLock,
  tryAcquireDirectoryLock,
} from './directory-lock.js';
export { DirectorySourceTree } from './directory-tree.js';
export { createGitSource, type GitSourceOptions, type GitSourceWithBranches } from './git-source.js';
export { GitSourceTree, type GitSourceTreeOptions } from './git-source-tree.js';
export { type LocalSourceMapping, LocalSources, parseLocalSourceMappings } from './local-sources.js';
export { type AdvertisedRef, matchRevision, type RevisionMatch } from './ref-resolution.js';
export { RemoteRepositories, type RemoteRepositoriesOptions } from './remote-repositories.js';
export {
  isCommitSHA,
  isTruncatedSHA,
  normalizeGitURL,
  repoKey,
  sameGitURL,
  sameRepoURL,
  sanitizeURL,
} from './repo-url.js';
export { compareSemVer, parseSemVer, type SemVer } from './semver.js';
export { parseSemVerConstraint, type SemVerConstraint } from './semver-constraint.js';
export { highestMatchingTag, isSemVerConstraint } from './semver-revision.js';
