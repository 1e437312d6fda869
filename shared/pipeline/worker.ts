/**
 * The worker: one queue message in, one outcome out. Order for a refresh: a running operation of
 * the app is resumed first (or, held by another worker, the message comes back later); then render
 * → compare → store resources and status; then, for an automated app that is OutOfSync, a new
 * operation under a lease, driven until done or until it must wait. A sync message does the same
 * with the requested revision and options; a continue message resumes the operation it names.
 *
 * Errors: terminal ones (bad manifest, policy, a malformed message) are recorded on the app and the
 * message is done; transient ones are thrown so the queue delivers the message again, and on the
 * last delivery before the dead-letter queue the reason is stored on the app.
 */
import { syncedKeys } from '../compare/index.js';
import { isDriftlessError, messageOf } from '../errors/index.js';
import type { Application } from '../model/argo-types.js';
import type { ReceivedMessage } from '../ports/queue.js';
import {
  type ContinueMessage,
  encodePipelineMessage,
  type PipelineMessage,
  parsePipelineMessage,
  type RefreshMessage,
  type SyncMessage,
} from '../queue/index.js';
import type { AppRef, OperationLease, StoredApplication, StoredOperation } from '../state/index.js';
import { beginOperation } from '../sync/index.js';
import { afterSync } from './after-sync.js';
import { CONFIG_APP, refOfName } from './app-names.js';
import { changeStatus, withCondition } from './app-status.js';
import { appSetOfMessageApp } from './appset-routing.js';
import { type AppSetOutcome, reconcileApplicationSets } from './appset-sync.js';
import { decideAutoSync } from './auto-sync.js';
import { reloadConfig } from './config-reload.js';
import { ALL_APPSETS_APP } from './drift-scan.js';
import { queueAppSetReconciles } from './drift-scan-appsets.js';
import { type DriveOutcome, driveOperation, type ProgressObserver } from './drive-operation.js';
import type { OperationRecord, OperationTrigger } from './operation-record.js';
import { compareAndRecord, recordComparisonError, renderDesired } from './refresh.js';
import type { PipelineRuntime } from './runtime.js';

export interface ProcessOptions {
  /** When the invocation must have returned (Lambda: now + remaining time). */
  readonly deadline: Date;
  readonly onProgress?: ProgressObserver;
}

export type MessageOutcome =
  | { readonly kind: 'done'; readonly note: string }
  /** Not an error: the app is busy; deliver the message again after the delay. */
  | { readonly kind: 'retry-later'; readonly delaySeconds: number; readonly reason: string };

export async function processMessage(
  runtime: PipelineRuntime,
  message: ReceivedMessage,
  options: ProcessOptions,
): Promise<MessageOutcome> {
  const { deps, settings } = runtime;
  let parsed: PipelineMessage;
  try {
    parsed = parsePipelineMessage(message.body, message.id);
  } catch (e) {
    deps.logger.error('dropping malformed message', { messageId: message.id, error: messageOf(e) });
    return { kind: 'done', note: messageOf(e) };
  }
  if (parsed.kind === 'refresh' && parsed.app === CONFIG_APP) {
    const summary = await reloadConfig(runtime);
    return {
      kind: 'done',
      note: `configuration reloaded: ${summary.created.length} created, ${summary.updated.length} updated, ${summary.deleted.length} deleted`,
    };
  }
  if (parsed.kind === 'refresh' && parsed.app === ALL_APPSETS_APP) {
    const count = await queueAppSetReconciles(runtime, parsed);
    return { kind: 'done', note: `${count} applicationset reconciles queued` };
  }
  const appSet = appSetOfMessageApp(parsed.app);
  if (appSet !== undefined) {
    const reason = parsed.kind === 'refresh' ? parsed.reason : 'manual';
    const [outcome] = await reconcileApplicationSets(runtime, { names: [appSet], reason });
    return { kind: 'done', note: `applicationset ${appSet}: ${describe(outcome)}` };
  }
  const ref = refOfName(parsed.app);
  const work = new MessageWork(runtime, ref, options);
  try {
    switch (parsed.kind) {
      case 'refresh':
        return await work.refresh(parsed);
      case 'sync':
        return await work.sync(parsed);
      case 'continue':
        return await work.resumeFor(parsed);
    }
  } catch (e) {
    if (isDriftlessError(e, 'STATE_CONFLICT')) {
      return { kind: 'retry-later', delaySeconds: settings.busyRetrySeconds, reason: messageOf(e) };
    }
    if (isDriftlessError(e) && !e.retryable) {
      await work.terminal(messageOf(e));
      return { kind: 'done', note: messageOf(e) };
    }
    if (message.attempt >= settings.maxReceiveCount) {
      const reason = `${parsed.kind} message failed ${message.attempt} times, moved to the dead-letter queue: ${messageOf(e)}`;
      await changeStatus(deps.state, ref, (status) => ({ ...status, lastError: reason })).catch(() => {});
    }
    throw e;
  }
}

function describe(outcome: AppSetOutcome | undefined): string {
  switch (outcome?.kind) {
    case 'reconciled':
      return `${outcome.created.length} created, ${outcome.updated.length} updated, ${outcome.deleted.length} deleted`;
    case 'error':
      return `generation failed, nothing changed: ${outcome.message}`;
    default:
      return 'not in the configuration';
  }
}

const RUNNING = 'Running';

class MessageWork {
  /** The lease while this message holds the app's operation, to finish it on a terminal error. */
  #held: { lease: OperationLease; record: OperationRecord } | undefined;

  constructor(
    private readonly runtime: PipelineRuntime,
    private readonly ref: AppRef,
    private readonly options: ProcessOptions,
  ) {}

  private get deps() {
    return this.runtime.deps;
  }

  async refresh(message: RefreshMessage): Promise<MessageOutcome> {
    const stored = await this.deps.state.getApplication(this.ref);
    if (stored === undefined) return { kind: 'done', note: `no application ${message.app}` };
    const running = await this.settleRunning(stored);
    if (running !== undefined) return running;

    const app = stored.application;
    const rendered = await renderDesired({ runtime: this.runtime, app });
    const kube = await this.runtime.kubeFor(app);
    const last = (await this.deps.state.getOperation<OperationRecord>(this.ref))?.operation;
    const comparison = await compareAndRecord({
      runtime: this.runtime,
      ref: this.ref,
      app,
      rendered,
      kube,
      inventory: last?.inventory ?? [],
    });
    const revision = rendered.revisions[0] ?? '';
    const decision = decideAutoSync({
      app,
      comparison,
      revision,
      ...(last === undefined ? {} : { last }),
      now: this.deps.clock.now(),
      backoff: this.runtime.settings.selfHealBackoff,
    });
    if (decision.kind === 'skip') {
      // Health can turn Healthy after the sync's own refresh (a rollout finishing): promotion looks again.
      await afterSync({
        runtime: this.runtime,
        ref: this.ref,
        app,
        comparison,
        justFinished: false,
        followsUp: message.reason === 'follow-up' && last !== undefined && message.operationId === last.id,
        ...(last === undefined ? {} : { last }),
      });
      return { kind: 'done', note: `${comparison.syncStatus}: ${decision.reason}` };
    }
    if (decision.kind === 'later') {
      // The intake queue is FIFO and takes no per-message delay; a refresh is idempotent, so the
      // delayed copy travels on the continuation queue.
      await this.deps.continuation.send([
        encodePipelineMessage(
          {
            kind: 'refresh',
            app: message.app,
            reason: 'drift-scan',
            receivedAt: this.deps.clock.now().toISOString(),
          },
          { delaySeconds: decision.afterSeconds },
        ),
      ]);
      return { kind: 'done', note: `${decision.reason}: refresh again in ${decision.afterSeconds}s` };
    }
    const trigger: OperationTrigger = {
      kind: decision.trigger,
      reason: message.reason,
      ...(message.deliveryId === undefined ? {} : { deliveryId: message.deliveryId }),
      receivedAt: message.receivedAt,
    };
    const outcome = await this.start({
      stored,
      revision,
      trigger,
      selfHealAttempts: decision.selfHealAttempts,
      desired: rendered.objects,
      isSynced: syncedKeys(comparison),
      initiatedBy: 'automated',
    });
    return this.after(outcome, stored.application);
  }

  async sync(message: SyncMessage): Promise<MessageOutcome> {
    const stored = await this.deps.state.getApplication(this.ref);
    if (stored === undefined) return { kind: 'done', note: `no application ${message.app}` };
    const running = await this.settleRunning(stored);
    if (running !== undefined) return running;
    // A redelivered request whose operation already ran (its worker died before acking) is done.
    const last = await this.deps.state.getOperation<OperationRecord>(this.ref);
    if (last?.operation.id === message.operationId) {
      return { kind: 'done', note: `operation ${message.operationId} already ${last.operation.phase}` };
    }
    const app = stored.application;
    // An empty or HEAD revision means each source's own targetRevision, as `argocd app sync` does.
    const requested = message.revision === 'HEAD' ? undefined : message.revision;
    const rendered = await renderDesired({
      runtime: this.runtime,
      app,
      ...(requested === undefined ? {} : { revision: requested }),
    });
    const outcome = await this.start({
      stored,
      revision: rendered.revisions[0] ?? message.revision,
      trigger: {
        kind: 'manual',
        reason: 'manual',
        receivedAt: message.receivedAt,
        ...(message.initiatedBy === undefined ? {} : { initiatedBy: message.initiatedBy }),
      },
      selfHealAttempts: 0,
      desired: rendered.objects,
      initiatedBy: 'manual',
      operationId: message.operationId,
      ...(message.prune === undefined ? {} : { prune: message.prune }),
      ...(message.dryRun === undefined ? {} : { dryRun: message.dryRun }),
    });
    return this.after(outcome, app);
  }

  /** A continue message: resume the operation it names, unless that step was already taken. */
  async resumeFor(message: ContinueMessage): Promise<MessageOutcome> {
    const current = await this.deps.state.getOperation<OperationRecord>(this.ref);
    const record = current?.operation;
    if (record === undefined || record.phase !== RUNNING || record.id !== message.operationId) {
      return { kind: 'done', note: `operation ${message.operationId} is no longer running` };
    }
    if (record.step !== message.step) {
      return { kind: 'done', note: `step ${message.step} of ${message.operationId} was already taken` };
    }
    const stored = await this.deps.state.getApplication(this.ref);
    if (stored === undefined) return { kind: 'done', note: `no application ${message.app}` };
    const settled = await this.settleRunning(stored);
    return settled ?? { kind: 'done', note: `operation ${message.operationId} finished` };
  }

  /**
   * Makes sure no operation is running before new work: a Running one whose lease is free
   * (released, or expired because its worker died) is resumed here; one held by a live worker
   * sends this message back for later. Undefined means the way is clear.
   */
  private async settleRunning(stored: StoredApplication): Promise<MessageOutcome | undefined> {
    const current = await this.deps.state.getOperation<OperationRecord>(this.ref);
    if (current === undefined || current.operation.phase !== RUNNING) return undefined;
    if (this.heldByOther(current)) {
      return {
        kind: 'retry-later',
        delaySeconds: this.runtime.settings.busyRetrySeconds,
        reason: `operation ${current.operation.id} of ${this.ref.name} is running elsewhere`,
      };
    }
    const { lease, operation } = await this.deps.state.resumeOperation<OperationRecord>({
      app: this.ref,
      owner: this.deps.newId(),
      leaseMs: this.leaseMs(),
    });
    this.#held = { lease, record: operation };
    const rendered = await renderDesired({
      runtime: this.runtime,
      app: stored.application,
      revision: operation.revision,
    });
    const outcome = await driveOperation({
      runtime: this.runtime,
      app: stored.application,
      lease,
      record: operation,
      desired: rendered.objects,
      kube: await this.runtime.kubeFor(stored.application),
      deadline: this.options.deadline,
      ...(this.options.onProgress === undefined ? {} : { onProgress: this.options.onProgress }),
    });
    this.#held = undefined;
    if (outcome.kind === 'waiting') {
      return {
        kind: 'retry-later',
        delaySeconds: Math.max(outcome.afterSeconds, this.runtime.settings.busyRetrySeconds),
        reason: `operation ${operation.id} is waiting`,
      };
    }
    await this.refreshAfter(stored.application);
    return undefined;
  }

  private heldByOther(current: StoredOperation<OperationRecord>): boolean {
    return current.owner !== undefined && (current.leaseExpiresAt ?? 0) > this.deps.clock.now().getTime();
  }

  private leaseMs(): number {
    const left = this.options.deadline.getTime() - this.deps.clock.now().getTime();
    return Math.max(0, left) + this.runtime.settings.leaseMarginMs;
  }

  private async start(options: {
    readonly stored: StoredApplication;
    readonly revision: string;
    readonly trigger: OperationTrigger;
    readonly selfHealAttempts: number;
    readonly desired: Parameters<typeof driveOperation>[0]['desired'];
    readonly isSynced?: Parameters<typeof driveOperation>[0]['isSynced'];
    readonly initiatedBy: 'automated' | 'manual';
    readonly operationId?: string;
    readonly prune?: boolean;
    readonly dryRun?: boolean;
  }): Promise<DriveOutcome> {
    const { deps } = this.runtime;
    const app = options.stored.application;
    const previous = await deps.state.getOperation<OperationRecord>(this.ref);
    const state = beginOperation({
      app,
      revision: options.revision,
      clock: deps.clock,
      initiatedBy: options.initiatedBy,
      ...(options.prune === undefined ? {} : { prune: options.prune }),
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
    });
    const record: OperationRecord = {
      id: options.operationId ?? deps.newId(),
      phase: state.phase,
      revision: options.revision,
      startedAt: state.startedAt,
      step: 0,
      trigger: options.trigger,
      inventory: previous?.operation.inventory ?? [],
      selfHealAttempts: options.selfHealAttempts,
      state,
    };
    const begun = await deps.state.beginOperation({
      app: this.ref,
      operation: record,
      owner: deps.newId(),
      leaseMs: this.leaseMs(),
    });
    if (begun.kind === 'took-over') {
      deps.logger.warn('took over an abandoned operation', {
        app: this.ref.name,
        abandoned: begun.abandoned.operation.revision,
      });
    }
    this.#held = { lease: begun.lease, record };
    deps.logger.info('operation started', {
      app: this.ref.name,
      operation: record.id,
      revision: record.revision,
      trigger: record.trigger.kind,
    });
    const outcome = await driveOperation({
      runtime: this.runtime,
      app,
      lease: begun.lease,
      record,
      desired: options.desired,
      kube: await this.runtime.kubeFor(app),
      deadline: this.options.deadline,
      ...(options.isSynced === undefined ? {} : { isSynced: options.isSynced }),
      ...(this.options.onProgress === undefined ? {} : { onProgress: this.options.onProgress }),
    });
    this.#held = undefined;
    return outcome;
  }

  private async after(outcome: DriveOutcome, app: Application): Promise<MessageOutcome> {
    if (outcome.kind === 'waiting') {
      return { kind: 'done', note: `operation ${outcome.record.id} continues in ${outcome.afterSeconds}s` };
    }
    await this.refreshAfter(app);
    return { kind: 'done', note: `operation ${outcome.record.id} ${outcome.record.phase}` };
  }

  /** Argo CD refreshes after a sync so status shows what the sync left behind. */
  private async refreshAfter(app: Application): Promise<void> {
    const last = (await this.deps.state.getOperation<OperationRecord>(this.ref))?.operation;
    const rendered = await renderDesired({
      runtime: this.runtime,
      app,
      ...(last?.revision === undefined ? {} : { revision: last.revision }),
    });
    const comparison = await compareAndRecord({
      runtime: this.runtime,
      ref: this.ref,
      app,
      rendered,
      kube: await this.runtime.kubeFor(app),
      inventory: last?.inventory ?? [],
    });
    const failed = last !== undefined && last.phase !== 'Succeeded';
    const now = this.deps.clock.now();
    await changeStatus(this.deps.state, this.ref, (status) =>
      withCondition(status, 'SyncError', failed ? `${last?.phase}: ${last?.message ?? ''}` : undefined, now),
    );
    await afterSync({
      runtime: this.runtime,
      ref: this.ref,
      app,
      comparison,
      justFinished: true,
      ...(last === undefined ? {} : { last }),
    });
  }

  /** A failure retrying will not fix: end a held operation as Error and say why on the app. */
  async terminal(message: string): Promise<void> {
    const held = this.#held;
    if (held !== undefined) {
      const finishedAt = this.deps.clock.now().toISOString();
      await this.deps.state
        .finishOperation({
          lease: held.lease,
          operation: {
            ...held.record,
            phase: 'Error',
            finishedAt,
            message,
            state: { ...held.record.state, phase: 'Error', message, finishedAt },
          },
        })
        .catch((e) =>
          this.deps.logger.warn('could not end the operation', { app: this.ref.name, error: messageOf(e) }),
        );
      this.#held = undefined;
    }
    await recordComparisonError(this.runtime, this.ref, message);
    this.deps.logger.warn('terminal failure recorded on the app', { app: this.ref.name, error: message });
  }
}
