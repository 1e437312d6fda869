/**
 * Revision resolution against a ref advertisement, in Argo CD's order: `HEAD` or empty follows
 * the HEAD symref (the default branch); then a semver constraint (`>=1.2 <2`, `~1.2`, `1.2.x`)
 * picks the highest matching tag (see semver-revision.ts); then the exact ref name (`refs/pull/1/head`), a branch,
 * a tag (annotated tags peeled to their commit), any other ref under `refs/` (`pull/1/head`);
 * a full SHA is taken as is; an abbreviated SHA (7+ hex) expands only if exactly one advertised
 * commit starts with it. Remote and local repositories both produce an advertisement, so both
 * resolve the same way.
 */
import { isCommitSHA, isTruncatedSHA } from './repo-url.js';
import { highestMatchingTag } from './semver-revision.js';

export interface AdvertisedRef {
  readonly ref: string;
  readonly oid: string;
  /** For annotated tags, the commit the tag points to. */
  readonly peeled?: string;
  /** For symrefs (HEAD), the ref it points to. */
  readonly target?: string;
}

export type RevisionMatch =
  | { readonly kind: 'commit'; readonly sha: string; readonly ref?: string }
  | { readonly kind: 'abbreviated'; readonly prefix: string }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly string[] }
  | { readonly kind: 'not-found' };

export function matchRevision(refs: readonly AdvertisedRef[], targetRevision: string): RevisionMatch {
  const revision = targetRevision.trim();
  const byName = new Map(refs.map((r) => [r.ref, r]));
  const commitOf = (r: AdvertisedRef): RevisionMatch => ({
    kind: 'commit',
    sha: r.peeled ?? r.oid,
    ref: r.ref,
  });

  if (revision === '' || revision === 'HEAD') {
    const head = byName.get('HEAD');
    if (!head) return { kind: 'not-found' };
    const target = head.target ? byName.get(head.target) : undefined;
    return target ? commitOf(target) : commitOf(head);
  }
  const tagged = highestMatchingTag(refs, revision);
  if (tagged) return commitOf(tagged);
  for (const name of [revision, `refs/heads/${revision}`, `refs/tags/${revision}`, `refs/${revision}`]) {
    const r = byName.get(name);
    if (r) return commitOf(r);
  }
  if (isCommitSHA(revision)) return { kind: 'commit', sha: revision.toLowerCase() };
  if (isTruncatedSHA(revision)) {
    const prefix = revision.toLowerCase();
    const candidates = [...new Set(refs.map((r) => r.peeled ?? r.oid))].filter((oid) =>
      oid.startsWith(prefix),
    );
    if (candidates.length === 1) return { kind: 'commit', sha: candidates[0]! };
    if (candidates.length > 1) return { kind: 'ambiguous', candidates };
    return { kind: 'abbreviated', prefix };
  }
  return { kind: 'not-found' };
}

/** Branch names (without `refs/heads/`) of an advertisement, sorted. */
export function branchNames(refs: readonly AdvertisedRef[]): readonly string[] {
  return refs
    .filter((r) => r.ref.startsWith('refs/heads/'))
    .map((r) => r.ref.slice('refs/heads/'.length))
    .sort();
}
