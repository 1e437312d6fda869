/**
 * The in-process worker: a few consumers long-polling each queue, each message processed by the
 * same Platform.processMessage the Lambda worker calls and settled as SQS would be (ack, nack with
 * a delay, nack with the reason so redrive reaches the dead-letter queue). Several consumers let one
 * app's rollout wait without holding up the others; the FIFO groups keep each app's messages in order.
 */
import { messageOf } from '../../shared/errors/index.js';
import { type MessageOutcome, type Platform, settle } from '../../shared/pipeline/index.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Queue, ReceivedMessage } from '../../shared/ports/queue.js';

export type HandledOutcome = MessageOutcome | { readonly kind: 'failed'; readonly reason: string };

export interface HandledMessage {
  readonly queue: string;
  readonly message: ReceivedMessage;
  readonly outcome: HandledOutcome;
  readonly durationMs: number;
}

export interface WorkerLoopOptions {
  readonly platform: Platform;
  readonly queues: readonly { readonly queue: Queue; readonly consumers: number }[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long one message may run, as a Lambda invocation's timeout bounds it. */
  readonly invocationMs: number;
  readonly onHandled?: (handled: HandledMessage) => void | Promise<void>;
}

export interface WorkerLoop {
  /** Messages being processed right now. */
  busy(): number;
  /** Stops polling; resolves when the messages in hand are settled. */
  stop(): Promise<void>;
}

const LONG_POLL_SECONDS = 20;

export function startWorkerLoop(options: WorkerLoopOptions): WorkerLoop {
  const abort = new AbortController();
  let busy = 0;

  async function consume(queue: Queue): Promise<void> {
    while (!abort.signal.aborted) {
      let messages: readonly ReceivedMessage[];
      try {
        messages = await queue.receive({ max: 1, waitSeconds: LONG_POLL_SECONDS, signal: abort.signal });
      } catch (e) {
        options.logger.error('receiving from a queue failed', { queue: queue.name, error: messageOf(e) });
        await options.clock.sleep(1000);
        continue;
      }
      for (const message of messages) {
        busy++;
        try {
          const started = options.clock.now().getTime();
          const outcome = await settle(queue, message, (m) =>
            options.platform.processMessage(m, {
              deadline: new Date(options.clock.now().getTime() + options.invocationMs),
            }),
          );
          await options.onHandled?.({
            queue: queue.name,
            message,
            outcome,
            durationMs: options.clock.now().getTime() - started,
          });
        } catch (e) {
          options.logger.error('settling a message failed', { queue: queue.name, error: messageOf(e) });
        } finally {
          busy--;
        }
      }
    }
  }

  const running = options.queues.flatMap(({ queue, consumers }) =>
    Array.from({ length: consumers }, () => consume(queue)),
  );
  return {
    busy: () => busy,
    stop: async () => {
      abort.abort();
      await Promise.all(running);
    },
  };
}
