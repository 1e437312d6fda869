import { describe, expect, it } from 'vitest';
import { type AdvertisedRef, matchRevision } from '../../../shared/git/index.js';

const A = 'a'.repeat(40);
const B = `abcdef1${'b'.repeat(33)}`;
const C = `abcdef2${'c'.repeat(33)}`;
const T = 'd'.repeat(40);
const refs: readonly AdvertisedRef[] = [
  { ref: 'HEAD', oid: B, target: 'refs/heads/trunk' },
  { ref: 'refs/heads/main', oid: A },
  { ref: 'refs/heads/trunk', oid: B },
  { ref: 'refs/heads/same', oid: A },
  { ref: 'refs/tags/same', oid: C },
  { ref: 'refs/tags/v1', oid: T, peeled: C },
  { ref: 'refs/pull/7/head', oid: C },
];

describe('matchRevision', () => {
  it.each([
    ['', B],
    ['HEAD', B],
    ['main', A],
    ['refs/heads/main', A],
    ['same', A],
    ['refs/tags/same', C],
    ['v1', C],
    ['pull/7/head', C],
    ['refs/pull/7/head', C],
    ['aaaaaaa', A],
    ['abcdef1', B],
  ])('%j → commit', (revision, sha) => {
    const match = matchRevision(refs, revision);
    expect(match.kind === 'commit' && match.sha).toBe(sha);
  });

  it('takes a full SHA as is, even when nothing advertises it', () => {
    expect(matchRevision(refs, 'E'.repeat(40))).toEqual({ kind: 'commit', sha: 'e'.repeat(40) });
  });

  it('reports an abbreviated SHA that matches no tip, and an ambiguous one', () => {
    expect(matchRevision(refs, '1234567')).toEqual({ kind: 'abbreviated', prefix: '1234567' });
    expect(matchRevision(refs, 'abcdef')).toEqual({ kind: 'not-found' });
    expect(
      matchRevision([...refs, { ref: 'refs/heads/x', oid: `abcdef1${'f'.repeat(33)}` }], 'abcdef1'),
    ).toEqual({
      kind: 'ambiguous',
      candidates: [B, `abcdef1${'f'.repeat(33)}`],
    });
  });

  it('does not find an unknown name', () => {
    expect(matchRevision(refs, 'nope')).toEqual({ kind: 'not-found' });
    expect(matchRevision([], 'HEAD')).toEqual({ kind: 'not-found' });
  });
});
