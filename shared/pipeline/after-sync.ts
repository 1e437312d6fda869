/**
 * What follows a refresh beyond the app itself: a preview reports how its sync ended as a commit
 * status on the pull request's head commit (once per finished operation), and an app with a
 * promotion rule that is Synced and Healthy after a successful operation promotes the next
 * environment by a commit to the config repository, then reloads the configuration. Neither may
 * fail the message that ran the sync: failures are logged, and a failed promotion is kept as the
 * app's `PromotionError` condition.
 */
import type { AppComparison } from '../compare/index.js';
import { messageOf } from '../errors/index.js';
import type { Application } from '../model/argo-types.js';
import { type CommitState, PREVIEW_STATUS_CONTEXT, previewOf } from '../preview/index.js';
import { promote, promotedRevision, promotionRuleOf } from '../promote/index.js';
import { encodePipelineMessage } from '../queue/index.js';
import type { AppRef } from '../state/index.js';
import { appNameOf, CONFIG_APP } from './app-names.js';
import { changeStatus, withCondition } from './app-status.js';
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
}

const COMMIT_STATE: Readonly<Record<string, CommitState>> = {
  Succeeded: 'success',
  Failed: 'failure',
  Error: 'error',
};

export async function afterSync(options: AfterSyncOptions): Promise<void> {
  if (options.justFinished) await reportPreview(options);
  await promoteNext(options);
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
  const synced = comparison.resources.length > 0 && comparison.syncStatus === 'Synced';
  if (!synced || comparison.health.status !== 'Healthy') return;
  const revision = promotedRevision(app, last.revision);
  const done = `${rule.to} ${rule.field} ${revision}`;
  const stored = await deps.state.getApplication(ref);
  if (stored?.status.conditions?.some((c) => c.type === 'Promoted' && c.message === done)) return;

  const config = await runtime.config();
  const source = config.configSource;
  try {
    if (source === undefined) {
      throw new Error(
        'the configuration is not read from a git repository, so there is nothing to commit to',
      );
    }
    const branch =
      source.targetRevision && source.targetRevision !== 'HEAD' ? source.targetRevision : undefined;
    const result = await promote({
      application: rule.to,
      revision,
      config: { kind: 'url', url: source.repoURL, ...(branch === undefined ? {} : { branch }) },
      git: await runtime.git(),
      credentials: config.repositories,
      author: deps.promotion?.author ?? { name: 'Driftless', email: 'driftless@localhost' },
      message: `promote ${rule.to}: ${rule.field} -> ${revision} (${rule.from} is Synced and Healthy at ${last.revision.slice(0, 7)})`,
      commit: true,
      clock: deps.clock,
    });
    deps.logger.info('promotion', {
      from: rule.from,
      to: rule.to,
      revision,
      outcome: result.kind,
      ...(result.kind === 'committed' ? { commit: result.commit } : {}),
    });
    await changeStatus(deps.state, ref, (s) =>
      withCondition(withCondition(s, 'PromotionError', undefined, now), 'Promoted', done, now),
    );
    if (result.kind === 'committed') {
      // The config repository's own webhook would reload too; this does not wait for it.
      await deps.intake.send([
        encodePipelineMessage({
          kind: 'refresh',
          app: CONFIG_APP,
          reason: 'config-reload',
          receivedAt: now.toISOString(),
          deliveryId: `promote-${result.commit}`,
        }),
      ]);
    }
  } catch (e) {
    const message = `promote ${rule.to} to ${revision}: ${messageOf(e)}`;
    deps.logger.warn('promotion failed', { from: rule.from, to: rule.to, error: message });
    await changeStatus(deps.state, ref, (s) => withCondition(s, 'PromotionError', message, now));
  }
}
