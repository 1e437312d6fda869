/**
 * Which secret authenticates a repository, chosen exactly as Argo CD chooses: a `repository`
 * secret whose URL is the same repository wins; otherwise the `repo-creds` template with the
 * longest URL prefix. The chosen credential becomes an Authorization header that is sent up
 * front, saving the 401 round trip per request that challenge-driven auth would cost.
 */
import type { RepositoryCredential } from '../model/argo-types.js';
import { normalizeGitURL, sameGitURL } from './repo-url.js';

export function findCredential(
  credentials: readonly RepositoryCredential[],
  repoURL: string,
): RepositoryCredential | undefined {
  const exact = credentials.find((c) => c.type === 'repository' && sameGitURL(c.url, repoURL));
  if (exact) return exact;
  const target = normalizeGitURL(repoURL);
  let best: RepositoryCredential | undefined;
  let bestLength = 0;
  for (const c of credentials) {
    if (c.type !== 'repo-creds') continue;
    const prefix = normalizeGitURL(c.url);
    if (prefix !== '' && target.startsWith(prefix) && prefix.length > bestLength) {
      best = c;
      bestLength = prefix.length;
    }
  }
  return best;
}

/** HTTP headers carrying the credential; empty when it has neither a token nor a password. */
export function authHeaders(credential: RepositoryCredential | undefined): Record<string, string> {
  if (!credential) return {};
  if (credential.bearerToken) return { Authorization: `Bearer ${credential.bearerToken}` };
  if (credential.username !== undefined || credential.password !== undefined) {
    const pair = `${credential.username ?? ''}:${credential.password ?? ''}`;
    return { Authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` };
  }
  return {};
}
