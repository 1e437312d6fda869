import { describe, expect, it } from 'vitest';
import { ReadAhead } from '../../../shared/render/read-ahead.js';

/** Reads that settle only when the test says so, recording how many were in flight at once. */
function controlledReads(count: number) {
  const settle: Array<(fail: boolean) => void> = [];
  const started: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const read = (i: number) =>
    new Promise<string>((resolve, reject) => {
      started.push(i);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let settled = false;
      settle[i] = (fail) => {
        if (settled) return;
        settled = true;
        inFlight--;
        if (fail) reject(new Error(`read ${i} failed`));
        else resolve(`content ${i}`);
      };
    });
  return { read, settle, started, count, maxInFlight: () => maxInFlight };
}

describe('ReadAhead', () => {
  it('returns results in input order while later reads settle first', async () => {
    const reads = controlledReads(6);
    const ahead = new ReadAhead({ count: 6, window: 3, eligible: () => true, read: reads.read });
    const first = ahead.take(0);
    reads.settle[2]?.(false);
    reads.settle[1]?.(false);
    reads.settle[0]?.(false);
    const results = [await first];
    for (let i = 1; i < 6; i++) {
      const next = ahead.take(i);
      for (const s of reads.settle) s?.(false);
      results.push(await next);
    }
    expect(results).toEqual([0, 1, 2, 3, 4, 5].map((i) => `content ${i}`));
    expect(reads.maxInFlight()).toBeLessThanOrEqual(3);
    expect(reads.started).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reports the first failure in input order, not the first to happen', async () => {
    const reads = controlledReads(3);
    const ahead = new ReadAhead({ count: 3, window: 3, eligible: () => true, read: reads.read });
    const first = ahead.take(0);
    reads.settle[2]?.(true);
    reads.settle[1]?.(true);
    reads.settle[0]?.(false);
    expect(await first).toBe('content 0');
    await expect(ahead.take(1)).rejects.toThrow('read 1 failed');
  });

  it('reads nothing ahead past an ineligible item, but still reads it when asked', async () => {
    const reads = controlledReads(5);
    const ahead = new ReadAhead({ count: 5, window: 4, eligible: (i) => i < 2, read: reads.read });
    const first = ahead.take(0);
    expect(reads.started).toEqual([0, 1]);
    reads.settle[0]?.(false);
    await first;
    const third = ahead.take(2);
    expect(reads.started).toEqual([0, 1, 2]);
    reads.settle[2]?.(false);
    expect(await third).toBe('content 2');
  });
});
