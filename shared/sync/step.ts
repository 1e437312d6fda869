/**
 * The re-entrant step: one call advances an operation as far as it can and returns the new
 * OperationState with either `continue` (call again after N seconds) or `done`. It mirrors
 * gitops-engine's Sync(): each pass refreshes the tasks still running (health of resources,
 * completion of hooks), waits while any is running, fails (after the SyncFail hooks ran) when any
 * completed unsuccessfully, and otherwise runs the next (phase, wave): prunes first, then previous
 * hook instances are deleted, then objects are applied kind group by kind group. While the
 * deadline allows, a healthy wave leads straight to the next one in the same call. The plan and
 * every task's result live in the state, so no task is ever run twice, whichever worker resumes.
 *
 * Live state is read in batches, never one GET per task: planning reads every target (one LIST
 * per group of objects of a kind in a namespace, see live-reader.ts) and applies in the same call
 * decide from those objects; a wave that runs in a later call (after waiting for health or hooks)
 * first reads what it needs the same way, as do the health checks of running tasks and the
 * ownership checks of prunes.
 */

import { applyRespectIgnoreDifferences, type IgnoreDifferences } from '../diff/index.js';
import { DriftlessError, messageOf } from '../errors/index.js';
import { bundledResourceHealth } from '../health/index.js';
import type { Application, RetryStrategy } from '../model/argo-types.js';
import {
  groupOf,
  type KubeObject,
  keyOf,
  keyString,
  type ResourceKey,
  versionOf,
} from '../model/kube-object.js';
import type { Clock } from '../ports/clock.js';
import type { KubeClient } from '../ports/kube-client.js';
import { annotationCsv } from './annotations.js';
import {
  applyNeedsLive,
  applyTask,
  clearPreviousHook,
  deleteHook,
  type ExecutionContext,
  isTransient,
  type LiveKnowledge,
  pruneTask,
  stillDeleting,
  type TaskUpdate,
} from './execute.js';
import { isHook, isIgnored, isSkipped } from './hooks.js';
import { crdGroupKind } from './kind-order.js';
import { type LiveTarget, readLive } from './live-reader.js';
import { managedNamespaceObject, planOperation } from './plan.js';
import { type PreparedObject, prepareDesired } from './prepare.js';
import { nextRetryDelay, retriesLeft } from './retry.js';
import { runLimited } from './run-limited.js';
import { operationSyncSettings } from './sync-options.js';
import type {
  HealthSnapshot,
  InventoryItem,
  OperationPhase,
  OperationState,
  ResourceHealthCheck,
  ResourceResult,
  StepOutcome,
  SyncStepResult,
  TaskState,
} from './types.js';

export const DEFAULT_FIELD_MANAGER = 'argocd-controller';

export interface SyncStepOptions {
  /** Stop starting new waves after this instant; the operation continues in a later call. */
  readonly deadline?: Date;
  /** How long to wait before looking again at running resources and hooks (default 5). */
  readonly pollSeconds?: number;
  /** Pause after each wave that is not the last, as Argo CD's ARGOCD_SYNC_WAVE_DELAY (default 2). */
  readonly waveDelaySeconds?: number;
  /** Wait after a throttled or failed (5xx) API call (default 5). */
  readonly transientDelaySeconds?: number;
  /** Consecutive transient failures tolerated before the attempt errors (default 5). */
  readonly maxTransientFailures?: number;
  readonly fieldManager?: string;
  /** Seconds to wait for a new CRD's kind to be served (default 3). */
  readonly crdReadySeconds?: number;
}

export interface SyncStepInput {
  readonly app: Application;
  readonly operation: OperationState;
  /** Rendered objects of operation.revision, as rendered (namespaces and tracking are added here). */
  readonly desired: readonly KubeObject[];
  /** What the app applied before: the only candidates for pruning. */
  readonly inventory?: readonly InventoryItem[];
  readonly kube: KubeClient;
  readonly clock: Clock;
  /** Health of a live object; default shared/health's bundledResourceHealth (Argo CD's built-in and bundled CRD checks). */
  readonly health?: ResourceHealthCheck;
  /** ApplyOutOfSyncOnly=true: whether the diff found a resource Synced. */
  readonly isSynced?: (key: ResourceKey) => boolean;
  /**
   * RespectIgnoreDifferences=true: the ignore rules beyond spec.ignoreDifferences (argocd-cm
   * customizations); the app's own rules are always used.
   */
  readonly ignoreDifferences?: IgnoreDifferences;
  readonly options?: SyncStepOptions;
}

type PassOutcome =
  | { readonly kind: 'wait'; readonly seconds: number }
  | { readonly kind: 'again' }
  | { readonly kind: 'finished'; readonly phase: 'Succeeded' | 'Failed' | 'Error'; readonly message: string };

type RunState = 'successful' | 'pending' | 'failed';

const TERMINAL: readonly OperationPhase[] = ['Succeeded', 'Failed', 'Error'];

export async function syncStep(input: SyncStepInput): Promise<SyncStepResult> {
  const op = input.operation;
  if (TERMINAL.includes(op.phase)) {
    return stepResult(op, { kind: 'done', phase: op.phase as 'Succeeded', message: op.message });
  }
  const now = input.clock.now();
  if (op.retryAt !== undefined) {
    const waitMs = Date.parse(op.retryAt) - now.getTime();
    if (waitMs > 0) return stepResult(op, { kind: 'continue', afterSeconds: waitMs / 1000 });
  }
  const run = new StepRun(input, op.retryAt === undefined ? op : freshAttempt(op, now));
  return run.execute();
}

/** A retry starts over: new plan, new hook instances, results cleared. */
function freshAttempt(op: OperationState, now: Date): OperationState {
  const { retryAt: _r, finishedAt: _f, current: _c, ...rest } = op;
  return {
    ...rest,
    planned: false,
    tasks: [],
    transientFailures: 0,
    attemptStartedAt: now.toISOString(),
    message: `Retrying operation. Attempt #${op.retryCount}`,
  };
}

function stepResult(op: OperationState, outcome: StepOutcome): SyncStepResult {
  return { operation: op, outcome, results: resultsOf(op.tasks) };
}

/** The resources part of a sync result, in the order results were first recorded. */
export function resultsOf(tasks: readonly TaskState[]): ResourceResult[] {
  return tasks
    .filter((t) => !t.skipped && (t.result !== undefined || t.operation !== undefined))
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((t) => ({
      group: t.key.group,
      version: versionOf(t.apiVersion),
      kind: t.key.kind,
      namespace: t.key.namespace,
      name: t.key.name,
      ...(t.result === undefined ? {} : { status: t.result }),
      message: t.message ?? '',
      ...(t.kind === 'hook' ? { hookType: t.phase } : {}),
      ...(t.operation === undefined ? {} : { hookPhase: t.operation }),
      syncPhase: t.phase,
    }));
}

const completed = (t: TaskState): boolean =>
  t.operation === 'Succeeded' || t.operation === 'Failed' || t.operation === 'Error';
const running = (t: TaskState): boolean => t.operation === 'Running';
const pending = (t: TaskState): boolean => t.operation === undefined;

class StepRun {
  private op: OperationState;
  private tasks: TaskState[];
  private readonly exec: ExecutionContext;
  private readonly settings;
  private readonly pollSeconds: number;
  private readonly health: ResourceHealthCheck;
  private preparedCache: Map<string, PreparedObject> | undefined;
  /**
   * Live objects read during this call, by keyString (undefined: read and not found). Not kept
   * in the operation state: a later call may come minutes later and reads again.
   */
  private readonly liveRead = new Map<string, KubeObject | undefined>();

  constructor(
    private readonly input: SyncStepInput,
    op: OperationState,
  ) {
    this.op = op;
    this.tasks = [...op.tasks];
    this.settings = operationSyncSettings(op.syncOptions);
    this.pollSeconds = input.options?.pollSeconds ?? 5;
    this.exec = {
      kube: input.kube,
      clock: input.clock,
      fieldManager: input.options?.fieldManager ?? DEFAULT_FIELD_MANAGER,
      settings: this.settings,
      dryRun: op.dryRun,
      prune: op.prune,
      appName: op.app,
      inventory: new Set((input.inventory ?? []).map((i) => keyString(i.key))),
      crdReadyTimeoutMs: (input.options?.crdReadySeconds ?? 3) * 1000,
      respectIgnoreDifferences: (desired, live) =>
        applyRespectIgnoreDifferences({
          desired,
          live,
          ignore: {
            ...input.ignoreDifferences,
            application: [
              ...(input.app.spec.ignoreDifferences ?? []),
              ...(input.ignoreDifferences?.application ?? []),
            ],
          },
        }),
    };
    this.health = input.health ?? ((obj) => bundledResourceHealth(obj));
  }

  async execute(): Promise<SyncStepResult> {
    const deadline = this.input.options?.deadline?.getTime() ?? Number.POSITIVE_INFINITY;
    try {
      if (!this.op.planned) {
        const planned = await this.plan();
        if (planned !== undefined) return this.finish(planned.phase, planned.message, planned.retryable);
      }
      for (;;) {
        const outcome = await this.pass();
        if (outcome.kind === 'finished') return this.finish(outcome.phase, outcome.message, true);
        this.update({ transientFailures: 0 });
        if (outcome.kind === 'wait') return this.continueAfter(outcome.seconds);
        if (this.input.clock.now().getTime() >= deadline) return this.continueAfter(0);
      }
    } catch (e) {
      if (isTransient(e)) {
        const failures = this.op.transientFailures + 1;
        this.update({ transientFailures: failures, message: `${messageOf(e)} (will try again)` });
        if (failures <= (this.input.options?.maxTransientFailures ?? 5)) {
          return this.continueAfter(this.input.options?.transientDelaySeconds ?? 5);
        }
      }
      return this.finish('Error', messageOf(e), true);
    }
  }

  private update(patch: Partial<OperationState>): void {
    this.op = { ...this.op, ...patch };
  }

  private snapshot(): OperationState {
    return { ...this.op, tasks: [...this.tasks] };
  }

  private continueAfter(seconds: number): SyncStepResult {
    return stepResult(this.snapshot(), { kind: 'continue', afterSeconds: seconds });
  }

  /** Ends the attempt; a failed attempt with retries left waits for its retry instead. */
  private finish(
    phase: 'Succeeded' | 'Failed' | 'Error',
    message: string,
    retryable: boolean,
  ): SyncStepResult {
    const now = this.input.clock.now();
    const { current: _c, ...rest } = this.snapshot();
    let op: OperationState = { ...rest, finishedAt: now.toISOString() };
    if (phase !== 'Succeeded' && retryable && retriesLeft(op.retry, op.retryCount)) {
      let delayMs: number | undefined;
      try {
        delayMs = nextRetryDelay(op.retry as RetryStrategy, op.retryCount);
      } catch (e) {
        message = `${message} (failed to retry: ${messageOf(e)})`;
        phase = 'Error';
      }
      if (delayMs !== undefined) {
        const retryAt = new Date(now.getTime() + delayMs);
        const attempt = op.retryCount + 1;
        op = {
          ...op,
          phase: 'Running',
          retryCount: attempt,
          retryAt: retryAt.toISOString(),
          message: `${message}. Retrying attempt #${attempt} at ${retryAt.toISOString()}.`,
        };
        return stepResult(op, { kind: 'continue', afterSeconds: delayMs / 1000 });
      }
    }
    if (phase !== 'Succeeded' && op.retryCount > 0) message = `${message} (retried ${op.retryCount} times).`;
    op = { ...op, phase, message };
    return stepResult(op, { kind: 'done', phase, message });
  }

  // ---- desired objects ----

  private async prepared(): Promise<Map<string, PreparedObject>> {
    if (this.preparedCache !== undefined) return this.preparedCache;
    const scopes = new Map<string, boolean | undefined>();
    for (const obj of this.input.desired) {
      const id = `${obj.apiVersion}\n${obj.kind}`;
      if (!scopes.has(id))
        scopes.set(id, (await this.input.kube.resourceFor(obj.apiVersion, obj.kind))?.namespaced);
    }
    const prepared = prepareDesired({
      desired: this.input.desired,
      appName: this.op.app,
      destinationNamespace: this.input.app.spec.destination.namespace ?? '',
      isNamespaced: (apiVersion, kind) => scopes.get(`${apiVersion}\n${kind}`),
    });
    this.preparedCache = new Map(prepared.map((p) => [p.ref, p]));
    return this.preparedCache;
  }

  private async targetOf(task: TaskState): Promise<KubeObject> {
    if (task.kind === 'namespace') {
      return managedNamespaceObject(task.key.name, this.input.app.spec.syncPolicy?.managedNamespaceMetadata);
    }
    const found =
      task.desiredRef === undefined ? undefined : (await this.prepared()).get(task.desiredRef)?.obj;
    if (found === undefined) {
      throw new DriftlessError(
        'SYNC_FAILED',
        `sync of app "${this.op.app}" at ${this.op.revision}: ${task.key.kind}/${task.key.name} is no longer rendered; the desired state changed during the operation`,
        { context: { app: this.op.app, revision: this.op.revision, task: task.id } },
      );
    }
    return task.kind === 'hook' ? { ...found, metadata: { ...found.metadata, name: task.key.name } } : found;
  }

  // ---- planning (first step of an attempt) ----

  private async plan(): Promise<{ phase: 'Failed'; message: string; retryable: boolean } | undefined> {
    const { kube } = this.input;
    const prepared = [...(await this.prepared()).values()];
    const crdKinds = new Set(prepared.map((p) => crdGroupKind(p.obj)).filter((k) => k !== undefined));
    const invalid: string[] = [];
    // Live state is read as a comparison reads it: one LIST per group of objects of one kind in
    // one namespace, GETs for the rest (see live-reader.ts).
    const targets: LiveTarget[] = [];
    for (const { obj } of prepared) {
      if (isIgnored(obj) || isSkipped(obj)) continue;
      const served = (await kube.resourceFor(obj.apiVersion, obj.kind)) !== undefined;
      if (!served) {
        const comingWithSync = crdKinds.has(`${groupOf(obj.apiVersion)}/${obj.kind}`);
        const skipCheck =
          this.settings.skipDryRunOnMissingResource ||
          annotationCsv(obj, 'argocd.argoproj.io/sync-options').includes('SkipDryRunOnMissingResource=true');
        if (!comingWithSync && !skipCheck) {
          invalid.push(
            `the server does not serve ${obj.apiVersion} ${obj.kind} (${obj.kind}/${obj.metadata.name ?? obj.metadata.generateName ?? ''})`,
          );
        }
        continue;
      }
      if (!isHook(obj)) targets.push({ apiVersion: obj.apiVersion, key: keyOf(obj) });
    }
    if (invalid.length > 0) {
      return {
        phase: 'Failed',
        message: `one or more synchronization tasks are not valid: ${[...new Set(invalid)].sort().join('; ')}`,
        retryable: true,
      };
    }
    targets.push(...(this.input.inventory ?? []));
    const destinationNamespace = this.input.app.spec.destination.namespace ?? '';
    const namespaceKey: ResourceKey = {
      group: '',
      kind: 'Namespace',
      namespace: '',
      name: destinationNamespace,
    };
    const readsNamespace = this.settings.createNamespace && destinationNamespace !== '';
    const [live, namespaceLive] = await Promise.all([
      this.readLive(targets),
      readsNamespace ? kube.get('v1', namespaceKey) : Promise.resolve(undefined),
    ]);
    if (readsNamespace) this.liveRead.set(keyString(namespaceKey), namespaceLive);

    const outcome = planOperation({
      app: this.input.app,
      appName: this.op.app,
      operation: this.op,
      desired: prepared,
      live,
      inventory: this.input.inventory ?? [],
      ...(namespaceLive === undefined ? {} : { destinationNamespaceLive: namespaceLive }),
      ...(this.input.isSynced === undefined ? {} : { isSynced: this.input.isSynced }),
    });
    if (outcome.kind === 'refused')
      return { phase: 'Failed', message: outcome.message, retryable: outcome.retryable };
    this.tasks = [...outcome.tasks];
    this.update({ planned: true, transientFailures: 0, message: 'one or more tasks are running' });

    // As Argo CD, the destination namespace is created before anything else (PreSync hooks
    // included): everything else may live in it.
    const index = this.tasks.findIndex((t) => t.kind === 'namespace');
    if (index >= 0) {
      const task = this.tasks[index]!;
      const target = await this.targetOf(task);
      this.record(index, await applyTask(this.exec, { task, target, live: this.knowledgeOf(task) }));
      if (this.tasks[index]!.result === 'SyncFailed') {
        return {
          phase: 'Failed',
          message: `the namespace failed to apply, reason: ${this.tasks[index]!.message ?? ''}`,
          retryable: true,
        };
      }
    }
    return undefined;
  }

  // ---- live state ----

  /** Reads targets in one batch and remembers what was found and what was not. */
  private async readLive(targets: readonly LiveTarget[]): Promise<ReadonlyMap<string, KubeObject>> {
    if (targets.length === 0) return new Map();
    const read = await readLive({ kube: this.input.kube, targets });
    for (const { key } of targets) {
      const id = keyString(key);
      this.liveRead.set(id, read.objects.get(id));
    }
    return read.objects;
  }

  private knowledgeOf(task: TaskState): LiveKnowledge {
    const id = keyString(task.key);
    return this.liveRead.has(id) ? { kind: 'read', object: this.liveRead.get(id) } : { kind: 'unread' };
  }

  private record(index: number, update: TaskUpdate): void {
    const task = this.tasks[index]!;
    const order = task.order ?? Math.max(0, ...this.tasks.map((t) => t.order ?? 0)) + 1;
    // Argo CD keeps the latest non-empty message.
    const message = update.message === undefined || update.message === '' ? task.message : update.message;
    this.tasks[index] = { ...task, ...update, ...(message === undefined ? {} : { message }), order };
    // Progress: the transient failures tolerated are consecutive ones.
    if (this.op.transientFailures !== 0) this.update({ transientFailures: 0 });
  }

  private recordTask(task: TaskState, update: TaskUpdate): void {
    this.record(
      this.tasks.findIndex((t) => t.id === task.id),
      update,
    );
  }

  // ---- one pass, as gitops-engine's Sync() ----

  private async pass(): Promise<PassOutcome> {
    await this.refreshRunning();
    const all = this.tasks;
    const first = all[0];
    const last = all[all.length - 1];
    const multiStep =
      first !== undefined && last !== undefined && (first.phase !== last.phase || first.wave !== last.wave);

    const stillRunning = all.filter((t) => (multiStep || t.kind === 'hook') && running(t));
    if (stillRunning.length > 0) {
      this.setRunningMessage(stillRunning, false);
      return { kind: 'wait', seconds: this.pollSeconds };
    }
    const awaitingDeletion = all.filter((t) => t.result === 'Pruned' && t.awaitingDeletion);
    if (awaitingDeletion.length > 0) {
      this.setRunningMessage(awaitingDeletion, true);
      return { kind: 'wait', seconds: this.pollSeconds };
    }

    const syncFail = all.filter((t) => t.phase === 'SyncFail');
    const rest = all.filter((t) => t.phase !== 'SyncFail');
    if (rest.some((t) => completed(t) && t.operation !== 'Succeeded')) {
      await this.deleteHooks('HookFailed');
      return this.syncFailPhase(syncFail, rest, 'one or more synchronization tasks completed unsuccessfully');
    }

    const todo = rest.filter(pending);
    if (todo.length === 0) {
      await this.deleteHooks('HookSucceeded');
      return { kind: 'finished', phase: 'Succeeded', message: 'successfully synced (no more tasks)' };
    }
    const { phase, wave } = todo[0]!;
    const lastTodo = todo[todo.length - 1]!;
    const finalWave = phase === lastTodo.phase && wave === lastTodo.wave;
    const group = todo.filter((t) => t.phase === phase && t.wave === wave);
    const remaining = todo.length - group.length;
    this.update({ current: { phase, wave }, message: 'one or more tasks are running' });

    const state = await this.runTasks(group);
    const after = group.map((t) => this.tasks.find((u) => u.id === t.id)!);
    if (state === 'failed') {
      const runningHooks = after.filter(running);
      if (runningHooks.length > 0) {
        const failNow =
          syncFail.length > 0
            ? await this.syncFailPhase(syncFail, after, 'one or more objects failed to apply')
            : undefined;
        if (failNow?.kind === 'finished') return failNow;
        this.setRunningMessage(runningHooks, false);
        return { kind: 'wait', seconds: this.pollSeconds };
      }
      const outcome = await this.syncFailPhase(syncFail, after, 'one or more objects failed to apply');
      if (outcome.kind === 'finished') await this.deleteHooks('HookFailed');
      return outcome;
    }
    if (state === 'pending') {
      this.setRunningMessage(
        after.filter((t) => pending(t)),
        true,
      );
      return { kind: 'wait', seconds: Math.min(this.pollSeconds, 1) };
    }
    if (remaining === 0 && !after.some((t) => t.kind === 'hook')) {
      // The last wave of plain resources: applying it is success, as in Argo CD, even if the
      // objects later degrade (health is the app's status, not the operation's).
      await this.deleteHooks('HookSucceeded');
      return { kind: 'finished', phase: 'Succeeded', message: 'successfully synced (all tasks run)' };
    }
    this.setRunningMessage(after, false);
    const delay = finalWave ? 0 : (this.input.options?.waveDelaySeconds ?? 2);
    if (delay > 0) {
      const deadline = this.input.options?.deadline?.getTime() ?? Number.POSITIVE_INFINITY;
      if (this.input.clock.now().getTime() + delay * 1000 >= deadline)
        return { kind: 'wait', seconds: delay };
      await this.input.clock.sleep(delay * 1000);
    }
    return { kind: 'again' };
  }

  /** Health of running resources and completion of running hooks, from live state. */
  private async refreshRunning(): Promise<void> {
    const health = this.health;
    const watched = this.tasks.filter(
      (t) => (running(t) && t.result !== 'Pruned') || (t.result === 'Pruned' && t.awaitingDeletion),
    );
    // Read afresh: time passed since these objects were written.
    for (const task of watched) this.liveRead.delete(keyString(task.key));
    const live = await this.readLive(watched);
    for (const task of watched) {
      const current = live.get(keyString(task.key));
      if (task.result === 'Pruned') {
        if (!stillDeleting(current)) this.recordTask(task, { awaitingDeletion: false });
        continue;
      }
      if (current === undefined) {
        this.recordTask(task, {
          result: 'SyncFailed',
          operation: 'Error',
          message: `Resource ${task.key.group}/${task.key.kind}/${task.key.name} is missing, it might have been deleted`,
        });
        continue;
      }
      const snapshot = health(current);
      if (task.kind === 'hook') {
        this.recordTask(task, hookProgress(current, snapshot));
        continue;
      }
      const healthPatch = snapshot === undefined ? {} : { health: snapshot };
      if (snapshot === undefined || snapshot.status === 'Healthy') {
        this.recordTask(task, { ...healthPatch, operation: 'Succeeded', ...messagePatch(snapshot) });
      } else if (snapshot.status === 'Degraded') {
        this.recordTask(task, { ...healthPatch, operation: 'Failed', ...messagePatch(snapshot) });
      } else {
        this.recordTask(task, healthPatch);
      }
    }
  }

  /** Runs one (phase, wave): prunes, then hook clean-up, then applies kind group by kind group. */
  private async runTasks(group: readonly TaskState[]): Promise<RunState> {
    const prunes = group.filter((t) => t.kind === 'prune');
    const creates = group.filter((t) => t.kind !== 'prune');
    let state: RunState = 'successful';

    const clearing = creates.filter(
      (t) => t.kind === 'hook' && t.deletePolicies?.includes('BeforeHookCreation'),
    );
    // What prunes and hook clean-up decide on must be current, not as planned: one batch read.
    const doomed = [...prunes, ...clearing];
    for (const task of doomed) this.liveRead.delete(keyString(task.key));
    const doomedLive = await this.readLive(doomed);

    await runLimited(
      prunes.map((task) => async () => {
        this.recordTask(task, await pruneTask(this.exec, task, doomedLive.get(keyString(task.key))));
      }),
      8,
    );
    if (prunes.some((t) => this.current(t).result === 'SyncFailed')) return 'failed';

    await runLimited(
      clearing.map((task) => async () => {
        const clearance = await clearPreviousHook(this.exec, task, doomedLive.get(keyString(task.key)));
        if (clearance === 'deleting') {
          if (state === 'successful') state = 'pending';
        } else if (clearance !== 'clear') {
          state = 'failed';
          this.recordTask(task, { operation: 'Error', message: clearance.failed });
        }
      }),
      8,
    );
    if (state !== 'successful') return state;
    // Hook instances just cleared are gone (a dry run deleted nothing); anything else not read in
    // this call is read now.
    if (!this.op.dryRun) for (const task of clearing) this.liveRead.set(keyString(task.key), undefined);
    await this.readLive(
      creates.filter((t) => applyNeedsLive(this.settings, t) && this.knowledgeOf(t).kind === 'unread'),
    );

    // Objects of one kind go together; the next kind waits for them (CRDs before their CRs).
    const kindGroups: TaskState[][] = [];
    for (const task of creates) {
      const current = kindGroups[kindGroups.length - 1];
      if (current !== undefined && current[0]!.key.kind === task.key.kind) current.push(task);
      else kindGroups.push([task]);
    }
    for (const tasks of kindGroups) {
      await runLimited(
        tasks.map((task) => async () => {
          const target = await this.targetOf(task);
          const update = await applyTask(this.exec, { task, target, live: this.knowledgeOf(task) });
          this.recordTask(task, update);
          if (update.result === 'SyncFailed') state = 'failed';
        }),
        8,
      );
    }
    return state;
  }

  private current(task: TaskState): TaskState {
    return this.tasks.find((t) => t.id === task.id) ?? task;
  }

  /**
   * Failure: start the SyncFail hooks not started yet and wait for them; once all completed, the
   * operation fails with the reasons of the failed tasks.
   */
  private async syncFailPhase(
    syncFail: readonly TaskState[],
    failedAmong: readonly TaskState[],
    message: string,
  ): Promise<PassOutcome> {
    const reasons = [
      ...new Set(
        failedAmong
          .map((t) => this.current(t))
          .filter((t) => t.result === 'SyncFailed')
          .map((t) => t.message ?? ''),
      ),
    ];
    let errorMessage = reasons.length > 0 ? `${message}, reason: ${reasons.join(',')}` : message;
    if (syncFail.length === 0) return { kind: 'finished', phase: 'Failed', message: errorMessage };
    const hooks = syncFail.map((t) => this.current(t));
    if (hooks.every(completed)) {
      const failedHooks = hooks.filter((t) => t.result === 'SyncFailed' || t.operation !== 'Succeeded');
      if (failedHooks.length > 0) {
        const hookReasons = [...new Set(failedHooks.map((t) => t.message ?? ''))];
        errorMessage = `${errorMessage}\none or more SyncFail hooks failed, reason: ${hookReasons.join(',')}`;
      }
      return { kind: 'finished', phase: 'Failed', message: errorMessage };
    }
    const toStart = hooks.filter((t) => !completed(t) && !running(t));
    await this.runTasks(toStart);
    this.setRunningMessage(
      hooks.map((t) => this.current(t)).filter((t) => !completed(t)),
      false,
    );
    this.update({ current: { phase: 'SyncFail', wave: toStart[0]?.wave ?? 0 } });
    return { kind: 'wait', seconds: this.pollSeconds };
  }

  /** HookSucceeded / HookFailed: remove finished hook instances when the operation ends. */
  private async deleteHooks(policy: 'HookSucceeded' | 'HookFailed'): Promise<void> {
    const hooks = this.tasks.filter(
      (t) => t.kind === 'hook' && t.result === 'Synced' && !running(t) && t.deletePolicies?.includes(policy),
    );
    await runLimited(
      hooks.map((task) => async () => {
        const failure = await deleteHook(this.exec, task);
        if (failure !== undefined) this.recordTask(task, { operation: 'Error', message: failure });
      }),
      8,
    );
  }

  private setRunningMessage(tasks: readonly TaskState[], deletion: boolean): void {
    if (tasks.length === 0) return;
    const hooks = tasks.filter((t) => t.kind === 'hook');
    const resources = tasks.filter((t) => t.kind !== 'hook');
    let reason = hooks.length === 0 ? 'healthy state of' : 'completion of hook';
    const taskType = resources.length === 0 ? 'hooks' : 'resources';
    if (deletion) reason = hooks.length > 0 ? 'deletion of hook' : 'deletion of';
    const first = hooks[0] ?? resources[0]!;
    const more = tasks.length - 1;
    const message = `waiting for ${reason} ${first.key.group}/${first.key.kind}/${first.key.name}${more > 0 ? ` and ${more} more ${taskType}` : ''}`;
    this.update({ message });
  }
}

/** A hook's progress from its health: Degraded/Unknown fail it, Progressing/Suspended keep it running. */
function hookProgress(live: KubeObject, snapshot: HealthSnapshot | undefined): TaskUpdate {
  const healthPatch = snapshot === undefined ? {} : { health: snapshot };
  if (snapshot === undefined) {
    return { operation: 'Succeeded', message: `${live.metadata.name ?? ''} created` };
  }
  switch (snapshot.status) {
    case 'Unknown':
    case 'Degraded':
      return { ...healthPatch, operation: 'Failed', ...messagePatch(snapshot) };
    case 'Progressing':
    case 'Suspended':
      return { ...healthPatch, operation: 'Running', ...messagePatch(snapshot) };
    case 'Healthy':
      return { ...healthPatch, operation: 'Succeeded', ...messagePatch(snapshot) };
    default:
      return { ...healthPatch, operation: 'Succeeded', message: `${live.metadata.name ?? ''} created` };
  }
}

function messagePatch(snapshot: HealthSnapshot | undefined): { message?: string } {
  return snapshot?.message ? { message: snapshot.message } : {};
}
