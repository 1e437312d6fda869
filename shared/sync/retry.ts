/**
 * Retrying a failed operation, as Argo CD does: wait `duration × factor^retryCount`, capped at
 * maxDuration (defaults 5s, ×2, 3m); retry while retryCount < limit (a negative limit retries
 * forever). Automated syncs without `retry` get limit 5; manual syncs use the request's strategy,
 * else the app's, else none.
 */
import type { Application, RetryStrategy } from '../model/argo-types.js';
import { parseRetryDuration } from './go-duration.js';

export const DEFAULT_RETRY_DURATION = '5s';
export const DEFAULT_RETRY_FACTOR = 2;
export const DEFAULT_RETRY_MAX_DURATION = '3m';
export const AUTOMATED_RETRY_LIMIT = 5;

export interface EffectiveRetryOptions {
  readonly app: Application;
  readonly automated: boolean;
  /** The strategy a manual sync request carried, if any. */
  readonly requested?: RetryStrategy;
}

export function effectiveRetryStrategy({ app, automated, requested }: EffectiveRetryOptions): RetryStrategy {
  const own = app.spec.syncPolicy?.retry;
  if (automated) return own ?? { limit: AUTOMATED_RETRY_LIMIT };
  return requested ?? own ?? { limit: 0 };
}

export function retriesLeft(strategy: RetryStrategy, retryCount: number): boolean {
  const limit = strategy.limit ?? 0;
  return limit < 0 || retryCount < limit;
}

/**
 * Milliseconds to wait before retry number `attempt + 1`, where `attempt` is how many retries
 * already ran (0 for the first retry). Throws INVALID_MANIFEST on an unparsable duration.
 */
export function nextRetryDelay(strategy: RetryStrategy, attempt: number): number {
  const backoff = strategy.backoff;
  const duration = parseRetryDuration(backoff?.duration || DEFAULT_RETRY_DURATION, 'retry.backoff.duration');
  const maxDuration = parseRetryDuration(
    backoff?.maxDuration || DEFAULT_RETRY_MAX_DURATION,
    'retry.backoff.maxDuration',
  );
  const factor = backoff?.factor ?? DEFAULT_RETRY_FACTOR;
  const wait = duration * factor ** attempt;
  return maxDuration > 0 ? Math.min(maxDuration, wait) : wait;
}
