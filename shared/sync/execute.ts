/**
 * Running single tasks against the cluster: apply (server-side apply with force, as Argo CD's
 * `--server-side --force-conflicts`; or create/replace with Replace=true), prune, and deleting a
 * previous hook instance. A refusal by the API is the task's result; throttling and 5xx
 * (retryable errors) are thrown so the step can come back later without recording a failure.
 */
import { isDriftlessError, messageOf } from '../errors/index.js';
import { groupOf, type KubeObject, keyString, type ResourceKey } from '../model/kube-object.js';
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

export async function applyTask(
  ctx: ExecutionContext,
  task: TaskState,
  target: KubeObject,
): Promise<TaskUpdate> {
  const { kube } = ctx;
  try {
    const needsLive = ctx.settings.respectIgnoreDifferences || ctx.settings.replace || task.kind === 'apply';
    const live = needsLive ? await kube.get(task.apiVersion, task.key) : undefined;
    const how = applySettings(ctx.settings, target, live);
    let obj = target;
    if (live !== undefined && ctx.settings.respectIgnoreDifferences && ctx.respectIgnoreDifferences) {
      obj = ctx.respectIgnoreDifferences(target, live);
    }
    let message: string;
    const writeOptions = { dryRun: ctx.dryRun, fieldManager: ctx.fieldManager };
    if (how.replace) {
      if (live === undefined) {
        await kube.create(obj, writeOptions);
        message = `${displayName(obj)} created`;
      } else {
        // PUT carries the live resourceVersion; Argo CD never deletes and recreates CRDs or
        // Namespaces (that would delete everything in them), and neither do we.
        const resourceVersion = live.metadata.resourceVersion;
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
 * Deletes an object the app no longer renders. Ownership is checked again on the live object
 * right before deleting: an object another app took over since planning is left alone.
 */
export async function pruneTask(ctx: ExecutionContext, task: TaskState): Promise<TaskUpdate> {
  try {
    const live = await ctx.kube.get(task.apiVersion, task.key);
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
export async function stillDeleting(
  kube: KubeClient,
  apiVersion: string,
  key: ResourceKey,
): Promise<boolean> {
  const live = await kube.get(apiVersion, key);
  return live !== undefined && live.metadata.deletionTimestamp !== undefined;
}

export type HookClearance = 'clear' | 'deleting' | { readonly failed: string };

/** BeforeHookCreation: the previous instance of a hook goes before the new one is created. */
export async function clearPreviousHook(ctx: ExecutionContext, task: TaskState): Promise<HookClearance> {
  try {
    const live = await ctx.kube.get(task.apiVersion, task.key);
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
