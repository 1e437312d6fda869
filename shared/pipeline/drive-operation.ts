/**
 * Running an operation under its lease: syncStep until it is done or the invocation runs short of
 * time. Every step is saved (updateOperation, conditional on the lease), so a worker that dies
 * leaves a consistent record another can resume once the lease expires. A short wait is slept in
 * process; a longer one releases the lease and sends a delayed continue message naming the next
 * step. Done: finishOperation writes the history entry and what the app now owns (inventory).
 */

import type { Application } from '../model/argo-types.js';
import type { KubeObject, ResourceKey } from '../model/kube-object.js';
import { MetricDimension, MetricName } from '../observe/index.js';
import type { KubeClient } from '../ports/kube-client.js';
import { encodePipelineMessage } from '../queue/index.js';
import type { OperationLease } from '../state/index.js';
import { nextInventory, syncStep } from '../sync/index.js';
import { appNameOf } from './app-names.js';
import type { OperationRecord } from './operation-record.js';
import { ignoreFor, settingsIgnoreDifferences } from './refresh.js';
import type { PipelineRuntime } from './runtime.js';

/** Lets a caller watch progress; the worker's own loop never needs it. */
export type ProgressObserver = (event: {
  readonly app: string;
  readonly operationId: string;
  readonly step: number;
  readonly phase: string;
}) => void | Promise<void>;

export interface DriveOptions {
  readonly runtime: PipelineRuntime;
  readonly app: Application;
  readonly lease: OperationLease;
  readonly record: OperationRecord;
  readonly desired: readonly KubeObject[];
  readonly kube: KubeClient;
  readonly deadline: Date;
  readonly isSynced?: (key: ResourceKey) => boolean;
  readonly onProgress?: ProgressObserver;
}

export type DriveOutcome =
  | { readonly kind: 'finished'; readonly record: OperationRecord }
  | { readonly kind: 'waiting'; readonly afterSeconds: number; readonly record: OperationRecord };

/** SQS's largest per-message delay. */
const MAX_DELAY_SECONDS = 900;

export async function driveOperation(options: DriveOptions): Promise<DriveOutcome> {
  const { runtime, app, kube } = options;
  const { deps, settings } = runtime;
  const name = appNameOf(app);
  const ignore = settingsIgnoreDifferences(await ignoreFor(runtime, app));
  let lease = options.lease;
  let record = options.record;
  const stopAt = options.deadline.getTime() - settings.deadlineMarginMs;
  const leaseMs = (): number =>
    Math.max(0, options.deadline.getTime() - deps.clock.now().getTime()) + settings.leaseMarginMs;

  for (;;) {
    const result = await syncStep({
      app,
      operation: record.state,
      desired: options.desired,
      inventory: record.inventory,
      kube,
      clock: deps.clock,
      ignoreDifferences: ignore,
      ...(options.isSynced === undefined ? {} : { isSynced: options.isSynced }),
      options: { deadline: new Date(stopAt), ...settings.step },
    });
    record = { ...record, state: result.operation, phase: result.operation.phase, step: record.step + 1 };

    if (result.outcome.kind === 'done') {
      const finishedAt = result.operation.finishedAt ?? deps.clock.now().toISOString();
      const finished: OperationRecord = {
        ...record,
        phase: result.outcome.phase,
        finishedAt,
        message: result.outcome.message,
        results: result.results,
        inventory: nextInventory({ operation: result.operation, previous: record.inventory }),
      };
      await deps.state.finishOperation({
        lease,
        operation: finished,
        historyLimit: app.spec.revisionHistoryLimit ?? 10,
      });
      recordFinished(runtime, name, finished);
      await options.onProgress?.({
        app: name,
        operationId: record.id,
        step: record.step,
        phase: finished.phase,
      });
      return { kind: 'finished', record: finished };
    }

    const waitMs = result.outcome.afterSeconds * 1000;
    const now = deps.clock.now().getTime();
    if (waitMs <= settings.inlineWaitMs && now + waitMs < stopAt) {
      lease = await deps.state.updateOperation({ lease, operation: record, leaseMs: leaseMs() });
      await options.onProgress?.({
        app: name,
        operationId: record.id,
        step: record.step,
        phase: record.phase,
      });
      await deps.clock.sleep(waitMs);
      continue;
    }
    await deps.state.updateOperation({ lease, operation: record, release: true });
    await options.onProgress?.({ app: name, operationId: record.id, step: record.step, phase: record.phase });
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(result.outcome.afterSeconds)));
    await deps.continuation.send([
      encodePipelineMessage(
        { kind: 'continue', app: name, operationId: record.id, step: record.step },
        { delaySeconds },
      ),
    ]);
    return { kind: 'waiting', afterSeconds: delaySeconds, record };
  }
}

function recordFinished(runtime: PipelineRuntime, app: string, record: OperationRecord): void {
  const { deps } = runtime;
  const end = Date.parse(record.finishedAt ?? '') || deps.clock.now().getTime();
  deps.metrics.timing(MetricName.SyncDuration, Math.max(0, end - Date.parse(record.startedAt)), {
    [MetricDimension.App]: app,
  });
  if (record.phase !== 'Succeeded')
    deps.metrics.count(MetricName.SyncFailures, 1, { [MetricDimension.App]: app });
  if (record.trigger.reason === 'webhook' && record.trigger.receivedAt !== undefined) {
    deps.metrics.timing(
      MetricName.WebhookToSyncLatency,
      Math.max(0, end - Date.parse(record.trigger.receivedAt)),
    );
  }
  deps.logger.info('operation finished', {
    app,
    operation: record.id,
    revision: record.revision,
    phase: record.phase,
    message: record.message,
  });
}
