/**
 * What the local platform prints: one line per handled message saying what became of the app
 * (refreshed, out of sync, synced, failed), its revision, status and how long it took; and the
 * summary table of `--once`. Both read the Application as the API shows it, so they say what
 * `driftless app get` would.
 */
import { type ApplicationView, CONFIG_APP } from '../../shared/pipeline/index.js';
import { parsePipelineMessage } from '../../shared/queue/index.js';
import { formatTable } from '../table.js';
import type { HandledMessage } from './worker-loop.js';

export interface EventLineOptions {
  readonly handled: HandledMessage;
  /** The app after the message, as the API shows it. */
  readonly view: ApplicationView | undefined;
  readonly at: Date;
}

export function appOfMessage(body: string): { readonly app: string; readonly trigger: string } | undefined {
  try {
    const message = parsePipelineMessage(body, 'event');
    const trigger = message.kind === 'refresh' ? message.reason : message.kind;
    return { app: message.app, trigger };
  } catch {
    return undefined;
  }
}

export function eventLine(options: EventLineOptions): string {
  const { handled, view, at } = options;
  const parsed = appOfMessage(handled.message.body);
  const time = at.toISOString().slice(11, 19);
  const duration = formatDuration(handled.durationMs);
  if (parsed === undefined) return `${time}  dropped a malformed message (${duration})`;
  const { outcome } = handled;
  if (parsed.app === CONFIG_APP) {
    const note = outcome.kind === 'done' ? outcome.note : outcome.reason;
    return `${time}  configuration  ${note}  (${duration})`;
  }
  const head = `${time}  ${parsed.app}  [${parsed.trigger}]`;
  if (outcome.kind === 'failed') return `${head}  failed, will retry: ${outcome.reason}  (${duration})`;
  if (outcome.kind === 'retry-later') {
    return `${head}  busy (${outcome.reason}), again in ${outcome.delaySeconds}s  (${duration})`;
  }
  if (view === undefined) return `${head}  ${outcome.note}  (${duration})`;
  const { status } = view;
  const revision = status.sync.revision === undefined ? '' : ` at ${status.sync.revision.slice(0, 7)}`;
  const state = `${status.sync.status}/${status.health.status}`;
  const op = status.operationState;
  const startedHere = at.getTime() - handled.durationMs;
  const ranNow =
    op !== undefined &&
    Date.parse(op.finishedAt ?? op.startedAt) >= startedHere - 1 &&
    op.phase !== undefined;
  let what: string;
  if (ranNow && op.phase === 'Running') what = 'sync running, continues shortly';
  else if (ranNow && op.phase === 'Succeeded') what = 'synced';
  else if (ranNow) what = `sync ${op.phase}: ${op.message}`;
  else if (status.sync.status === 'OutOfSync') what = 'out of sync';
  else what = 'refreshed';
  const error = status.lastError === undefined ? '' : `; last error: ${status.lastError}`;
  return `${head}  ${what}${revision}  ${state}  (${duration})${error}`;
}

/** The `--once` table, one row per app. */
export function summaryTable(views: readonly ApplicationView[]): string {
  return formatTable(
    ['NAME', 'SYNC', 'HEALTH', 'REVISION', 'OPERATION', 'MESSAGE'],
    views.map((v) => [
      v.metadata.name,
      v.status.sync.status,
      v.status.health.status,
      v.status.sync.revision?.slice(0, 7) ?? '',
      v.status.operationState?.phase ?? '',
      problemOf(v) ?? '',
    ]),
  );
}

/** Why an app needs attention after a pass, or undefined when it does not. */
export function problemOf(view: ApplicationView): string | undefined {
  const { status } = view;
  if (status.lastError !== undefined) return status.lastError;
  const phase = status.operationState?.phase;
  if (phase === 'Failed' || phase === 'Error')
    return `sync ${phase}: ${status.operationState?.message ?? ''}`;
  const condition = status.conditions?.find((c) => /Error$/.test(c.type));
  if (condition !== undefined) return `${condition.type}: ${condition.message}`;
  if (status.health.status === 'Degraded') return status.health.message ?? 'Degraded';
  return undefined;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
