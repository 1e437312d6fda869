/**
 * What a resource's health means for the sync wave it was applied in, as gitops-engine's sync
 * loop decides (pkg/sync/sync_context.go). A wave may proceed when every task in it is done.
 *
 * - A resource (not a hook): Healthy or no health at all (ConfigMap, Secret...) is done;
 *   Degraded fails the operation; anything else (Progressing, Suspended, Unknown, Missing) keeps
 *   the wave waiting. A Suspended resource, such as a paused Deployment, therefore blocks the
 *   next wave: Argo CD behaves the same way.
 * - A hook: Progressing and Suspended keep waiting; Degraded and Unknown fail it; anything else
 *   (Healthy, no health, and Missing, which the hook check does not name) is done.
 *
 * gitops-engine only waits at all when the sync has more than one phase or wave, or has hooks; a
 * single-wave sync of plain resources succeeds as soon as everything is applied.
 */
import type { HealthStatus } from './health-status.js';

export type WaveTaskOutcome = 'done' | 'waiting' | 'failed';

export interface WaveTaskOptions {
  /** The task's live health; undefined for kinds with no health. */
  readonly health: HealthStatus | undefined;
  readonly hook: boolean;
}

export function waveTaskOutcome(options: WaveTaskOptions): WaveTaskOutcome {
  const status = options.health?.status;
  if (status === undefined || status === 'Healthy') return 'done';
  if (options.hook) {
    if (status === 'Degraded' || status === 'Unknown') return 'failed';
    return status === 'Progressing' || status === 'Suspended' ? 'waiting' : 'done';
  }
  return status === 'Degraded' ? 'failed' : 'waiting';
}

/** Whether a (non-hook) resource lets its wave proceed: Healthy, or a kind with no health. */
export function isHealthyForWave(health: HealthStatus | undefined): boolean {
  return waveTaskOutcome({ health, hook: false }) === 'done';
}
