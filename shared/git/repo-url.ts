/**
 * Repository URL identity. Two notions, because Argo CD itself has two:
 * - `normalizeGitURL` / `sameGitURL` follow Argo CD's `NormalizeGitURL` / `SameURL`
 *   (lower case, trimmed, `.git` suffix dropped, scp-style `git@host:org/repo` written as
 *   `git@host/org/repo`; scheme, user and port are kept). Credentials are matched with these,
 *   exactly as Argo CD matches repository and repo-creds secrets, so a secret configured for
 *   `https://` is never sent to `http://`.
 * - `repoKey` / `sameRepoURL` are the looser identity Argo CD's webhook handler uses to match an
 *   Application to a push (scheme, user info and port ignored, `.git` and trailing slash
 *   optional, scp-style equal to https). Local-source mappings use it; the fetch cache
 *   adds scheme and port back (cache-key.ts), since two endpoints are two object stores.
 */

const SSH_URL = /^(ssh:\/\/)?([^/:]*?)@[^@]+$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//;
const SCP_STYLE = /^(?:[^@/]+@)?([^/:]+):(?!\/\/)(.*)$/;

/** Argo CD's NormalizeGitURL: the form used for credential matching. */
export function normalizeGitURL(url: string): string {
  let repo = url.trim().toLowerCase();
  if (SSH_URL.test(repo) && !repo.startsWith('ssh://')) {
    // scp-style: the first colon separates host and path, it is not a port.
    repo = `ssh://${repo.replace(':', '/')}`;
  }
  if (repo.endsWith('.git')) repo = repo.slice(0, -'.git'.length);
  return repo.startsWith('ssh://') ? repo.slice('ssh://'.length) : repo;
}

/** Argo CD's SameURL: equal after normalizeGitURL, and neither empty. */
export function sameGitURL(left: string, right: string): boolean {
  const l = normalizeGitURL(left);
  const r = normalizeGitURL(right);
  return l !== '' && r !== '' && l === r;
}

/** Host and path only (`github.com/org/repo`): the identity of a repository, however it is spelled. */
export function repoKey(url: string): string {
  let s = url.trim().toLowerCase();
  if (SCHEME.test(s)) {
    s = s.replace(SCHEME, '');
  } else {
    const scp = SCP_STYLE.exec(s);
    if (scp) s = `${scp[1]}/${scp[2]}`;
  }
  const slash = s.indexOf('/');
  let authority = slash < 0 ? s : s.slice(0, slash);
  let path = slash < 0 ? '' : s.slice(slash + 1);
  authority = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
  path = path.replace(/\/+$/, '');
  if (path.endsWith('.git')) path = path.slice(0, -'.git'.length);
  path = path.replace(/\/+$/, '');
  return path === '' ? authority : `${authority}/${path}`;
}

/** Whether two URLs name the same repository (scheme, user info, port, `.git`, trailing slash ignored). */
export function sameRepoURL(left: string, right: string): boolean {
  const l = repoKey(left);
  return l !== '' && l === repoKey(right);
}

/** The URL without user info, for messages and logs. */
export function sanitizeURL(url: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*:\/\/)([^/]*@)/i.exec(url);
  if (scheme) return url.replace(scheme[0], scheme[1]!);
  return url;
}

const COMMIT_SHA = /^[0-9a-f]{40}$/i;
const TRUNCATED_SHA = /^[0-9a-f]{7,}$/i;

/** A full 40-hex commit SHA. */
export function isCommitSHA(revision: string): boolean {
  return COMMIT_SHA.test(revision);
}

/** What Argo CD accepts as an abbreviated SHA: 7 or more hex digits. */
export function isTruncatedSHA(revision: string): boolean {
  return TRUNCATED_SHA.test(revision) && revision.length < 40;
}
