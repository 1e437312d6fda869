/**
 * The one test Clock. Time moves only when a test advances it (or, in `skip` mode, when code sleeps),
 * so leases, backoff, token renewal and queue visibility are tested without waiting.
 *
 * Three ways to sleep, because callers need different things:
 * - `skip` (default): sleeping moves time on at once, so retry backoff never waits.
 * - `until-advanced`: sleepers wake when `advance()` passes their time, so a test decides exactly
 *   when a delayed step runs.
 * - `real`: sleeps for real; with `start: 'wall'` this keeps step with real timers elsewhere (the
 *   kube emulator's controllers) while `advance()` still skips long waits.
 */
import type { Clock } from '../../shared/ports/clock.js';

export interface FakeClockOptions {
  /** ISO instant time starts at, or `wall` to follow the real clock. Default 2026-11-26T09:00:00Z. */
  readonly start?: string;
  readonly sleep?: 'skip' | 'until-advanced' | 'real';
}

interface Sleeper {
  readonly at: number;
  readonly wake: () => void;
}

export class FakeClock implements Clock {
  readonly #startMs: number | 'wall';
  readonly #sleep: NonNullable<FakeClockOptions['sleep']>;
  #advancedMs = 0;
  #sleepers: Sleeper[] = [];

  constructor(options: FakeClockOptions = {}) {
    const start = options.start ?? '2026-11-26T09:00:00Z';
    this.#startMs = start === 'wall' ? 'wall' : Date.parse(start);
    if (Number.isNaN(this.#startMs)) throw new Error(`FakeClock start is not an ISO instant: ${start}`);
    this.#sleep = options.sleep ?? 'skip';
  }

  now(): Date {
    return new Date(this.#nowMs());
  }

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    switch (this.#sleep) {
      case 'skip':
        this.#advancedMs += ms;
        return Promise.resolve();
      case 'real':
        return new Promise((resolve) => setTimeout(resolve, ms));
      case 'until-advanced':
        return new Promise((wake) => {
          this.#sleepers.push({ at: this.#nowMs() + ms, wake });
        });
    }
  }

  /**
   * Moves time on and wakes sleepers that are due. Time has moved before this returns its promise;
   * awaiting it also lets the woken code run.
   */
  async advance(ms: number): Promise<void> {
    this.#advancedMs += ms;
    const now = this.#nowMs();
    const due = this.#sleepers.filter((s) => s.at <= now);
    this.#sleepers = this.#sleepers.filter((s) => s.at > now);
    for (const sleeper of due) sleeper.wake();
    await settle();
  }

  #nowMs(): number {
    return (this.#startMs === 'wall' ? Date.now() : this.#startMs) + this.#advancedMs;
  }
}

/** Lets every pending promise callback run: all microtasks drain before the next macrotask. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
