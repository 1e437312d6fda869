/**
 * Planning: desired × live × inventory → the ordered list of tasks for one attempt, as Argo CD's
 * gitops-engine builds it. Resources that are not hooks sync in the Sync phase; hooks get one
 * instance per phase they name; prune candidates are inventory entries the app no longer renders
 * whose live object is provably the app's (tracking id names this app, or no tracking id at all
 * and the object is not a CRD). Prune waves run mirrored and PruneLast after the last Sync wave.
 * Pure: the caller reads live state.
 */
import type { Application } from '../model/argo-types.js';
import { type KubeObject, keyOf, keyString, type ResourceKey } from '../model/kube-object.js';
import { hookDeletePolicies, hookInstanceName, isHook, isIgnored, syncPhases } from './hooks.js';
import { isCrd, type Orderable, sortTasks } from './kind-order.js';
import type { PreparedObject } from './prepare.js';
import { operationSyncSettings, pruneLastFor } from './sync-options.js';
import { ownershipOf } from './tracking.js';
import type { InventoryItem, OperationState, SyncPhase, TaskKind, TaskState } from './types.js';
import { reversedPruneWaves, waveOf } from './waves.js';

export const SSA_SYNC_OPTION = 'ServerSideApply=true';

export interface PlanInput {
  readonly app: Application;
  /** The app's instance name, as in tracking ids. */
  readonly appName: string;
  readonly operation: Pick<
    OperationState,
    'revision' | 'attemptStartedAt' | 'syncOptions' | 'prune' | 'automated'
  >;
  readonly desired: readonly PreparedObject[];
  /** Live objects by keyString, for desired objects and inventory entries (absent = not found). */
  readonly live: ReadonlyMap<string, KubeObject>;
  readonly inventory: readonly InventoryItem[];
  /** The live destination namespace, when CreateNamespace=true; undefined if it does not exist. */
  readonly destinationNamespaceLive?: KubeObject;
  /** ApplyOutOfSyncOnly: true for keys the diff found Synced. */
  readonly isSynced?: (key: ResourceKey) => boolean;
}

export type PlanOutcome =
  | { readonly kind: 'planned'; readonly tasks: readonly TaskState[] }
  | { readonly kind: 'refused'; readonly message: string; readonly retryable: boolean };

interface Draft extends Orderable {
  readonly task: TaskKind;
  readonly apiVersion: string;
  readonly key: ResourceKey;
  readonly desiredRef?: string;
  readonly live?: KubeObject;
  readonly skipped?: boolean;
}

export function planOperation(input: PlanInput): PlanOutcome {
  const { app, appName, operation, desired, live, inventory } = input;
  const settings = operationSyncSettings(operation.syncOptions);
  const destinationNamespace = app.spec.destination.namespace ?? '';

  const kept = desired.filter((d) => !isIgnored(d.obj));
  const hooks = kept.filter((d) => isHook(d.obj));
  const resources = kept.filter((d) => !isHook(d.obj));
  const wanted = new Set(kept.map((d) => keyString(keyOf(d.obj))));

  if (settings.failOnSharedResource) {
    for (const { obj } of resources) {
      const current = live.get(keyString(keyOf(obj)));
      const owner = current === undefined ? undefined : ownershipOf(current, appName);
      if (owner?.kind === 'foreign') {
        return {
          kind: 'refused',
          retryable: true,
          message: `Shared resource found: ${obj.kind}/${obj.metadata.name ?? ''} is part of applications ${qualifiedName(app)} and ${owner.app.replaceAll('_', '/')}`,
        };
      }
    }
  }

  const prunable: KubeObject[] = [];
  for (const item of inventory) {
    const id = keyString(item.key);
    if (wanted.has(id)) continue;
    const current = live.get(id);
    if (current === undefined || isHook(current)) continue;
    const owner = ownershipOf(current, appName).kind;
    if (owner === 'ours' || (owner === 'untracked' && !isCrd(current))) prunable.push(current);
  }

  const automated = app.spec.syncPolicy?.automated;
  if (operation.automated && operation.prune && automated?.allowEmpty !== true) {
    if (resources.length === 0 && prunable.length > 0) {
      return {
        kind: 'refused',
        retryable: false,
        message: `Skipping sync attempt to ${operation.revision}: auto-sync will wipe out all resources`,
      };
    }
  }

  const drafts: Draft[] = [];
  for (const { ref, obj } of resources) {
    const current = live.get(keyString(keyOf(obj)));
    const skipped =
      settings.applyOutOfSyncOnly && current !== undefined && input.isSynced?.(keyOf(obj)) === true;
    for (const phase of syncPhases(obj)) {
      drafts.push({
        ...draft('apply', phase, waveOf(obj), obj, obj, ref, current),
        ...(skipped ? { skipped } : {}),
      });
    }
  }
  for (const { ref, obj } of hooks) {
    for (const phase of syncPhases(obj)) {
      const name = hookInstanceName({
        hook: obj,
        phase,
        revision: operation.revision,
        attemptStartedAt: new Date(operation.attemptStartedAt),
      });
      const instance: KubeObject = { ...obj, metadata: { ...obj.metadata, name } };
      drafts.push(draft('hook', phase, waveOf(obj), instance, instance, ref));
    }
  }
  const prunes: Draft[] = [];
  for (const obj of prunable) {
    for (const phase of syncPhases(obj)) prunes.push(draft('prune', phase, waveOf(obj), undefined, obj));
  }
  const namespace = managedNamespaceTask(input, settings.createNamespace, destinationNamespace, kept);
  if (namespace !== undefined) drafts.push(namespace);

  const mirrored = reversedPruneWaves(prunes.map((p) => p.wave));
  for (const p of prunes) p.wave = mirrored.get(p.wave) ?? p.wave;
  drafts.push(...prunes);
  const lastSyncWave = Math.max(0, ...drafts.filter((d) => d.phase === 'Sync').map((d) => d.wave)) + 1;
  for (const p of prunes) if (pruneLastFor(settings, p.obj)) p.wave = lastSyncWave;

  const tasks = sortTasks(drafts).map(
    (d): TaskState => ({
      id: `${d.phase}/${d.wave}/${keyString(d.key)}`,
      kind: d.task,
      phase: d.phase,
      wave: d.wave,
      apiVersion: d.apiVersion,
      key: d.key,
      ...(d.desiredRef === undefined ? {} : { desiredRef: d.desiredRef }),
      ...(d.task === 'hook' ? { deletePolicies: hookDeletePolicies(d.obj) } : {}),
      ...(d.skipped === true
        ? { skipped: true, operation: 'Succeeded' as const, message: 'skipped (ApplyOutOfSyncOnly: in sync)' }
        : {}),
    }),
  );
  return { kind: 'planned', tasks };
}

function draft(
  task: TaskKind,
  phase: SyncPhase,
  wave: number,
  target: KubeObject | undefined,
  obj: KubeObject,
  desiredRef?: string,
  live?: KubeObject,
): Draft {
  return {
    task,
    phase,
    wave,
    obj,
    apiVersion: obj.apiVersion,
    key: keyOf(obj),
    ...(target === undefined ? {} : { target }),
    ...(desiredRef === undefined ? {} : { desiredRef }),
    ...(live === undefined ? {} : { live }),
  };
}

/**
 * CreateNamespace=true: the destination namespace is created (PreSync, wave 0) unless the app
 * renders it itself; with managedNamespaceMetadata its labels and annotations are kept applied.
 * Like Argo CD, the namespace gets no tracking id, so it is never pruned.
 */
function managedNamespaceTask(
  input: PlanInput,
  createNamespace: boolean,
  destinationNamespace: string,
  kept: readonly PreparedObject[],
): Draft | undefined {
  if (!createNamespace || destinationNamespace === '') return undefined;
  const rendersIt = kept.some(
    (d) =>
      d.obj.kind === 'Namespace' && d.obj.apiVersion === 'v1' && d.obj.metadata.name === destinationNamespace,
  );
  if (rendersIt) return undefined;
  const metadata = input.app.spec.syncPolicy?.managedNamespaceMetadata;
  if (input.destinationNamespaceLive !== undefined && metadata === undefined) return undefined;
  const target = managedNamespaceObject(destinationNamespace, metadata);
  return draft('namespace', 'PreSync', 0, target, target, `namespace:${destinationNamespace}`);
}

export function managedNamespaceObject(
  name: string,
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined,
): KubeObject {
  if (metadata === undefined) return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      ...(metadata.labels === undefined ? {} : { labels: { ...metadata.labels } }),
      annotations: { ...metadata.annotations, 'argocd.argoproj.io/sync-options': SSA_SYNC_OPTION },
    },
  };
}

/** `namespace/name`, or just the name for an Application without a namespace. */
export function qualifiedName(app: Application): string {
  const ns = app.metadata.namespace;
  return ns === undefined || ns === '' ? app.metadata.name : `${ns}/${app.metadata.name}`;
}
