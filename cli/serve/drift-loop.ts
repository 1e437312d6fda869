/**
 * The drift scan on a period, as the scheduled drift-scan Lambda runs it: each tick queues one
 * refresh per app and the worker does the comparing. A tick that fails is logged and the next one
 * tries again.
 */
import { messageOf } from '../../shared/errors/index.js';
import type { DriftScanSummary, Platform } from '../../shared/pipeline/index.js';
import type { Logger } from '../../shared/ports/logger.js';

export interface DriftLoopOptions {
  readonly platform: Platform;
  readonly logger: Logger;
  readonly periodSeconds: number;
  readonly onScan?: (summary: DriftScanSummary) => void;
}

export interface DriftLoop {
  stop(): Promise<void>;
}

export function startDriftLoop(options: DriftLoopOptions): DriftLoop {
  let scanning: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    scanning = scanning.then(async () => {
      try {
        // Scanned first: an optional call would skip evaluating its argument when there is no observer.
        const summary = await options.platform.scanDrift();
        options.onScan?.(summary);
      } catch (e) {
        options.logger.error('drift scan failed', { error: messageOf(e) });
      }
    });
  }, options.periodSeconds * 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await scanning;
    },
  };
}
