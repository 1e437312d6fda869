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
 * URL identity (`repoKey`, `sameRepoURL`) ignores scheme, user info, port, `.git` and trailing
 * slash; credential matching uses Argo CD's stricter `normalizeGitURL`. Every message carries
 * sanitised URLs only.
 */
export { authHeaders, findCredential } from './credentials.js';
export { DirectorySourceTree } from './directory-tree.js';
export { createGitSource, type GitSourceOptions } from './git-source.js';
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
