/**
 * The webhook intake: verify, dedupe, route, queue — and answer. It never renders or syncs, so a
 * provider gets its answer in milliseconds whatever the apps behind the push cost.
 *
 * Routing needs the Applications, but loading all of them for every push does not scale, so the
 * request is decided twice: first with no apps (signature, event, 4xx answers), then with only the
 * apps stored for the pushed repository (or the one app a refresh request names).
 */
import { messageOf } from '../errors/index.js';
import type { Application, ApplicationSet } from '../model/argo-types.js';
import {
  applyPullRequestEvent,
  previewOf,
  repositoriesOfEvent,
  repositoryKey,
  repositoryOfEvent,
} from '../preview/index.js';
import { encodePipelineMessage, type RefreshMessage } from '../queue/index.js';
import {
  handleWebhook,
  type PullRequestEvent,
  type RepoEvent,
  type WebhookConfig,
  type WebhookDecision,
  type WebhookRequest,
} from '../webhook/index.js';
import { appNameOf, CONFIG_APP, refOfName } from './app-names.js';
import { appSetMessageApp, appSetsReadingPullRequests, appSetsReadingRepo } from './appset-routing.js';
import type { PipelineRuntime } from './runtime.js';

export interface WebhookAnswer {
  readonly status: number;
  readonly body: { readonly message: string };
  /** Apps a refresh was queued for. */
  readonly queued: readonly string[];
  readonly reloadConfig: boolean;
  /** ApplicationSets a reconcile was queued for (their generators read the repository). */
  readonly applicationSets?: readonly string[];
}

export async function acceptWebhook(
  runtime: PipelineRuntime,
  request: WebhookRequest,
): Promise<WebhookAnswer> {
  const { deps } = runtime;
  const config = await runtime.config();
  const base: WebhookConfig = {
    secrets: config.webhookSecrets,
    allowUnsigned: runtime.settings.allowUnsignedWebhooks,
    apps: [],
    ...(config.configSource === undefined ? {} : { configSource: config.configSource }),
  };
  const first = handleWebhook(request, base);
  if (first.event === undefined || (first.status !== 202 && first.status !== 404)) return answer(first, []);
  if (first.event.kind === 'pull-request') {
    return acceptPullRequest(runtime, first, first.event, config.applicationSets ?? []);
  }

  const apps = await candidateApps(runtime, first.event);
  const decision = handleWebhook(request, { ...base, apps });
  const appSets =
    decision.status === 202
      ? appSetsForEvent(config.applicationSets ?? [], first.event).map((s) => s.metadata.name)
      : [];
  if (
    decision.status !== 202 ||
    (decision.refresh.length === 0 && !decision.reloadConfig && appSets.length === 0)
  ) {
    return answer(decision, []);
  }
  if (await isDuplicate(runtime, decision)) {
    return { status: 200, body: { message: 'duplicate delivery' }, queued: [], reloadConfig: false };
  }
  await queueAppSets(runtime, appSets, decision);
  const messages: RefreshMessage[] = decision.refresh.map((target) => ({
    kind: 'refresh',
    app: target.app,
    reason: 'webhook',
    revision: target.revision,
    receivedAt: decision.receivedAt,
    ...(decision.deliveryId === undefined ? {} : { deliveryId: decision.deliveryId }),
  }));
  // Queued in batches of ten, the most SQS takes per request.
  for (let i = 0; i < messages.length; i += 10) {
    await deps.intake.send(messages.slice(i, i + 10).map((m) => encodePipelineMessage(m)));
  }
  if (decision.reloadConfig) {
    await deps.intake.send([
      encodePipelineMessage({
        kind: 'refresh',
        app: CONFIG_APP,
        reason: 'config-reload',
        receivedAt: decision.receivedAt,
        ...(decision.deliveryId === undefined ? {} : { deliveryId: decision.deliveryId }),
      }),
    ]);
  }
  deps.logger.info('webhook routed', {
    provider: decision.provider,
    deliveryId: decision.deliveryId,
    apps: messages.length,
    reloadConfig: decision.reloadConfig,
  });
  return {
    ...answer(
      decision,
      messages.map((m) => m.app),
    ),
    ...(appSets.length === 0 ? {} : { applicationSets: appSets }),
  };
}

/**
 * A pull request event feeds the pull request generators: it is recorded in the store, then the
 * ApplicationSets that read its repository are reconciled by the worker straight away, so a
 * preview appears (or goes) within the webhook's processing, with no polling of the provider.
 */
async function acceptPullRequest(
  runtime: PipelineRuntime,
  decision: WebhookDecision,
  event: PullRequestEvent,
  all: readonly ApplicationSet[],
): Promise<WebhookAnswer> {
  const repository = repositoryOfEvent(event);
  // A generator may name the repository by path or (GitLab) by numeric project id.
  const names = new Set(
    repositoriesOfEvent(event).flatMap((key) =>
      appSetsReadingPullRequests(all, key).map((s) => s.metadata.name),
    ),
  );
  const appSets = [...names];
  if (appSets.length === 0) {
    return {
      status: 202,
      body: { message: `pull request ${repository.repository}#${event.number}: no ApplicationSet reads it` },
      queued: [],
      reloadConfig: false,
    };
  }
  if (await isDuplicate(runtime, decision)) {
    return { status: 200, body: { message: 'duplicate delivery' }, queued: [], reloadConfig: false };
  }
  const change = await applyPullRequestEvent({
    store: runtime.pullRequests,
    event,
    at: new Date(decision.receivedAt),
  });
  if (change === 'recorded' || change === 'closed') await queueAppSets(runtime, appSets, decision);
  // A new head leaves the generated Application as it was (its targetRevision is the pull
  // request's ref), so the previews are refreshed here to pick up the commit now behind the ref.
  if (change === 'recorded')
    await queuePreviewRefreshes(runtime, repositoryKey(repository), event.number, decision);
  runtime.deps.logger.info('pull request recorded', {
    repository: repository.repository,
    number: event.number,
    action: event.action,
    change,
    applicationSets: appSets,
  });
  return {
    status: 202,
    body: { message: `pull request ${repository.repository}#${event.number} ${event.action}: ${change}` },
    queued: [],
    reloadConfig: false,
    ...(change === 'recorded' || change === 'closed' ? { applicationSets: appSets } : {}),
  };
}

function appSetsForEvent(all: readonly ApplicationSet[], event: RepoEvent): ApplicationSet[] {
  switch (event.kind) {
    case 'push':
    case 'ref-change':
      return appSetsReadingRepo(all, event.repo.webURL);
    case 'refresh-repo':
      return appSetsReadingRepo(all, event.repoURL);
    default:
      return [];
  }
}

async function isDuplicate(runtime: PipelineRuntime, decision: WebhookDecision): Promise<boolean> {
  if (decision.deliveryId === undefined || decision.provider === undefined) return false;
  const seen = await runtime.deps.state.recordDelivery({ id: `${decision.provider}:${decision.deliveryId}` });
  return seen === 'duplicate';
}

async function queueAppSets(
  runtime: PipelineRuntime,
  names: readonly string[],
  decision: WebhookDecision,
): Promise<void> {
  const messages = names.map((name) =>
    encodePipelineMessage({
      kind: 'refresh',
      app: appSetMessageApp(name),
      reason: 'webhook',
      receivedAt: decision.receivedAt,
      ...(decision.deliveryId === undefined ? {} : { deliveryId: decision.deliveryId }),
    }),
  );
  for (let i = 0; i < messages.length; i += 10) await runtime.deps.intake.send(messages.slice(i, i + 10));
}

async function queuePreviewRefreshes(
  runtime: PipelineRuntime,
  repository: string,
  number: number,
  decision: WebhookDecision,
): Promise<void> {
  const apps: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await runtime.deps.state.listApplications({
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const stored of page.items) {
      const preview = previewOf(stored.application);
      if (preview?.number === number && repositoryKey(preview.repository) === repository) {
        apps.push(appNameOf(stored.application));
      }
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
  const messages = apps.map((app) =>
    encodePipelineMessage({
      kind: 'refresh',
      app,
      reason: 'webhook',
      receivedAt: decision.receivedAt,
      ...(decision.deliveryId === undefined ? {} : { deliveryId: decision.deliveryId }),
    }),
  );
  for (let i = 0; i < messages.length; i += 10) await runtime.deps.intake.send(messages.slice(i, i + 10));
}

function answer(decision: WebhookDecision, queued: readonly string[]): WebhookAnswer {
  return { status: decision.status, body: decision.body, queued, reloadConfig: decision.reloadConfig };
}

async function candidateApps(runtime: PipelineRuntime, event: RepoEvent): Promise<Application[]> {
  const { state } = runtime.deps;
  try {
    switch (event.kind) {
      case 'refresh-app': {
        const stored = await state.getApplication(refOfName(event.app));
        return stored === undefined ? [] : [named(stored.application)];
      }
      case 'push':
        return (await state.listByRepo(event.repo.webURL)).map((s) => named(s.application));
      case 'refresh-repo':
        return (await state.listByRepo(event.repoURL)).map((s) => named(s.application));
      default:
        return [];
    }
  } catch (e) {
    runtime.deps.logger.error('listing applications for a webhook failed', { error: messageOf(e) });
    throw e;
  }
}

/**
 * Routing reports `metadata.name`; apps outside the control namespace are queued by
 * `namespace/name`, so the name the router sees is that one.
 */
function named(app: Application): Application {
  const name = appNameOf(app);
  if (name === app.metadata.name) return app;
  return { ...app, metadata: { ...app.metadata, name } };
}
