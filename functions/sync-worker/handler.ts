/**
 * The worker: a batch of SQS messages from the intake FIFO queue or the continuation queue, each
 * processed by the pipeline with the invocation's deadline. The answer is a partial batch response:
 * a message whose app is busy is made visible again after a delay, one that failed transiently
 * comes back by SQS's own visibility timeout, and SQS's redrive moves one that keeps failing to
 * the dead-letter queue (the worker stores the reason on the app on the last delivery).
 */
import { DriftlessError } from '../../shared/errors/index.js';
import type { Platform } from '../../shared/pipeline/index.js';
import type { Queue } from '../../shared/ports/queue.js';
import { type BatchItemFailures, toBatchItemFailures } from '../../shared/queue/index.js';
import type { LambdaContext, SqsEvent } from '../lambda-types.js';
import { lazyHandler, observedHandler } from '../middleware.js';
import { createWorkerDeps } from './deps.js';

export interface WorkerHandlerDeps {
  readonly platform: Platform;
  /** The queue a record came from, to delay a busy app's message (ChangeMessageVisibility). */
  readonly queueOf: (eventSourceARN: string | undefined) => Queue;
}

export function makeHandler(deps: WorkerHandlerDeps) {
  const { metrics, logger, clock } = deps.platform.runtime.deps;
  const base = async (event: SqsEvent, context: LambdaContext): Promise<BatchItemFailures> => {
    const deadline = new Date(clock.now().getTime() + context.getRemainingTimeInMillis());
    const sources = new Map(event.Records.map((r) => [r.messageId, r.eventSourceARN]));
    return toBatchItemFailures(
      event.Records,
      async (message) => {
        const outcome = await deps.platform.processMessage(message, { deadline });
        if (outcome.kind === 'retry-later') {
          await deps.queueOf(sources.get(message.id)).nack(message.receiptHandle, {
            delaySeconds: outcome.delaySeconds,
            reason: outcome.reason,
          });
          // Reported as failed so Lambda does not delete it; it comes back after the delay.
          throw new DriftlessError('STATE_CONFLICT', outcome.reason, { retryable: true });
        }
      },
      {
        onFailure: (message, error) =>
          logger.warn('message not done', {
            messageId: message.id,
            attempt: message.attempt,
            error: String(error),
          }),
      },
    );
  };
  return observedHandler(base, { logger, metrics });
}

export const handler = lazyHandler(() => makeHandler(createWorkerDeps()));
