/**
 * The wall clock, with sleeps that shutdown can end: an operation waiting for a rollout or a queue
 * long poll must not hold the process open after Ctrl-C. After stop() every sleep returns at once.
 */
import type { Clock } from '../../shared/ports/clock.js';

export class StoppableClock implements Clock {
  readonly #pending = new Map<NodeJS.Timeout, () => void>();
  #stopped = false;

  now(): Date {
    return new Date();
  }

  sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.#pending.delete(timer);
          resolve();
        },
        Math.max(0, ms),
      );
      this.#pending.set(timer, resolve);
    });
  }

  stop(): void {
    this.#stopped = true;
    for (const [timer, resolve] of this.#pending) {
      clearTimeout(timer);
      resolve();
    }
    this.#pending.clear();
  }
}
