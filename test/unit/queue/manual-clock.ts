import type { Clock } from '../../../shared/ports/clock.js';

/** Time moves only when a test advances it; sleepers wake when their time has come. */
export class ManualClock implements Clock {
  #ms: number;
  #sleepers: { readonly at: number; readonly wake: () => void }[] = [];

  constructor(start = '2026-11-26T09:00:00Z') {
    this.#ms = Date.parse(start);
  }

  now(): Date {
    return new Date(this.#ms);
  }

  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((wake) => {
      this.#sleepers.push({ at: this.#ms + ms, wake });
    });
  }

  /** Moves time on, wakes due sleepers and lets the woken code run before returning. */
  async advance(ms: number): Promise<void> {
    this.#ms += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#ms);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#ms);
    for (const sleeper of due) sleeper.wake();
    await settle();
  }
}

/** Lets every pending promise callback run: all microtasks drain before the next macrotask. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
