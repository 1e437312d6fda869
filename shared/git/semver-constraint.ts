/**
 * Semver range constraints with the grammar and meaning Argo CD accepts for targetRevision
 * (Masterminds/semver v3):
 *
 * - `||` separates alternatives; within one, constraints are joined by spaces or commas (AND).
 * - Operators: `=` (or none), `!=`, `>`, `<`, `>=` (`=>`), `<=` (`=<`), `~` (`~>`), `^`.
 * - Wildcards `x`, `X`, `*` and missing parts: `1.2.x` and `1.2` mean `>=1.2.0 <1.3.0` when
 *   used bare, `<=2.x` means `<3`, `*` means any release.
 * - Hyphen ranges `1.2 - 1.4.5` mean `>=1.2 <=1.4.5` (the spaces around `-` are required).
 * - A prerelease version satisfies an alternative only if one of that alternative's
 *   constraints names a prerelease itself (`>=1.2.0-0`).
 */
import { comparePrerelease, compareSemVer, parseSemVer, type SemVer } from './semver.js';

type Operator = '' | '=' | '!=' | '>' | '<' | '>=' | '=>' | '<=' | '=<' | '~' | '~>' | '^';

interface Comparator {
  readonly operator: Operator;
  readonly version: SemVer;
  /** Some part was a wildcard or missing (`1.x`, `1.2`, `*`). */
  readonly dirty: boolean;
  /** The minor part was a wildcard or missing (`1`, `1.x`). */
  readonly minorDirty: boolean;
  /** The patch part was a wildcard or missing (`1.2`, `1.2.x`). */
  readonly patchDirty: boolean;
}

interface Alternative {
  readonly comparators: readonly Comparator[];
  readonly allowsPrerelease: boolean;
}

export interface SemVerConstraint {
  readonly text: string;
  satisfiedBy(version: SemVer): boolean;
}

// Operators longest-alternative-last mirrors the reference grammar; regex backtracking picks
// the alternative that lets a version follow.
const OPERATOR = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const PART = '[0-9xX*]+';
const CONSTRAINT_VERSION = `v?(${PART})(\\.${PART})?(\\.${PART})?(-[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?`;
const ONE = new RegExp(`^\\s*(${OPERATOR})\\s*(${CONSTRAINT_VERSION})\\s*$`);
const FIND = new RegExp(`(${OPERATOR})\\s*(${CONSTRAINT_VERSION})`, 'g');
const VALID = new RegExp(
  `^\\s*(?:${OPERATOR})\\s*(?:${CONSTRAINT_VERSION})\\s*(?:(?:\\s+|,\\s*)(?:${OPERATOR})\\s*(?:${CONSTRAINT_VERSION})\\s*)*$`,
);
const HYPHEN_RANGE = new RegExp(`\\s*(${CONSTRAINT_VERSION})\\s+-\\s+(${CONSTRAINT_VERSION})\\s*`, 'g');

/** Parses a constraint; undefined when the text is not one. */
export function parseSemVerConstraint(text: string): SemVerConstraint | undefined {
  const rewritten = text.replace(HYPHEN_RANGE, (_match, low: string, ...rest: unknown[]) => {
    // The second capture of the range follows the first version's own groups.
    const high = rest[4] as string;
    return `>= ${low}, <= ${high} `;
  });
  const alternatives: Alternative[] = [];
  for (const segment of rewritten.split('||')) {
    if (!VALID.test(segment)) return undefined;
    const comparators: Comparator[] = [];
    for (const found of segment.matchAll(FIND)) {
      const comparator = parseComparator(found[0]);
      if (!comparator) return undefined;
      comparators.push(comparator);
    }
    if (comparators.length === 0) return undefined;
    alternatives.push({
      comparators,
      allowsPrerelease: comparators.some((c) => c.version.prerelease !== ''),
    });
  }
  return {
    text,
    satisfiedBy(version: SemVer): boolean {
      return alternatives.some(
        (alt) =>
          (version.prerelease === '' || alt.allowsPrerelease) &&
          alt.comparators.every((c) => satisfies(version, c)),
      );
    },
  };
}

const isWildcard = (part: string | undefined): boolean => part === 'x' || part === 'X' || part === '*';

function parseComparator(text: string): Comparator | undefined {
  const m = ONE.exec(text);
  if (!m) return undefined;
  const operator = m[1] as Operator;
  const whole = m[2]!;
  const major = m[3]!;
  const minor = m[4]?.slice(1);
  const patch = m[5]?.slice(1);
  const prerelease = m[6] ?? '';
  let source = whole;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isWildcard(major)) {
    source = `0.0.0${prerelease}`;
    dirty = true;
  } else if (minor === undefined || isWildcard(minor)) {
    source = `${major}.0.0${prerelease}`;
    dirty = true;
    minorDirty = true;
  } else if (patch === undefined || isWildcard(patch)) {
    source = `${major}.${minor}.0${prerelease}`;
    dirty = true;
    patchDirty = true;
  }
  const version = parseSemVer(source);
  return version ? { operator, version, dirty, minorDirty, patchDirty } : undefined;
}

function satisfies(v: SemVer, c: Comparator): boolean {
  const con = c.version;
  const cmp = compareSemVer(v, con);
  switch (c.operator) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : cmp === 0;
    case '!=':
      return notEqual(v, c);
    case '>':
      if (!c.dirty) return cmp > 0;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c);
  }
}

/** Same major (and minor, unless it was a wildcard), at or above the version. */
function tilde(v: SemVer, c: Comparator): boolean {
  const con = c.version;
  if (compareSemVer(v, con) < 0) return false;
  if (con.major === 0n && con.minor === 0n && con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== con.major) return false;
  return v.minor === con.minor || c.minorDirty;
}

/** Compatible changes: same major, or for 0.x the same minor, or for 0.0.x the same patch. */
function caret(v: SemVer, c: Comparator): boolean {
  const con = c.version;
  if (compareSemVer(v, con) < 0) return false;
  if (con.major > 0n || c.minorDirty) return v.major === con.major;
  if (v.major > 0n) return false;
  if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
  if (v.minor > 0n) return false;
  return v.patch === con.patch;
}

function notEqual(v: SemVer, c: Comparator): boolean {
  const con = c.version;
  if (c.dirty) {
    if (con.major !== v.major) return true;
    if (con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.prerelease !== '' || con.prerelease !== '') {
        return comparePrerelease(v.prerelease, con.prerelease) !== 0;
      }
      return false;
    }
  }
  return compareSemVer(v, con) !== 0;
}
