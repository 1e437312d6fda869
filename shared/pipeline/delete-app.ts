/**
 * Deleting an Application, as Argo CD's deletion finalizers decide. With
 * `resources-finalizer.argocd.argoproj.io` every resource the app owns (its inventory: what its
 * last operation applied) is deleted in the reverse of sync order (highest wave first, then
 * kinds in reverse, so what lives in a namespace goes before the namespace) with foreground
 * propagation; the `/background` variant deletes with background propagation. Resources annotated
 * `argocd.argoproj.io/sync-options: Delete=false` (or `Prune=false`) stay. Without the finalizer
 * nothing in the cluster is touched, as `argocd app delete --cascade=false` leaves it.
 *
 * The plan reads each resource's annotations from the manifest stored at the last refresh, and
 * from the live object when none was stored.
 */
import { messageOf } from '../errors/index.js';
import type { Application } from '../model/argo-types.js';
import { type KubeObject, keyString } from '../model/kube-object.js';
import type { KubeClient } from '../ports/kube-client.js';
import type { StoredApplication } from '../state/index.js';
import {
  ANNOTATION_SYNC_OPTIONS,
  hasAnnotationOption,
  type InventoryItem,
  kindRank,
  waveOf,
} from '../sync/index.js';
import type { OperationRecord } from './operation-record.js';
import type { PipelineRuntime } from './runtime.js';

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
export const BACKGROUND_FINALIZER = `${RESOURCES_FINALIZER}/background`;

export type DeletionPropagation = 'Foreground' | 'Background';

/** One resource to delete, in the order the plan lists them. */
export interface DeletionTask {
  readonly item: InventoryItem;
  readonly propagation: DeletionPropagation;
}

export interface DeletionPlan {
  readonly cascade: boolean;
  readonly delete: readonly DeletionTask[];
  /** Kept because of Delete=false / Prune=false. */
  readonly kept: readonly InventoryItem[];
}

export interface PlanDeletionOptions {
  readonly app: Application;
  readonly inventory: readonly InventoryItem[];
  /** Manifests (stored desired, else live) by keyString of their key, for annotations and waves. */
  readonly manifests: ReadonlyMap<string, KubeObject>;
}

/** Pure: what deleting the app deletes, in order. */
export function planDeletion(options: PlanDeletionOptions): DeletionPlan {
  const finalizers = options.app.metadata.finalizers ?? [];
  const background = finalizers.includes(BACKGROUND_FINALIZER);
  const cascade = background || finalizers.includes(RESOURCES_FINALIZER);
  if (!cascade) return { cascade, delete: [], kept: [] };
  const kept: InventoryItem[] = [];
  const ordered: { item: InventoryItem; wave: number; rank: number; name: string }[] = [];
  for (const item of options.inventory) {
    const manifest = options.manifests.get(keyString(item.key));
    if (
      hasAnnotationOption(manifest, ANNOTATION_SYNC_OPTIONS, 'Delete=false') ||
      hasAnnotationOption(manifest, ANNOTATION_SYNC_OPTIONS, 'Prune=false')
    ) {
      kept.push(item);
      continue;
    }
    ordered.push({
      item,
      wave: manifest === undefined ? 0 : waveOf(manifest),
      rank: kindRank(item.key.kind),
      name: item.key.name,
    });
  }
  // The mirror image of sync order: last wave first, and within a wave the kinds backwards.
  ordered.sort(
    (a, b) => b.wave - a.wave || b.rank - a.rank || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0),
  );
  const propagation: DeletionPropagation = background ? 'Background' : 'Foreground';
  return { cascade, delete: ordered.map(({ item }) => ({ item, propagation })), kept };
}

export interface DeleteAppOutcome {
  readonly cascade: boolean;
  readonly deleted: number;
  readonly kept: number;
}

/** Deletes the app's resources as its finalizers say, then the app and everything stored of it. */
export async function deleteApp(
  runtime: PipelineRuntime,
  stored: StoredApplication,
): Promise<DeleteAppOutcome> {
  const { deps } = runtime;
  const app = stored.application;
  const inventory = (await deps.state.getOperation<OperationRecord>(stored.ref))?.operation.inventory ?? [];
  let outcome: DeleteAppOutcome = { cascade: false, deleted: 0, kept: 0 };
  const finalizers = app.metadata.finalizers ?? [];
  if (
    inventory.length > 0 &&
    (finalizers.includes(RESOURCES_FINALIZER) || finalizers.includes(BACKGROUND_FINALIZER))
  ) {
    const kube = await runtime.kubeFor(app);
    const manifests = await manifestsOf(runtime, stored, inventory, kube);
    const plan = planDeletion({ app, inventory, manifests });
    let deleted = 0;
    for (const task of plan.delete) {
      try {
        if (await kube.delete(task.item.apiVersion, task.item.key, { propagationPolicy: task.propagation }))
          deleted++;
      } catch (e) {
        deps.logger.warn('deleting a resource of a deleted app failed', {
          app: stored.ref.name,
          resource: `${task.item.key.kind}/${task.item.key.name}`,
          error: messageOf(e),
        });
        throw e;
      }
    }
    outcome = { cascade: true, deleted, kept: plan.kept.length };
  }
  await deps.state.deleteApplication({ ref: stored.ref });
  deps.logger.info('application deleted', {
    app: stored.ref.name,
    cascade: outcome.cascade,
    prunedResources: outcome.deleted,
    keptResources: outcome.kept,
  });
  return outcome;
}

async function manifestsOf(
  runtime: PipelineRuntime,
  stored: StoredApplication,
  inventory: readonly InventoryItem[],
  kube: KubeClient,
): Promise<Map<string, KubeObject>> {
  const manifests = new Map<string, KubeObject>();
  const resources = await runtime.deps.state.getResources(stored.ref);
  for (const r of resources.resources) {
    const manifest = r.desired ?? r.live;
    if (manifest !== undefined) manifests.set(keyString(r.key), manifest);
  }
  for (const item of inventory) {
    const key = keyString(item.key);
    if (manifests.has(key)) continue;
    const live = await kube.get(item.apiVersion, item.key).catch(() => undefined);
    if (live !== undefined) manifests.set(key, live);
  }
  return manifests;
}
