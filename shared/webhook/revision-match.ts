/**
 * Does a push to `revision` concern a source tracking `targetRevision`? Argo CD's rules
 * (`sourceRevisionHasChanged` in util/webhook):
 * - `HEAD` or empty tracks the default branch, so only a push that touched the default branch
 *   counts (the payload's `default_branch`; a tag with the same name counts too, as Argo CD does
 *   not tell branches from tags here);
 * - `refs/heads/x` and `refs/tags/x` are compared by their short name;
 * - anything else must equal the pushed branch or tag name exactly. A semver constraint
 *   (`1.*`, `>=1.2.0`) or a commit SHA never matches a push; Argo CD picks those up by polling,
 *   and Driftless by its drift scan.
 */

/** The short name of a ref: the part after `refs/<kind>/`, the whole string otherwise. */
export function shortRefName(ref: string): string {
  const match = /^refs\/[^/]+\/(.+)$/.exec(ref);
  return match?.[1] ?? ref;
}

export interface RevisionPush {
  /** The pushed branch or tag, short name. */
  readonly revision: string;
  /** Whether the push moved the default branch (unknown default branch: assume it did). */
  readonly touchedHead: boolean;
}

export function sourceRevisionHasChanged(targetRevision: string | undefined, push: RevisionPush): boolean {
  const target = targetRevision ?? '';
  const short = shortRefName(target);
  if (short === 'HEAD' || short === '') return push.touchedHead;
  if (target.startsWith('refs/heads/') || target.startsWith('refs/tags/')) return short === push.revision;
  return target === push.revision;
}
