/**
 * Running single tasks against the cluster: apply (server-side apply with force, as Argo CD's
 * `--server-side --force-conflicts`; or create/replace with Replace=true), prune, and deleting a
 * previous hook instance. A refusal by the API is the task's result; throttling and 5xx
 * (retryable errors) are thrown so the step can come back later without recording a failure.
 *
 * Live objects are passed in: the step reads them in batches (one LIST per group, see
 * live-reader.ts) right before a wave runs, instead of one GET per task. Only a replace still
 * GETs, because its PUT must carry the current resourceVersion.
 */
import { isDriftlessError, messageOf } from '../errors/index.js';
import { groupOf, type KubeObject, keyString } from '../model/kube-object.js';
import type { Clock } from '../ports/clock.js';
import type { KubeClient } from '../ports/kube-client.js';
import { crdGroupKind, isCrd } from './kind-order.js';
import { applySettings, type OperationSyncSettings, pruneDecision } from './sync-options.js';
import { ownershipOf } from './tracking.js';
import type { TaskState } from './types.js';

export interface ExecutionContext {
  readonly kube: KubeClient;
  readonly clock: Clock;
  readonly fieldManager: string;
  readonly settings: OperationSyncSettings;
  readonly dryRun: boolean;
  readonly prune: boolean;
  readonly appName: string;
  /** keyStrings of the inventory: untracked objects there are still ours. */
  readonly inventory: ReadonlySet<string>;
  /** RespectIgnoreDifferences=true: desired with ignored fields taken from live. */
  readonly respectIgnoreDifferences?: (desired: KubeObject, live: KubeObject) => KubeObject;
  /** How long to wait for a new CRD's kind to be served. */
  readonly crdReadyTimeoutMs: number;
}

/** What the step knows of a task's live object: read during this step (maybe absent), or not. */
export type LiveKnowledge =
  | { readonly kind: 'read'; readonly object: KubeObject | undefined }
  | { readonly kind: 'unread' };

export interface ApplyTaskInput {
  readonly task: TaskState;
  readonly target: KubeObject;
  readonly live: LiveKnowledge;
}

/**
 * Whether applying the task depends on its live object: Replace=true or Force=true annotations
 * on live objects count (Argo CD reads both), and RespectIgnoreDifferences keeps live values.
 * Hook instances are new objects with no annotations of their own to honour.
 */
export function applyNeedsLive(settings: OperationSyncSettings, task: TaskState): boolean {
  return settings.respectIgnoreDifferences || settings.replace || task.kind === 'apply';
}

export type TaskUpdate = Partial<
  Pick<TaskState, 'result' | 'operation' | 'message' | 'health' | 'awaitingDeletion'>
>;

/** Throttling and server errors: try again later instead of failing the task. */
export function isTransient(e: unknown): boolean {
  return isDriftlessError(e) && e.retryable;
}

function failed(e: unknown): TaskUpdate {
  if (isTransient(e)) throw e;
  return { result: 'SyncFailed', operation: 'Failed', message: messageOf(e) };
}

function displayName(obj: KubeObject): string {
  const group = groupOf(obj.apiVersion);
  return `${obj.kind.toLowerCase()}${group === '' ? '' : `.${group}`}/${obj.metadata.name ?? ''}`;
}

export async function applyTask(ctx: ExecutionContext, input: ApplyTaskInput): Promise<TaskUpdate> {
  const { kube } = ctx;
  const { task, target } = input;
  try {
    let live: KubeObject | undefined;
    let fresh = false;
    if (applyNeedsLive(ctx.settings, task)) {
      if (input.live.kind === 'read') live = input.live.object;
      else {
        live = await kube.get(task.apiVersion, task.key);
        fresh = true;
      }
    }
    const how = applySettings(ctx.settings, target, live);
    let obj = target;
    if (live !== undefined && ctx.settings.respectIgnoreDifferences && ctx.respectIgnoreDifferences) {
      obj = ctx.respectIgnoreDifferences(target, live);
    }
    let message: string;
    const writeOptions = { dryRun: ctx.dryRun, fieldManager: ctx.fieldManager };
    if (how.replace) {
      // The batch read may be a moment old and controllers update objects all the time (status),
      // so the resourceVersion the PUT carries comes from a fresh read.
      const current = live === undefined || fresh ? live : await kube.get(task.apiVersion, task.key);
      if (current === undefined) {
        await kube.create(obj, writeOptions);
        message = `${displayName(obj)} created`;
      } else {
        // PUT carries the live resourceVersion; Argo CD never deletes and recreates CRDs or
        // Namespaces (that would delete everything in them), and neither do we.
        const resourceVersion = current.metadata.resourceVersion;
        const update = {
          ...obj,
          metadata: { ...obj.metadata, ...(resourceVersion ? { resourceVersion } : {}) },
        };
        await kube.replace(update, writeOptions);
        message =
          isCrd(obj) || obj.kind === 'Namespace'
            ? `${obj.kind}/${obj.metadata.name ?? ''} updated`
            : `${displayName(obj)} replaced`;
      }
    } else {
      await kube.apply(obj, { fieldManager: ctx.fieldManager, force: true, dryRun: ctx.dryRun });
      message = `${displayName(obj)} serverside-applied`;
    }
    if (isCrd(obj) && !ctx.dryRun) await waitForCrdServed(ctx, obj);
    // A dry run creates nothing, so there is nothing to wait for.
    return { result: 'Synced', operation: ctx.dryRun ? 'Succeeded' : 'Running', message };
  } catch (e) {
    return failed(e);
  }
}

/** New kinds appear in discovery shortly after their CRD; later tasks in the wave need them. */
async function waitForCrdServed(ctx: ExecutionContext, crd: KubeObject): Promise<void> {
  const groupKind = crdGroupKind(crd);
  const versions = (crd.spec as { versions?: Array<{ name?: unknown; served?: unknown }> } | undefined)
    ?.versions;
  const version = versions?.find((v) => v.served !== false && typeof v.name === 'string')?.name;
  ctx.kube.invalidateDiscovery();
  if (groupKind === undefined || typeof version !== 'string') return;
  const slash = groupKind.indexOf('/');
  const apiVersion = `${groupKind.slice(0, slash)}/${version}`;
  const kind = groupKind.slice(slash + 1);
  const deadline = ctx.clock.now().getTime() + ctx.crdReadyTimeoutMs;
  while ((await ctx.kube.resourceFor(apiVersion, kind)) === undefined) {
    if (ctx.clock.now().getTime() >= deadline) return;
    await ctx.clock.sleep(100);
    ctx.kube.invalidateDiscovery();
  }
}

/**
 * Deletes an object the app no longer renders. Ownership is checked again on the live object,
 * read right before the wave's prunes run: an object another app took over since planning is
 * left alone.
 */
export async function pruneTask(
  ctx: ExecutionContext,
  task: TaskState,
  live: KubeObject | undefined,
): Promise<TaskUpdate> {
  try {
    if (live === undefined) return { result: 'Pruned', operation: 'Succeeded', message: 'pruned' };
    const owner = ownershipOf(live, ctx.appName).kind;
    if (owner !== 'ours' && !(owner === 'untracked' && ctx.inventory.has(keyString(task.key)))) {
      return { result: 'PruneSkipped', operation: 'Succeeded', message: 'ignored (not managed by this app)' };
    }
    if (!ctx.prune)
      return { result: 'PruneSkipped', operation: 'Succeeded', message: 'ignored (requires pruning)' };
    const decision = pruneDecision(ctx.settings, live);
    if (decision === 'disabled')
      return { result: 'PruneSkipped', operation: 'Succeeded', message: 'ignored (no prune)' };
    if (decision === 'confirm') {
      return { result: 'PruneSkipped', operation: 'Succeeded', message: 'ignored (requires confirmation)' };
    }
    if (ctx.dryRun) return { result: 'Pruned', operation: 'Succeeded', message: 'pruned (dry run)' };
    // An object already being deleted is not deleted again, to avoid an update loop.
    if (live.metadata.deletionTimestamp === undefined) {
      await ctx.kube.delete(task.apiVersion, task.key, {
        propagationPolicy: ctx.settings.prunePropagationPolicy,
      });
    }
    return { result: 'Pruned', operation: 'Succeeded', message: 'pruned', awaitingDeletion: true };
  } catch (e) {
    return failed(e);
  }
}

/** Whether the object still exists and is on its way out (deletionTimestamp set). */
export function stillDeleting(live: KubeObject | undefined): boolean {
  return live !== undefined && live.metadata.deletionTimestamp !== undefined;
}

export type HookClearance = 'clear' | 'deleting' | { readonly failed: string };

/** BeforeHookCreation: the previous instance of a hook goes before the new one is created. */
export async function clearPreviousHook(
  ctx: ExecutionContext,
  task: TaskState,
  live: KubeObject | undefined,
): Promise<HookClearance> {
  try {
    if (live === undefined) return 'clear';
    if (ctx.dryRun) return 'clear';
    if (live.metadata.deletionTimestamp === undefined) {
      const gone = !(await ctx.kube.delete(task.apiVersion, task.key, {
        propagationPolicy: ctx.settings.prunePropagationPolicy,
      }));
      if (gone) return 'clear';
    }
    return 'deleting';
  } catch (e) {
    if (isTransient(e)) throw e;
    return { failed: `failed to delete resource: ${messageOf(e)}` };
  }
}

/** Deletes finished hooks per their delete policy; a hook already gone is fine. */
export async function deleteHook(ctx: ExecutionContext, task: TaskState): Promise<string | undefined> {
  if (ctx.dryRun) return undefined;
  try {
    await ctx.kube.delete(task.apiVersion, task.key, {
      propagationPolicy: ctx.settings.prunePropagationPolicy,
    });
    return undefined;
  } catch (e) {
    if (isTransient(e)) throw e;
    return `failed to delete resource: ${messageOf(e)}`;
  }
}
