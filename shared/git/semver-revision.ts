/**
 * Argo CD's semver revisions: a targetRevision that is a constraint (and not itself a version:
 * `v1.2.0` or `1.2` stay pinned tag names) resolves to the tag with the highest version that
 * satisfies it, `v` prefix or not. Tags that are no version are skipped. When no tag matches,
 * resolution falls through to ordinary ref names, so a branch literally named `1.x` still works.
 * As in Argo CD, a match must rank above 0.0.0, and of two tags with equal versions the first
 * advertised (by ref name) wins.
 */
import type { AdvertisedRef } from './ref-resolution.js';
import { compareSemVer, parseSemVer, type SemVer } from './semver.js';
import { parseSemVerConstraint } from './semver-constraint.js';

const TAG_PREFIX = 'refs/tags/';
const ZERO: SemVer = { major: 0n, minor: 0n, patch: 0n, prerelease: '', metadata: '', original: '0.0.0' };

/** True when Argo CD would treat the revision as a semver constraint rather than a ref name. */
export function isSemVerConstraint(revision: string): boolean {
  return parseSemVer(revision) === undefined && parseSemVerConstraint(revision) !== undefined;
}

/** The tag ref a constraint resolves to, or undefined (not a constraint, or no tag matches). */
export function highestMatchingTag(
  refs: readonly AdvertisedRef[],
  revision: string,
): AdvertisedRef | undefined {
  if (parseSemVer(revision) !== undefined) return undefined;
  const constraint = parseSemVerConstraint(revision);
  if (!constraint) return undefined;
  let best: { readonly ref: AdvertisedRef; readonly version: SemVer } | undefined;
  const tags = refs
    .filter((r) => r.ref.startsWith(TAG_PREFIX))
    .sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  for (const ref of tags) {
    const version = parseSemVer(ref.ref.slice(TAG_PREFIX.length));
    if (!version || !constraint.satisfiedBy(version)) continue;
    if (compareSemVer(version, best?.version ?? ZERO) > 0) best = { ref, version };
  }
  return best?.ref;
}
