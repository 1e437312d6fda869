import { describe, expect, it } from 'vitest';
import { diffLines, unifiedHunks } from '../../../shared/diff/index.js';

/** Length of a longest common subsequence, by dynamic programming: the reference for minimality. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** A deterministic pseudo-random generator, so the property test is reproducible. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('diffLines', () => {
  it('produces a minimal edit script that turns a into b (checked against LCS on 300 random cases)', () => {
    const random = lcg(7);
    for (let n = 0; n < 300; n++) {
      const a = Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)]!);
      const b = Array.from({ length: Math.floor(random() * 12) }, () => 'abcd'[Math.floor(random() * 4)]!);
      const edits = diffLines(a, b);
      const rebuiltA = edits.filter((e) => e.op !== 'insert').map((e) => a[(e as { a: number }).a]);
      const rebuiltB = edits.map((e) =>
        e.op === 'delete' ? undefined : e.op === 'insert' ? b[e.b] : a[e.a],
      );
      expect(rebuiltA).toEqual(a);
      expect(rebuiltB.filter((x) => x !== undefined)).toEqual(b);
      for (const e of edits) if (e.op === 'equal') expect(a[e.a]).toBe(b[e.b]);
      expect(edits.filter((e) => e.op === 'equal').length).toBe(lcsLength(a, b));
    }
  });
});

describe('unifiedHunks', () => {
  const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);

  it('writes hunk headers and context like diff -u', () => {
    const b = [...a];
    b[4] = 'changed 5';
    b.splice(15, 1);
    expect(unifiedHunks(a, b, 2)).toEqual([
      '@@ -3,5 +3,5 @@',
      ' line 3',
      ' line 4',
      '-line 5',
      '+changed 5',
      ' line 6',
      ' line 7',
      '@@ -14,5 +14,4 @@',
      ' line 14',
      ' line 15',
      '-line 16',
      ' line 17',
      ' line 18',
    ]);
  });

  it('merges changes whose context overlaps and handles empty sides', () => {
    const b = [...a];
    b[4] = 'x';
    b[8] = 'y';
    expect(unifiedHunks(a, b, 2)[0]).toBe('@@ -3,9 +3,9 @@');
    expect(unifiedHunks([], ['a', 'b'], 3)).toEqual(['@@ -0,0 +1,2 @@', '+a', '+b']);
    expect(unifiedHunks(['a'], [], 3)).toEqual(['@@ -1 +0,0 @@', '-a']);
    expect(unifiedHunks(a, a, 3)).toEqual([]);
  });
});
