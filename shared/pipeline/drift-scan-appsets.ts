/**
 * The worker's half of the drift scan's ApplicationSet tick: the scan queues one
 * `driftless:appsets` refresh without knowing which ApplicationSets exist (it has no git); the
 * worker, which reads the configuration, answers it with one `driftless:appset:<name>` reconcile
 * per ApplicationSet. Each then runs in its own FIFO group, in order with the reconciles that
 * pushes and pull request events queue for it, and the scan window's delivery id carries over so
 * a repeated tick queues each reconcile once.
 */
import { encodePipelineMessage, type RefreshMessage } from '../queue/messages.js';
import { appSetMessageApp } from './appset-routing.js';
import type { PipelineRuntime } from './runtime.js';

/** Answers an ALL_APPSETS_APP refresh: one reconcile per ApplicationSet of the configuration. */
export async function queueAppSetReconciles(
  runtime: PipelineRuntime,
  message: RefreshMessage,
): Promise<number> {
  const appSets = (await runtime.config()).applicationSets ?? [];
  const messages = appSets.map((s) =>
    encodePipelineMessage({
      kind: 'refresh',
      app: appSetMessageApp(s.metadata.name),
      reason: message.reason,
      receivedAt: message.receivedAt,
      ...(message.deliveryId === undefined ? {} : { deliveryId: message.deliveryId }),
    }),
  );
  for (let i = 0; i < messages.length; i += 10) await runtime.deps.intake.send(messages.slice(i, i + 10));
  return messages.length;
}
