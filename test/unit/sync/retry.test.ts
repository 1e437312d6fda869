import { describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { parseGoDuration, parseRetryDuration } from '../../../shared/sync/go-duration.js';
import { effectiveRetryStrategy, nextRetryDelay, retriesLeft } from '../../../shared/sync/retry.js';
import { app } from './fixtures.js';

describe('Go durations', () => {
  it.each([
    ['5s', 5000],
    ['3m', 180_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['300ms', 300],
    ['-2m', -120_000],
    ['.5s', 500],
    ['1m0.5s', 60_500],
    ['10us', 0.01],
    ['0', 0],
  ])('parses %s', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '5', 's', '1d', '5 s', '1.h.', '-'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it('reads a bare integer as seconds and names the field on error', () => {
    expect(parseRetryDuration('30', 'retry.backoff.duration')).toBe(30_000);
    try {
      parseRetryDuration('soon', 'retry.backoff.duration');
      expect.unreachable();
    } catch (e) {
      expect(isDriftlessError(e, 'INVALID_MANIFEST')).toBe(true);
      expect((e as Error).message).toBe('retry.backoff.duration: unable to parse "soon" as a duration');
    }
  });
});

describe('retry', () => {
  it('defaults automated syncs to 5 retries at 5s x2 capped at 3m', () => {
    const strategy = effectiveRetryStrategy({ app: app(), automated: true });
    expect(strategy).toEqual({ limit: 5 });
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => nextRetryDelay(strategy, n))).toEqual([
      5000, 10_000, 20_000, 40_000, 80_000, 160_000, 180_000,
    ]);
    expect([0, 4, 5].map((n) => retriesLeft(strategy, n))).toEqual([true, true, false]);
  });

  it('uses the app strategy, or the request for manual syncs', () => {
    const retry = { limit: 2, backoff: { duration: '1m', factor: 3, maxDuration: '5m' } };
    const withRetry = app({ syncPolicy: { retry } });
    expect(effectiveRetryStrategy({ app: withRetry, automated: true })).toBe(retry);
    expect(effectiveRetryStrategy({ app: app(), automated: false })).toEqual({ limit: 0 });
    expect(effectiveRetryStrategy({ app: withRetry, automated: false, requested: { limit: 1 } })).toEqual({
      limit: 1,
    });
    expect([0, 1, 2].map((n) => nextRetryDelay(retry, n))).toEqual([60_000, 180_000, 300_000]);
  });

  it('retries forever with a negative limit and never without a limit', () => {
    expect(retriesLeft({ limit: -1 }, 1000)).toBe(true);
    expect(retriesLeft({}, 0)).toBe(false);
  });
});
