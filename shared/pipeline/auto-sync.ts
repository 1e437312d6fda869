/**
 * Whether a refresh leads to a sync, with Argo CD's rules for automated policies: only an
 * automated app that is OutOfSync syncs; a revision already attempted is not synced again unless
 * selfHeal is on (and never after a failed attempt at that revision); self-heal syncs back off
 * exponentially so a fight with another writer cannot hammer the cluster.
 */
import type { AppComparison } from '../compare/index.js';
import type { Application } from '../model/argo-types.js';
import type { OperationRecord } from './operation-record.js';
import type { ResolvedSettings } from './runtime.js';

export type AutoSyncDecision =
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'sync'; readonly trigger: 'automated' | 'self-heal'; readonly selfHealAttempts: number }
  | { readonly kind: 'later'; readonly afterSeconds: number; readonly reason: string };

export interface AutoSyncOptions {
  readonly app: Application;
  readonly comparison: AppComparison;
  /** The commit the refresh rendered. */
  readonly revision: string;
  /** The app's last finished operation, if any. */
  readonly last?: OperationRecord;
  readonly now: Date;
  readonly backoff: ResolvedSettings['selfHealBackoff'];
}

export function isAutomated(app: Application): boolean {
  const automated = app.spec.syncPolicy?.automated;
  return automated !== undefined && automated !== null && automated.enabled !== false;
}

export function decideAutoSync(options: AutoSyncOptions): AutoSyncDecision {
  const { app, comparison, revision, last } = options;
  if (!isAutomated(app)) return { kind: 'skip', reason: 'manual sync policy' };
  if (comparison.syncStatus === 'Synced') return { kind: 'skip', reason: 'already synced' };
  const automated = app.spec.syncPolicy?.automated ?? {};
  const outOfSync = comparison.resources.filter((r) => r.status === 'OutOfSync' && r.hook !== true);
  if (automated.prune !== true && outOfSync.every((r) => r.requiresPruning)) {
    return { kind: 'skip', reason: 'only resources to prune remain and automated prune is off' };
  }
  if (last === undefined || last.revision !== revision) {
    return { kind: 'sync', trigger: 'automated', selfHealAttempts: 0 };
  }
  if (automated.selfHeal !== true) {
    return { kind: 'skip', reason: `already attempted sync to ${revision.slice(0, 7)}; selfHeal is off` };
  }
  if (last.phase !== 'Succeeded') {
    return { kind: 'skip', reason: `previous sync to ${revision.slice(0, 7)} ended ${last.phase}` };
  }
  const { baseSeconds, factor, capSeconds } = options.backoff;
  const delaySeconds = Math.min(capSeconds, baseSeconds * factor ** last.selfHealAttempts);
  const due = Date.parse(last.finishedAt ?? last.startedAt) + delaySeconds * 1000;
  const waitMs = due - options.now.getTime();
  if (waitMs > 0) {
    return { kind: 'later', afterSeconds: Math.ceil(waitMs / 1000), reason: 'self-heal backoff' };
  }
  return { kind: 'sync', trigger: 'self-heal', selfHealAttempts: last.selfHealAttempts + 1 };
}
