/**
 * What follows a refresh beyond the app itself: a preview reports how its sync ended as a commit
 * status on the pull request's head commit (once per finished operation), and an app with a
 * promotion rule that is Synced and Healthy after a successful operation promotes the next
 * environment by a commit to the config repository, then reloads the configuration. An app still
 * Progressing after a successful operation is refreshed again until its rollout settles, so its
 * health, and a promotion that waits for Healthy, follow the rollout. None of these may
 * fail the message that ran the sync: failures are logged, and a failed promotion is kept as the
 * app's `PromotionError` condition.
 */
import type { AppComparison } from '../compare/index.js';
import { messageOf } from '../errors/index.js';
import type { Application } from '../model/argo-types.js';
import { type CommitState, PREVIEW_STATUS_CONTEXT, previewOf } from '../preview/index.js';
import {
  imageText,
  kustomizationImages,
  promote,
  promotedRevision,
  promoteImages,
  promotionRuleOf,
  readKustomization,
} from '../promote/index.js';
import { encodePipelineMessage } from '../queue/index.js';
import type { AppRef } from '../state/index.js';
import { appNameOf, CONFIG_APP } from './app-names.js';
import { changeStatus, withCondition } from './app-status.js';
import type { PlatformConfig } from './deps.js';
import type { OperationRecord } from './operation-record.js';
import type { PipelineRuntime } from './runtime.js';

export interface AfterSyncOptions {
  readonly runtime: PipelineRuntime;
  readonly ref: AppRef;
  readonly app: Application;
  readonly comparison: AppComparison;
  /** The app's last operation, if any. */
  readonly last?: OperationRecord;
  /** True right after that operation finished (the one refresh that follows it). */
  readonly justFinished: boolean;
  /** The refresh is a `follow-up` of the app's last operation, so its series may go on. */
  readonly followsUp?: boolean;
}

const COMMIT_STATE: Readonly<Record<string, CommitState>> = {
  Succeeded: 'success',
  Failed: 'failure',
  Error: 'error',
};

export async function afterSync(options: AfterSyncOptions): Promise<void> {
  if (options.justFinished) await reportPreview(options);
  const watching = options.justFinished || options.followsUp === true;
  if (watching && syncedAfter(options) && options.comparison.health.status === 'Progressing')
    await lookAgainLater(options);
  await promoteNext(options);
}

/** The app's last operation succeeded and what it applied is still what git wants. */
function syncedAfter({ last, comparison }: AfterSyncOptions): boolean {
  return last?.phase === 'Succeeded' && comparison.resources.length > 0 && comparison.syncStatus === 'Synced';
}

async function reportPreview(options: AfterSyncOptions): Promise<void> {
  const { runtime, app, last } = options;
  const reporter = runtime.deps.commitStatus;
  const preview = previewOf(app);
  const state = last === undefined ? undefined : COMMIT_STATE[last.phase];
  if (reporter === undefined || preview === undefined || last === undefined || state === undefined) return;
  const name = appNameOf(app);
  const base = (await runtime.config()).settings?.url;
  try {
    await reporter.report({
      repository: preview.repository,
      sha: last.revision,
      state,
      context: PREVIEW_STATUS_CONTEXT,
      description: `${name}: sync ${last.phase}${last.message ? `: ${last.message}` : ''}`,
      ...(base ? { targetUrl: `${base.replace(/\/+$/, '')}/applications/${name}` } : {}),
    });
  } catch (e) {
    runtime.deps.logger.warn('posting the preview commit status failed', { app: name, error: messageOf(e) });
  }
}

async function promoteNext(options: AfterSyncOptions): Promise<void> {
  const { runtime, ref, app, comparison, last } = options;
  const { deps } = runtime;
  const now = deps.clock.now();
  let rule: ReturnType<typeof promotionRuleOf>;
  try {
    rule = promotionRuleOf(app);
  } catch (e) {
    await changeStatus(deps.state, ref, (s) => withCondition(s, 'PromotionError', messageOf(e), now));
    return;
  }
  if (rule === undefined || last === undefined || last.phase !== 'Succeeded') return;
  if (!syncedAfter(options) || comparison.health.status !== 'Healthy') return;
  const config = await runtime.config();
  let target = '';
  try {
    const step =
      rule.field === 'image'
        ? await promoteImageStep({ runtime, app, config, to: rule.to, synced: last.revision })
        : await promoteRevisionStep({ runtime, app, config, to: rule.to, synced: last.revision });
    target = step.target;
    const done = `${rule.to} ${rule.field} ${step.target}`;
    const stored = await deps.state.getApplication(ref);
    if (stored?.status.conditions?.some((c) => c.type === 'Promoted' && c.message === done)) return;
    const result = await step.run(
      `promote ${rule.to}: ${rule.field} -> ${step.target} (${rule.from} is Synced and Healthy at ${last.revision.slice(0, 7)})`,
    );
    deps.logger.info('promotion', {
      from: rule.from,
      to: rule.to,
      target: step.target,
      outcome: result.kind,
      ...(result.kind === 'committed' ? { commit: result.commit } : {}),
    });
    await changeStatus(deps.state, ref, (s) =>
      withCondition(withCondition(s, 'PromotionError', undefined, now), 'Promoted', done, now),
    );
    if (result.kind === 'committed') {
      // The repository's own webhook would do this too; this does not wait for it.
      await deps.intake.send([
        encodePipelineMessage({
          kind: 'refresh',
          app: step.refresh,
          reason: step.refresh === CONFIG_APP ? 'config-reload' : 'manual',
          receivedAt: now.toISOString(),
          deliveryId: `promote-${result.commit}`,
        }),
      ]);
    }
  } catch (e) {
    const message = `promote ${rule.to}${target ? ` to ${target}` : ''}: ${messageOf(e)}`;
    deps.logger.warn('promotion failed', { from: rule.from, to: rule.to, error: message });
    await changeStatus(deps.state, ref, (s) => withCondition(s, 'PromotionError', message, now));
  }
}

/** How long after an operation a rollout is watched: a Deployment's default progress deadline. */
const WATCH_SECONDS = 600;
const MAX_LOOK_AGAIN_SECONDS = 60;

/**
 * An operation ends once its last wave is applied, often while a Deployment still rolls out, and
 * nothing refreshes the app when the rollout ends (Argo CD's controller watches the cluster; here
 * only the drift scan would, minutes later), so health would stay Progressing and a promotion
 * waiting for Healthy would wait for the scan. A Progressing app is therefore refreshed again,
 * soon at first and then less often, until its health settles or the watch ends. The series is
 * single: it starts with the refresh that ends the operation and goes on only through its own
 * `follow-up` messages naming that operation; a drift scan, a webhook or a follow-up of an
 * older operation refreshes the app without starting or forking a series.
 */
async function lookAgainLater(options: AfterSyncOptions): Promise<void> {
  const { runtime, app, last } = options;
  if (last === undefined) return;
  const now = runtime.deps.clock.now();
  const finished = Date.parse(last.finishedAt ?? last.startedAt);
  const elapsed = Number.isNaN(finished) ? 0 : Math.max(0, (now.getTime() - finished) / 1000);
  if (elapsed >= WATCH_SECONDS) return;
  const first = Math.max(1, Math.ceil(runtime.settings.step.pollSeconds ?? 5));
  const delaySeconds = Math.min(MAX_LOOK_AGAIN_SECONDS, Math.max(first, Math.ceil(elapsed / 2)));
  // A refresh is idempotent; the intake queue is FIFO and takes no per-message delay.
  try {
    await runtime.deps.continuation.send([
      encodePipelineMessage(
        {
          kind: 'refresh',
          app: appNameOf(app),
          reason: 'follow-up',
          operationId: last.id,
          receivedAt: now.toISOString(),
        },
        { delaySeconds },
      ),
    ]);
  } catch (e) {
    runtime.deps.logger.warn('could not queue the refresh that waits for the rollout', {
      app: appNameOf(app),
      error: messageOf(e),
    });
  }
}

interface PromotionStepInput {
  readonly runtime: PipelineRuntime;
  /** The app that is Synced and Healthy. */
  readonly app: Application;
  readonly config: PlatformConfig;
  /** The next environment's Application. */
  readonly to: string;
  /** The commit the app synced. */
  readonly synced: string;
}

/** One promotion, decided but not yet run: what the next environment gets, and how. */
interface PromotionStep {
  /** What is set, for messages and the `Promoted` condition (a revision, or image tags). */
  readonly target: string;
  run(message: string): Promise<{ readonly kind: string; readonly commit?: string }>;
  /** The app to refresh after a commit. */
  readonly refresh: string;
}

function promotionAuthor(runtime: PipelineRuntime) {
  return runtime.deps.promotion?.author ?? { name: 'Driftless', email: 'driftless@localhost' };
}

async function promoteRevisionStep(input: PromotionStepInput): Promise<PromotionStep> {
  const { runtime, app, config, to } = input;
  const revision = promotedRevision(app, input.synced);
  const source = config.configSource;
  return {
    target: revision,
    refresh: CONFIG_APP,
    run: async (message) => {
      if (source === undefined) {
        throw new Error(
          'the configuration is not read from a git repository, so there is nothing to commit to',
        );
      }
      const branch =
        source.targetRevision && source.targetRevision !== 'HEAD' ? source.targetRevision : undefined;
      return promote({
        application: to,
        revision,
        config: { kind: 'url', url: source.repoURL, ...(branch === undefined ? {} : { branch }) },
        git: await runtime.git(),
        credentials: config.repositories,
        author: promotionAuthor(runtime),
        message,
        commit: true,
        clock: runtime.deps.clock,
      });
    },
  };
}

/**
 * The images of this app's kustomization at the synced commit go into the next app's
 * kustomization on the branch it follows (a tag or a commit cannot take a commit).
 */
async function promoteImageStep(input: PromotionStepInput): Promise<PromotionStep> {
  const { runtime, app, config, to } = input;
  const from = singleSource(app, 'promote-field image');
  const next = config.applications.find((a) => appNameOf(a) === to);
  if (next === undefined) throw new Error(`no Application "${to}" in the configuration`);
  const into = singleSource(next, 'promote-field image');
  const git = await runtime.git();
  const tree = await git.open(from.repoURL, input.synced);
  const images = kustomizationImages(await readKustomization(tree, from.path));
  if (images.length === 0) {
    throw new Error(`${from.path}: the kustomization of "${appNameOf(app)}" sets no images to promote`);
  }
  const revision = into.targetRevision?.trim() ?? '';
  const branch = revision === '' || revision === 'HEAD' ? undefined : revision;
  return {
    target: images.map(imageText).join(','),
    refresh: to,
    run: async (message) => {
      if (branch !== undefined && (await isTagOrCommit(runtime, into.repoURL, branch))) {
        throw new Error(
          `Application "${to}" follows "${branch}", a tag or commit, not a branch; its kustomization cannot take a commit`,
        );
      }
      return promoteImages({
        repoURL: into.repoURL,
        ...(branch === undefined ? {} : { branch }),
        path: into.path,
        images,
        credentials: config.repositories,
        author: promotionAuthor(runtime),
        message,
        clock: runtime.deps.clock,
      });
    },
  };
}

function singleSource(
  app: Application,
  what: string,
): { repoURL: string; path: string; targetRevision?: string } {
  const source = app.spec.source ?? (app.spec.sources?.length === 1 ? app.spec.sources[0] : undefined);
  if (source === undefined || source.path === undefined) {
    throw new Error(
      `Application "${appNameOf(app)}": ${what} needs one source with a path (a kustomization directory)`,
    );
  }
  return {
    repoURL: source.repoURL,
    path: source.path,
    ...(source.targetRevision === undefined ? {} : { targetRevision: source.targetRevision }),
  };
}

async function isTagOrCommit(runtime: PipelineRuntime, repoURL: string, revision: string): Promise<boolean> {
  if (/^[0-9a-f]{40}$/.test(revision) || revision.startsWith('refs/tags/')) return true;
  if (revision.startsWith('refs/heads/')) return false;
  const git = await runtime.git();
  const [asTag, asBranch] = await Promise.all([
    git.resolve(repoURL, `refs/tags/${revision}`).catch(() => undefined),
    git.resolve(repoURL, `refs/heads/${revision}`).catch(() => undefined),
  ]);
  return asTag !== undefined && asBranch === undefined;
}
