/**
 * The refresh Argo CD does for one Application: desired (prepared exactly as sync prepares it) and
 * live, resource by resource, then the app's sync status and health.
 *
 *   1. discovery: the scope of every kind (namespace defaulting needs it);
 *   2. prepareDesired (destination namespace, tracking id), as the sync step does, so that what
 *      compare calls Synced is what sync would leave alone;
 *   3. live: desired resources and inventory items, read by readLive (LISTs for groups, GETs for
 *      singletons); objects in those LISTs whose tracking id names this app count as the app's;
 *   4. predicted live for every desired object that exists: from the cache, else a server-side
 *      dry-run apply (field manager argocd-controller, force), then cached; when the dry run is
 *      refused the comparison falls back to desired fields and the resource says why;
 *   5. diffResource per resource; hooks (and Skip resources) are listed but never compared;
 *      objects the app owns but no longer renders are OutOfSync and require pruning, and only make
 *      the app OutOfSync without the IgnoreExtraneous compare option;
 *   6. health per live object and the app's aggregate.
 */
import { type DiffResult, diffResource, type IgnoreDifferences } from '../diff/index.js';
import { isDriftlessError, messageOf } from '../errors/index.js';
import {
  type AssessedResource,
  aggregateHealth,
  bundledResourceHealth,
  type HealthStatus,
} from '../health/index.js';
import type { Application } from '../model/argo-types.js';
import { type KubeObject, keyOf, keyString, type ResourceKey } from '../model/kube-object.js';
import type { KubeClient } from '../ports/kube-client.js';
import { isHook, isSkipped } from '../sync/hooks.js';
import { isCrd } from '../sync/kind-order.js';
import { type LiveTarget, readLive } from '../sync/live-reader.js';
import { type PreparedObject, prepareDesired } from '../sync/prepare.js';
import { runLimited } from '../sync/run-limited.js';
import { ignoresExtraneous } from '../sync/sync-options.js';
import { appInstanceName, ownershipOf } from '../sync/tracking.js';
import type { InventoryItem } from '../sync/types.js';
import { type PredictedCache, predictedCacheKey } from './predicted-cache.js';

export const COMPARE_FIELD_MANAGER = 'argocd-controller';

export interface CompareAppOptions {
  readonly app: Application;
  /** Rendered objects, as rendered: namespaces and tracking ids are added here. */
  readonly desired: readonly KubeObject[];
  readonly kube: KubeClient;
  /** What the app applied before; items it no longer renders require pruning. */
  readonly inventory?: readonly InventoryItem[];
  /** The app's rules and argocd-cm's (see ignoreDifferencesFor); default the app's own. */
  readonly ignore?: IgnoreDifferences;
  /** One cache per cluster; without it every existing resource costs a dry-run request. */
  readonly predictedCache?: PredictedCache;
  readonly fieldManager?: string;
  readonly controlNamespace?: string;
  /** See readLive; default 3. */
  readonly listThreshold?: number;
  readonly health?: (live: KubeObject) => HealthStatus | undefined;
}

/** Where the predicted live object came from; `none` when there was nothing to predict. */
export type Prediction = 'dry-run' | 'cached' | 'failed' | 'none';

export interface ResourceComparison {
  readonly key: ResourceKey;
  readonly apiVersion: string;
  readonly status: 'Synced' | 'OutOfSync';
  readonly requiresPruning: boolean;
  /** Health of the live object; Missing when there is none; absent for kinds without health. */
  readonly health?: HealthStatus;
  readonly changedPaths: readonly string[];
  /** A hook or a Skip resource: listed, never compared, never part of the sync status. */
  readonly hook?: boolean;
  /** Absent for hooks. */
  readonly diff?: DiffResult;
  readonly prediction: Prediction;
  /** Why the dry run was refused, when prediction is `failed` (desired fields were compared). */
  readonly predictionError?: string;
}

export interface CompareStats {
  readonly lists: number;
  readonly gets: number;
  readonly dryRuns: number;
  readonly cacheHits: number;
}

export interface AppComparison {
  readonly app: string;
  readonly syncStatus: 'Synced' | 'OutOfSync';
  /** Sorted by group, kind, namespace, name. */
  readonly resources: readonly ResourceComparison[];
  readonly health: HealthStatus;
  readonly stats: CompareStats;
}

export async function compareApp(options: CompareAppOptions): Promise<AppComparison> {
  const { app, kube } = options;
  const appName = appInstanceName(app, options.controlNamespace);
  const fieldManager = options.fieldManager ?? COMPARE_FIELD_MANAGER;
  const ignore = options.ignore ?? { application: app.spec.ignoreDifferences ?? [] };
  const health = options.health ?? ((live: KubeObject) => bundledResourceHealth(live));
  const inventory = options.inventory ?? [];

  const scopes = new Map<string, boolean | undefined>();
  for (const { apiVersion, kind } of options.desired) {
    const id = `${apiVersion}\n${kind}`;
    if (!scopes.has(id)) scopes.set(id, (await kube.resourceFor(apiVersion, kind))?.namespaced);
  }
  const prepared = prepareDesired({
    desired: options.desired,
    appName,
    destinationNamespace: app.spec.destination.namespace ?? '',
    isNamespaced: (apiVersion, kind) => scopes.get(`${apiVersion}\n${kind}`),
  });
  const compared = prepared.filter(({ obj }) => !isHook(obj) && !isSkipped(obj));
  const hooks = prepared.filter(({ obj }) => isHook(obj) || isSkipped(obj));

  const targets: LiveTarget[] = [
    ...compared.map(({ obj }) => ({ apiVersion: obj.apiVersion, key: keyOf(obj) })),
    ...inventory,
  ];
  const live = await readLive({
    kube,
    targets,
    ...(options.listThreshold === undefined ? {} : { listThreshold: options.listThreshold }),
  });

  const predictions = await predict({
    kube,
    compared,
    live: live.objects,
    fieldManager,
    ...(options.predictedCache === undefined ? {} : { cache: options.predictedCache }),
  });

  const resources: ResourceComparison[] = [];
  const assessed: AssessedResource[] = [];
  let outOfSync = false;
  const wanted = new Set(prepared.map(({ obj }) => keyString(keyOf(obj))));

  for (const { obj } of compared) {
    const key = keyOf(obj);
    const id = keyString(key);
    const current = live.objects.get(id);
    const prediction = predictions.get(id) ?? { kind: 'none' as const };
    const diff = diffResource({
      key,
      desired: obj,
      ...(current === undefined ? {} : { live: current }),
      ...(prediction.kind === 'dry-run' || prediction.kind === 'cached' ? { predicted: prediction.obj } : {}),
      ignore,
      fieldManager,
    });
    if (diff.status === 'OutOfSync') outOfSync = true;
    const resourceHealthStatus = current === undefined ? { status: 'Missing' as const } : health(current);
    assessed.push({
      key,
      ...(current === undefined ? {} : { live: current }),
      ...(resourceHealthStatus === undefined ? {} : { health: resourceHealthStatus }),
    });
    resources.push({
      key,
      apiVersion: obj.apiVersion,
      status: diff.status,
      requiresPruning: false,
      ...(resourceHealthStatus === undefined ? {} : { health: resourceHealthStatus }),
      changedPaths: diff.changedPaths,
      diff,
      prediction: prediction.kind,
      ...(prediction.kind === 'failed' ? { predictionError: prediction.message } : {}),
    });
  }

  for (const extra of extraneous({ appName, inventory, wanted, live: live.objects, listed: live.listed })) {
    const key = keyOf(extra);
    const diff = diffResource({ key, live: extra, ignore, fieldManager });
    if (!ignoresExtraneous(extra)) outOfSync = true;
    const h = health(extra);
    assessed.push({ key, live: extra, ...(h === undefined ? {} : { health: h }) });
    resources.push({
      key,
      apiVersion: extra.apiVersion,
      status: 'OutOfSync',
      requiresPruning: true,
      ...(h === undefined ? {} : { health: h }),
      changedPaths: [],
      diff,
      prediction: 'none',
    });
  }

  for (const { obj } of hooks) {
    const key = keyOf(obj);
    assessed.push({ key, hook: true });
    resources.push({
      key,
      apiVersion: obj.apiVersion,
      status: 'Synced',
      requiresPruning: false,
      changedPaths: [],
      hook: true,
      prediction: 'none',
    });
  }

  resources.sort((a, b) => compareKeys(a.key, b.key));
  let dryRuns = 0;
  let cacheHits = 0;
  for (const p of predictions.values()) {
    if (p.kind === 'cached') cacheHits++;
    else dryRuns++;
  }
  return {
    app: appName,
    syncStatus: outOfSync ? 'OutOfSync' : 'Synced',
    resources,
    health: aggregateHealth(assessed, {
      app: { name: app.metadata.name, namespace: app.metadata.namespace ?? '' },
    }),
    stats: { lists: live.lists, gets: live.gets, dryRuns, cacheHits },
  };
}

/** For ApplyOutOfSyncOnly=true: whether the comparison found a resource Synced. */
export function syncedKeys(comparison: AppComparison): (key: ResourceKey) => boolean {
  const synced = new Set(
    comparison.resources.filter((r) => r.status === 'Synced' && r.hook !== true).map((r) => keyString(r.key)),
  );
  return (key) => synced.has(keyString(key));
}

type PredictionOutcome =
  | { readonly kind: 'dry-run' | 'cached'; readonly obj: KubeObject }
  | { readonly kind: 'failed'; readonly message: string };

interface PredictOptions {
  readonly kube: KubeClient;
  readonly compared: readonly PreparedObject[];
  readonly live: ReadonlyMap<string, KubeObject>;
  readonly fieldManager: string;
  readonly cache?: PredictedCache;
}

/**
 * Predicted live objects for desired objects that exist. An object that does not exist yet is a
 * create whatever the server would add, so it costs no dry run. Throttling and server errors are
 * thrown (the refresh is retried); a refusal (a missing namespace, a validation error) is a result.
 */
async function predict(options: PredictOptions): Promise<Map<string, PredictionOutcome>> {
  const { kube, cache, fieldManager } = options;
  const outcomes = new Map<string, PredictionOutcome>();
  const work: Array<() => Promise<void>> = [];
  for (const { obj } of options.compared) {
    const id = keyString(keyOf(obj));
    const current = options.live.get(id);
    if (current === undefined) continue;
    work.push(async () => {
      const cacheKey = predictedCacheKey({
        desired: obj,
        fieldManager,
        ...(current.metadata.resourceVersion === undefined
          ? {}
          : { liveResourceVersion: current.metadata.resourceVersion }),
      });
      const hit = await cache?.get(cacheKey);
      if (hit !== undefined) {
        outcomes.set(id, { kind: 'cached', obj: hit });
        return;
      }
      try {
        const predicted = await kube.apply(obj, { fieldManager, force: true, dryRun: true });
        outcomes.set(id, { kind: 'dry-run', obj: predicted });
        await cache?.set(cacheKey, predicted);
      } catch (e) {
        if (isDriftlessError(e) && e.retryable) throw e;
        outcomes.set(id, { kind: 'failed', message: `server-side dry run refused: ${messageOf(e)}` });
      }
    });
  }
  await runLimited(work, 8);
  return outcomes;
}

interface ExtraneousOptions {
  readonly appName: string;
  readonly inventory: readonly InventoryItem[];
  readonly wanted: ReadonlySet<string>;
  readonly live: ReadonlyMap<string, KubeObject>;
  readonly listed: readonly KubeObject[];
}

/**
 * Live objects the app owns and no longer renders: inventory items whose live object is still the
 * app's (its tracking id, or no tracking id at all on a non-CRD, as sync's prune decides), and
 * objects found in the LISTs whose tracking id names this very app and object.
 */
function extraneous(options: ExtraneousOptions): KubeObject[] {
  const found = new Map<string, KubeObject>();
  for (const item of options.inventory) {
    const id = keyString(item.key);
    const current = options.live.get(id);
    if (options.wanted.has(id) || current === undefined || isHook(current)) continue;
    const owner = ownershipOf(current, options.appName).kind;
    if (owner === 'ours' || (owner === 'untracked' && !isCrd(current))) found.set(id, current);
  }
  for (const obj of options.listed) {
    const id = keyString(keyOf(obj));
    if (options.wanted.has(id) || found.has(id) || isHook(obj)) continue;
    if (ownershipOf(obj, options.appName).kind === 'ours') found.set(id, obj);
  }
  return [...found.values()];
}

function compareKeys(a: ResourceKey, b: ResourceKey): number {
  const x = keyString(a);
  const y = keyString(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
