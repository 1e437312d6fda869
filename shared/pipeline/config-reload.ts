/**
 * Bringing the state table in line with the Argo CD objects: new Applications are created, changed
 * ones updated (and refreshed), removed ones deleted. Deleting an app deletes its cluster
 * resources only when it carries Argo CD's `resources-finalizer.argocd.argoproj.io` (cascade);
 * without it the resources stay where they are, as `argocd app delete --cascade=false` leaves them.
 */
import { isOwnedBy } from '../appset/index.js';
import { canonicalJson } from '../compare/index.js';
import type { Application } from '../model/argo-types.js';
import { encodePipelineMessage, type RefreshMessage } from '../queue/index.js';
import type { StoredApplication } from '../state/index.js';
import { appNameOf, nameOfRef } from './app-names.js';
import { type AppSetOutcome, reconcileApplicationSets } from './appset-sync.js';
import { deleteApp } from './delete-app.js';
import type { PipelineRuntime } from './runtime.js';

export interface ReloadSummary {
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly deleted: readonly string[];
  /** Cluster objects deleted for apps with the resources finalizer. */
  readonly prunedResources: number;
  /** What each ApplicationSet's reconcile did after the reload. */
  readonly applicationSets: readonly AppSetOutcome[];
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
  const appSets = config.applicationSets ?? [];
  for (const [name, gone] of stored) {
    // Generated Applications belong to their ApplicationSet's reconcile while it exists; when it
    // is gone they go too, as Kubernetes' garbage collector removes what an owner leaves.
    if (appSets.some((s) => isOwnedBy(gone.application, s))) continue;
    prunedResources += (await deleteApp(runtime, gone)).deleted;
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
  const applicationSets = await reconcileApplicationSets(runtime, { reason: 'config-reload' });
  deps.logger.info('configuration reloaded', {
    created: created.length,
    updated: updated.length,
    deleted: deleted.length,
    prunedResources,
    applicationSets: applicationSets.length,
  });
  return { created, updated, deleted, prunedResources, applicationSets };
}

/** What makes two versions of an Application the same for the pipeline. */
function identity(app: Application): string {
  const { labels, annotations, finalizers } = app.metadata;
  return canonicalJson({ spec: app.spec, labels, annotations, finalizers });
}
