/**
 * The ApplicationSet controller's loop, run on demand: on a config reload, a push to a repository
 * a git generator reads, a pull request event, and every drift-scan tick. For one
 * ApplicationSet: generate (git, branches, declared clusters, the open pull requests minus the
 * expired ones) → stamp previews → reconcileGenerated against the stored Applications under
 * `syncPolicy.applicationsSync` → create and update in the state table and queue their refresh;
 * delete what is no longer generated (resources pruned per the finalizers; a preview's
 * namespace goes too) → store the ApplicationSet's status item (Argo CD's conditions, the generated
 * apps, the time) in the state table, so every worker and the API see the same status. A generator
 * error changes nothing: the error is kept as the `ErrorOccurred` condition and every Application
 * stays as it is. An ApplicationSet gone from the configuration loses its status item.
 */
import {
  type DeclaredCluster,
  type GeneratorSources,
  generateApplications,
  isOwnedBy,
  reconcileGenerated,
} from '../appset/index.js';
import { isDriftlessError, messageOf } from '../errors/index.js';
import type { Application, ApplicationSet } from '../model/argo-types.js';
import { markPreview, previewOf, previewTtlMs, unexpiredPullRequests } from '../preview/index.js';
import { encodePipelineMessage, type RefreshMessage, type RefreshReason } from '../queue/index.js';
import type { AppSetConditionRecord, AppSetStatusRecord, StoredApplication } from '../state/index.js';
import { appNameOf } from './app-names.js';
import { deleteApp } from './delete-app.js';
import type { PipelineRuntime } from './runtime.js';

export type AppSetConditionType = 'ErrorOccurred' | 'ParametersGenerated' | 'ResourcesUpToDate';

/** A condition as this module decides it; the transition time comes from the stored status. */
interface ConditionVerdict {
  readonly type: AppSetConditionType;
  readonly on: boolean;
  readonly reason: string;
  readonly message: string;
}

const GENERATED = 'Successfully generated parameters for all Applications';
export type AppSetOutcome =
  | {
      readonly kind: 'reconciled';
      readonly name: string;
      readonly created: readonly string[];
      readonly updated: readonly string[];
      readonly deleted: readonly string[];
      readonly conflicts: readonly string[];
    }
  | { readonly kind: 'error'; readonly name: string; readonly message: string }
  | { readonly kind: 'gone'; readonly name: string };

export interface ReconcileAppSetsOptions {
  /** Only these ApplicationSets; default all of the configuration. */
  readonly names?: readonly string[];
  readonly reason: RefreshReason;
}

export async function reconcileApplicationSets(
  runtime: PipelineRuntime,
  options: ReconcileAppSetsOptions,
): Promise<readonly AppSetOutcome[]> {
  const config = await runtime.config();
  const all = config.applicationSets ?? [];
  const selected =
    options.names === undefined ? all : all.filter((s) => options.names?.includes(s.metadata.name));
  const outcomes: AppSetOutcome[] = (options.names ?? [])
    .filter((n) => !all.some((s) => s.metadata.name === n))
    .map((name) => ({ kind: 'gone', name }));
  for (const gone of outcomes) await runtime.deps.state.deleteAppSetStatus({ name: gone.name });
  if (selected.length === 0) return outcomes;
  const stored = await storedApplications(runtime);
  for (const appSet of selected) {
    outcomes.push(await reconcileOne(runtime, appSet, stored, options.reason));
  }
  return outcomes;
}

async function reconcileOne(
  runtime: PipelineRuntime,
  appSet: ApplicationSet,
  stored: readonly StoredApplication[],
  reason: RefreshReason,
): Promise<AppSetOutcome> {
  const { deps } = runtime;
  const name = appSet.metadata.name;
  const now = deps.clock.now();
  let sources: GeneratorSources;
  try {
    sources = await sourcesFor(runtime, appSet, now);
  } catch (e) {
    return failed(runtime, appSet, messageOf(e), stored);
  }
  const generated = await generateApplications({ appSet, sources });
  if (generated.kind === 'error') return failed(runtime, appSet, generated.error.message, stored);

  const plan = reconcileGenerated({
    appSet,
    existing: stored.map((s) => s.application),
    generated: generated.applications.map((app) => markPreview(appSet, app)),
  });
  const byName = new Map(stored.map((s) => [s.application.metadata.name, s]));
  const created: string[] = [];
  const updated: string[] = [];
  const deleted: string[] = [];
  for (const app of plan.create) {
    try {
      await deps.state.putApplication({ application: app, status: { sync: { status: 'Unknown' } } });
      created.push(appNameOf(app));
    } catch (e) {
      // Another worker created it first: the next reconcile compares against it.
      if (!isDriftlessError(e, 'STATE_CONFLICT')) throw e;
    }
  }
  for (const app of plan.update) {
    const before = byName.get(app.metadata.name);
    if (before === undefined) continue;
    await deps.state.putApplication({
      application: app,
      status: before.status,
      expectedVersion: before.version,
    });
    updated.push(appNameOf(app));
  }
  for (const app of plan.delete) {
    const before = byName.get(app.metadata.name);
    if (before === undefined) continue;
    const outcome = await deleteApp(runtime, { ...before, application: app });
    if (outcome.cascade) await deletePreviewNamespace(runtime, app);
    deleted.push(appNameOf(app));
  }
  await queueRefreshes(runtime, [...created, ...updated], reason);
  const conflicts = plan.conflicts.map((c) => c.message);
  const kept = [...plan.keep, ...plan.update, ...plan.create].map((a) => appNameOf(a));
  await recordStatus(runtime, appSet, kept, [
    conflicts.length > 0
      ? { type: 'ErrorOccurred', on: true, reason: 'CreateApplicationError', message: conflicts.join('; ') }
      : { type: 'ErrorOccurred', on: false, reason: 'ApplicationSetUpToDate', message: GENERATED },
    { type: 'ParametersGenerated', on: true, reason: 'ParametersGenerated', message: GENERATED },
    conflicts.length > 0
      ? {
          type: 'ResourcesUpToDate',
          on: false,
          reason: 'CreateApplicationError',
          message: 'some applications could not be written',
        }
      : {
          type: 'ResourcesUpToDate',
          on: true,
          reason: 'ApplicationSetUpToDate',
          message: 'All applications have been generated successfully',
        },
  ]);
  deps.logger.info('applicationset reconciled', {
    applicationSet: name,
    created: created.length,
    updated: updated.length,
    deleted: deleted.length,
    conflicts: conflicts.length,
  });
  return { kind: 'reconciled', name, created, updated, deleted, conflicts };
}

async function sourcesFor(
  runtime: PipelineRuntime,
  appSet: ApplicationSet,
  now: Date,
): Promise<GeneratorSources> {
  const config = await runtime.config();
  const git = await runtime.git();
  const clusters: DeclaredCluster[] = config.clusters.map((c) => ({
    name: c.name,
    server: c.server,
    labels: {},
    annotations: {},
    ...declaredMetadata(c),
  }));
  const inCluster = config.settings?.raw['cluster.inClusterEnabled'];
  const lister = git as Partial<{ listBranches(repoURL: string): Promise<readonly string[]> }>;
  return {
    git,
    ...(typeof lister.listBranches === 'function'
      ? { branches: { listBranches: (repoURL: string) => lister.listBranches!.call(git, repoURL) } }
      : {}),
    clusters,
    inClusterEnabled: inCluster !== 'false',
    pullRequests: unexpiredPullRequests({
      store: runtime.pullRequests,
      ttlMs: previewTtlMs(appSet, runtime.settings.previewTtlSeconds),
      now,
    }),
  };
}

function declaredMetadata(cluster: object): Partial<Pick<DeclaredCluster, 'labels' | 'annotations'>> {
  const c = cluster as { labels?: Record<string, string>; annotations?: Record<string, string> };
  return {
    ...(c.labels ? { labels: { ...c.labels } } : {}),
    ...(c.annotations ? { annotations: { ...c.annotations } } : {}),
  };
}

/**
 * A preview lives in a namespace made for it (`CreateNamespace=true`); Argo CD never deletes such
 * a namespace, but a closed pull request should leave nothing behind, so it goes with the app.
 */
async function deletePreviewNamespace(runtime: PipelineRuntime, app: Application): Promise<void> {
  const namespace = app.spec.destination.namespace;
  const createsNamespace = (app.spec.syncPolicy?.syncOptions ?? []).includes('CreateNamespace=true');
  if (previewOf(app) === undefined || !namespace || !createsNamespace) return;
  const kube = await runtime.kubeFor(app);
  await kube.delete(
    'v1',
    { group: '', kind: 'Namespace', namespace: '', name: namespace },
    { propagationPolicy: 'Foreground' },
  );
}

async function queueRefreshes(
  runtime: PipelineRuntime,
  apps: readonly string[],
  reason: RefreshReason,
): Promise<void> {
  const receivedAt = runtime.deps.clock.now().toISOString();
  const messages: RefreshMessage[] = apps.map((app) => ({ kind: 'refresh', app, reason, receivedAt }));
  for (let i = 0; i < messages.length; i += 10) {
    await runtime.deps.intake.send(messages.slice(i, i + 10).map((m) => encodePipelineMessage(m)));
  }
}

async function failed(
  runtime: PipelineRuntime,
  appSet: ApplicationSet,
  message: string,
  stored: readonly StoredApplication[],
): Promise<AppSetOutcome> {
  const name = appSet.metadata.name;
  const owned = stored.filter((s) => isOwnedBy(s.application, appSet)).map((s) => appNameOf(s.application));
  await recordStatus(runtime, appSet, owned, [
    { type: 'ErrorOccurred', on: true, reason: 'ApplicationParamsGenerationError', message },
    { type: 'ParametersGenerated', on: false, reason: 'ErrorOccurred', message },
    {
      type: 'ResourcesUpToDate',
      on: false,
      reason: 'ErrorOccurred',
      message: 'generation failed; existing applications left as they are',
    },
  ]);
  runtime.deps.logger.warn('applicationset generation failed; nothing changed', {
    applicationSet: name,
    error: message,
  });
  return { kind: 'error', name, message };
}

/**
 * Writes the status item conditionally on the version read; a condition keeps its transition time
 * while its status stays. Reconciles of one ApplicationSet share its queue group, so a lost race
 * is rare: it is read again and retried once, then left to the next reconcile.
 */
async function recordStatus(
  runtime: PipelineRuntime,
  appSet: ApplicationSet,
  applications: readonly string[],
  verdicts: readonly ConditionVerdict[],
): Promise<void> {
  const { state, clock, logger } = runtime.deps;
  const name = appSet.metadata.name;
  const now = clock.now().toISOString();
  for (let attempt = 1; ; attempt++) {
    const previous = await state.getAppSetStatus(name);
    const status: AppSetStatusRecord = {
      conditions: verdicts.map((v) => conditionOf(v, previous?.status, now)),
      applications: [...applications].sort(),
      reconciledAt: now,
    };
    try {
      await state.putAppSetStatus({
        name,
        applicationSet: {
          apiVersion: appSet.apiVersion,
          kind: appSet.kind,
          metadata: appSet.metadata,
          spec: appSet.spec,
        },
        status,
        ...(previous === undefined ? {} : { expectedVersion: previous.version }),
      });
      return;
    } catch (e) {
      if (!isDriftlessError(e, 'STATE_CONFLICT')) throw e;
      if (attempt >= 2) {
        logger.warn('applicationset status changed meanwhile; the next reconcile records it', {
          applicationSet: name,
          error: messageOf(e),
        });
        return;
      }
    }
  }
}

function conditionOf(
  verdict: ConditionVerdict,
  previous: AppSetStatusRecord | undefined,
  now: string,
): AppSetConditionRecord {
  const status = verdict.on ? 'True' : 'False';
  const before = previous?.conditions.find((c) => c.type === verdict.type);
  const lastTransitionTime =
    before !== undefined && before.status === status ? before.lastTransitionTime : now;
  return { type: verdict.type, status, reason: verdict.reason, message: verdict.message, lastTransitionTime };
}

async function storedApplications(runtime: PipelineRuntime): Promise<StoredApplication[]> {
  const items: StoredApplication[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.deps.state.listApplications({
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
}
