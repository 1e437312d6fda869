/**
 * Consuming a Queue in process (`driftless serve`, tests, benchmarks): receive, process, then ack
 * on done, nack with a delay when the app is busy, nack with the reason on a failure (so the
 * queue's redrive moves a message that keeps failing to its dead-letter queue). The Lambda worker
 * does the same through SQS's partial batch response instead.
 */
import { messageOf } from '../errors/index.js';
import type { Queue, ReceivedMessage } from '../ports/queue.js';
import type { MessageOutcome } from './worker.js';

export interface DrainOptions {
  readonly queue: Queue;
  readonly process: (message: ReceivedMessage) => Promise<MessageOutcome>;
  readonly max?: number;
  readonly waitSeconds?: number;
  readonly signal?: AbortSignal;
}

/** One receive and the processing of what it returned; resolves to the number of messages handled. */
export async function consumeOnce(options: DrainOptions): Promise<number> {
  const messages = await options.queue.receive({
    max: options.max ?? 10,
    waitSeconds: options.waitSeconds ?? 0,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  await Promise.all(messages.map((message) => settle(options.queue, message, options.process)));
  return messages.length;
}

export async function settle(
  queue: Queue,
  message: ReceivedMessage,
  process: (message: ReceivedMessage) => Promise<MessageOutcome>,
): Promise<MessageOutcome | { readonly kind: 'failed'; readonly reason: string }> {
  try {
    const outcome = await process(message);
    if (outcome.kind === 'done') await queue.ack(message.receiptHandle);
    else
      await queue.nack(message.receiptHandle, { delaySeconds: outcome.delaySeconds, reason: outcome.reason });
    return outcome;
  } catch (e) {
    await queue.nack(message.receiptHandle, { reason: messageOf(e) });
    return { kind: 'failed', reason: messageOf(e) };
  }
}
