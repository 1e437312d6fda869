/**
 * One refresh, Argo CD's reconciliation of an app: render desired state from git, compare it with
 * the cluster, then store per-resource state (desired, live, status, drifted fields) and the app's
 * sync status and health. Rendering and comparing never write to the cluster.
 */
import {
  type AppComparison,
  compareApp,
  ignoreDifferencesFor,
  settingsIgnoreDifferences,
} from '../compare/index.js';
import { type RenderedApplication, renderApplication } from '../desired/index.js';
import type { IgnoreDifferences } from '../diff/index.js';
import type { Application } from '../model/argo-types.js';
import { MetricDimension, MetricName } from '../observe/index.js';
import type { KubeClient } from '../ports/kube-client.js';
import type { AppRef, ResourceState } from '../state/index.js';
import type { InventoryItem } from '../sync/index.js';
import { changeStatus, withCondition } from './app-status.js';
import type { PipelineRuntime } from './runtime.js';

export interface RenderOptions {
  readonly runtime: PipelineRuntime;
  readonly app: Application;
  /** A commit to render instead of each source's targetRevision (resuming an operation). */
  readonly revision?: string;
}

export async function renderDesired({ runtime, app, revision }: RenderOptions): Promise<RenderedApplication> {
  const { deps } = runtime;
  const rendered = await renderApplication({
    app,
    git: await runtime.git(),
    tools: deps.tools,
    ...(deps.renderCache === undefined ? {} : { cache: deps.renderCache }),
    ...(revision === undefined ? {} : { revision }),
  });
  for (const source of rendered.sources) {
    deps.metrics.timing(MetricName.RenderDuration, source.durationMs, {
      [MetricDimension.SourceType]: source.sourceType,
    });
  }
  return rendered;
}

export async function ignoreFor(runtime: PipelineRuntime, app: Application): Promise<IgnoreDifferences> {
  const { settings } = await runtime.config();
  return ignoreDifferencesFor({ app, ...(settings === undefined ? {} : { settings }) });
}

export { settingsIgnoreDifferences };

export interface CompareOptions {
  readonly runtime: PipelineRuntime;
  readonly ref: AppRef;
  readonly app: Application;
  readonly rendered: RenderedApplication;
  readonly kube: KubeClient;
  readonly inventory: readonly InventoryItem[];
}

/** Compares and records the outcome; returns the comparison for the auto-sync decision. */
export async function compareAndRecord(options: CompareOptions): Promise<AppComparison> {
  const { runtime, ref, app, rendered, kube } = options;
  const { deps } = runtime;
  const comparison = await compareApp({
    app,
    desired: rendered.objects,
    kube,
    inventory: options.inventory,
    ignore: await ignoreFor(runtime, app),
    predictedCache: runtime.predictedCacheFor(kube),
  });
  const resources: ResourceState[] = comparison.resources.map((r) => ({
    key: r.key,
    ...(r.diff?.normalizedDesired === undefined ? {} : { desired: r.diff.normalizedDesired }),
    ...(r.diff?.normalizedLive === undefined ? {} : { live: r.diff.normalizedLive }),
    syncStatus: r.status,
    ...(r.health === undefined ? {} : { health: r.health }),
    ...(r.changedPaths.length === 0 ? {} : { driftedFields: r.changedPaths }),
  }));
  await deps.state.putResources({ app: ref, resources });
  const drifted = comparison.resources.filter((r) => r.status === 'OutOfSync' && r.hook !== true).length;
  deps.metrics.gauge(MetricName.DriftedResources, drifted, { [MetricDimension.App]: comparison.app });
  const now = deps.clock.now();
  await changeStatus(deps.state, ref, (status) => {
    const { lastError: _e, ...rest } = withCondition(status, 'ComparisonError', undefined, now);
    return {
      ...rest,
      sync: {
        status: comparison.syncStatus,
        ...(rendered.revisions[0] ? { revision: rendered.revisions[0] } : {}),
      },
      health: comparison.health,
      reconciledAt: now.toISOString(),
    };
  });
  return comparison;
}

/** A refresh that cannot complete for a reason retrying will not fix (a bad manifest, a policy). */
export async function recordComparisonError(
  runtime: PipelineRuntime,
  ref: AppRef,
  message: string,
): Promise<void> {
  const now = runtime.deps.clock.now();
  await changeStatus(runtime.deps.state, ref, (status) => ({
    ...withCondition(status, 'ComparisonError', message, now),
    sync: { status: 'Unknown', ...(status.sync?.revision ? { revision: status.sync.revision } : {}) },
    reconciledAt: now.toISOString(),
  }));
}
