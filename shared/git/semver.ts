/**
 * Semantic versions as Argo CD reads tag names (it uses Masterminds/semver in its default,
 * coercing mode): an optional `v`, one to three numeric parts (missing ones are 0, leading zeros
 * allowed), an optional prerelease and build metadata. `1`, `v1.2` and `1.2.3-rc.1+b5` all
 * parse; `release-1` and `1.2.3.4` do not.
 */

export interface SemVer {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  /** Prerelease identifiers without the leading `-`; '' for a release. */
  readonly prerelease: string;
  readonly metadata: string;
  /** The text it was parsed from, e.g. the tag name. */
  readonly original: string;
}

const VERSION =
  /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** Go's ParseUint bound: larger numbers make the version invalid rather than wrap. */
const MAX_UINT64 = (1n << 64n) - 1n;

/** Parses a version; undefined when the text is not one. */
export function parseSemVer(text: string): SemVer | undefined {
  const m = VERSION.exec(text);
  if (!m) return undefined;
  const parts = [m[1], m[2], m[3]].map((p) => (p === undefined ? 0n : BigInt(p)));
  if (parts.some((p) => p > MAX_UINT64)) return undefined;
  const prerelease = m[4] ?? '';
  // Numeric prerelease identifiers may not carry leading zeros (semver 2.0.0 §9).
  if (prerelease.split('.').some((id) => /^0[0-9]+$/.test(id))) return undefined;
  return {
    major: parts[0]!,
    minor: parts[1]!,
    patch: parts[2]!,
    prerelease,
    metadata: m[5] ?? '',
    original: text,
  };
}

/** Precedence order of semver 2.0.0 (build metadata ignored): negative, zero or positive. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] > b[key] ? 1 : -1;
  }
  if (a.prerelease === b.prerelease) return 0;
  // A release outranks any of its prereleases.
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return comparePrerelease(a.prerelease, b.prerelease);
}

export function comparePrerelease(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const d = compareIdentifier(left[i] ?? '', right[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function compareIdentifier(a: string, b: string): number {
  if (a === b) return 0;
  // The shorter list of identifiers ranks lower.
  if (a === '') return -1;
  if (b === '') return 1;
  const aNumeric = /^[0-9]+$/.test(a);
  const bNumeric = /^[0-9]+$/.test(b);
  if (aNumeric && bNumeric) return BigInt(a) > BigInt(b) ? 1 : -1;
  // Numeric identifiers rank below alphanumeric ones; alphanumerics compare in ASCII order.
  if (aNumeric) return -1;
  if (bNumeric) return 1;
  return a > b ? 1 : -1;
}
