/**
 * Bringing the state table in line with the Argo CD objects: new Applications are created, changed
 * ones updated (and refreshed), removed ones deleted. Deleting an app deletes its cluster
 * resources only when it carries Argo CD's `resources-finalizer.argocd.argoproj.io` (cascade);
 * without it the resources stay where they are, as `argocd app delete --cascade=false` leaves them.
 */
import { canonicalJson } from '../compare/index.js';
import { messageOf } from '../errors/index.js';
import type { Application } from '../model/argo-types.js';
import { encodePipelineMessage, type RefreshMessage } from '../queue/index.js';
import type { AppRef, StoredApplication } from '../state/index.js';
import { appNameOf, nameOfRef } from './app-names.js';
import type { OperationRecord } from './operation-record.js';
import type { PipelineRuntime } from './runtime.js';

export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const BACKGROUND_FINALIZER = `${RESOURCES_FINALIZER}/background`;

export interface ReloadSummary {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
  /** Cluster objects deleted for apps with the resources finalizer. */
  readonly prunedResources: number;
}

export async function reloadConfig(runtime: PipelineRuntime): Promise<ReloadSummary> {
  const { deps } = runtime;
  const config = await runtime.reload();
  const stored = new Map<string, StoredApplication>();
  let cursor: string | undefined;
  do {
    const page = await deps.state.listApplications({
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const item of page.items) stored.set(nameOfRef(item.ref), item);
    cursor = page.cursor;
  } while (cursor !== undefined);

  const created: string[] = [];
  const updated: string[] = [];
  for (const app of config.applications) {
    const name = appNameOf(app);
    const before = stored.get(name);
    stored.delete(name);
    if (before === undefined) {
      await deps.state.putApplication({ application: app, status: { sync: { status: 'Unknown' } } });
      created.push(name);
    } else if (identity(before.application) !== identity(app)) {
      await deps.state.putApplication({
        application: app,
        status: before.status,
        expectedVersion: before.version,
      });
      updated.push(name);
    }
  }

  let prunedResources = 0;
  const deleted: string[] = [];
  for (const [name, gone] of stored) {
    prunedResources += await deleteApp(runtime, gone);
    deleted.push(name);
  }

  const receivedAt = deps.clock.now().toISOString();
  const refreshes: RefreshMessage[] = [...created, ...updated].map((app) => ({
    kind: 'refresh',
    app,
    reason: 'config-reload',
    receivedAt,
  }));
  for (let i = 0; i < refreshes.length; i += 10) {
    await deps.intake.send(refreshes.slice(i, i + 10).map((m) => encodePipelineMessage(m)));
  }
  deps.logger.info('configuration reloaded', {
    created: created.length,
    updated: updated.length,
    deleted: deleted.length,
    prunedResources,
  });
  return { created, updated, deleted, prunedResources };
}

/** What makes two versions of an Application the same for the pipeline. */
function identity(app: Application): string {
  const { labels, annotations, finalizers } = app.metadata;
  return canonicalJson({ spec: app.spec, labels, annotations, finalizers });
}

async function deleteApp(runtime: PipelineRuntime, stored: StoredApplication): Promise<number> {
  const { deps } = runtime;
  const app = stored.application;
  const finalizers = app.metadata.finalizers ?? [];
  const cascade = finalizers.includes(RESOURCES_FINALIZER) || finalizers.includes(BACKGROUND_FINALIZER);
  let pruned = 0;
  if (cascade)
    pruned = await deleteResources(runtime, stored.ref, app, finalizers.includes(BACKGROUND_FINALIZER));
  await deps.state.deleteApplication({ ref: stored.ref });
  deps.logger.info('application deleted', { app: stored.ref.name, cascade, prunedResources: pruned });
  return pruned;
}

async function deleteResources(
  runtime: PipelineRuntime,
  ref: AppRef,
  app: Application,
  background: boolean,
): Promise<number> {
  const { deps } = runtime;
  const inventory = (await deps.state.getOperation<OperationRecord>(ref))?.operation.inventory ?? [];
  if (inventory.length === 0) return 0;
  const kube = await runtime.kubeFor(app);
  let deleted = 0;
  // Reverse of the apply order, so what lives in a namespace goes before the namespace.
  for (const item of [...inventory].reverse()) {
    try {
      if (
        await kube.delete(item.apiVersion, item.key, {
          propagationPolicy: background ? 'Background' : 'Foreground',
        })
      ) {
        deleted++;
      }
    } catch (e) {
      deps.logger.warn('deleting a resource of a deleted app failed', {
        app: ref.name,
        resource: `${item.key.kind}/${item.key.name}`,
        error: messageOf(e),
      });
      throw e;
    }
  }
  return deleted;
}
