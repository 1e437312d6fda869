/**
 * The drift scan (Argo CD's periodic reconciliation): one refresh message per app, nothing more.
 * The worker does the comparing, one app at a time per FIFO group, so a scan costs one page read
 * per hundred apps here and never N apps × M resources of work in one invocation. The
 * deduplication id names the scan window, so a scan that runs twice in one window queues once.
 *
 * ApplicationSets get ONE message, `driftless:appsets`: which ApplicationSets exist is in the
 * config repository, and only the worker holds git and the repository credentials, so the worker
 * reads the configuration and queues one reconcile per ApplicationSet (drift-scan-appsets.ts).
 * The scan itself reads nothing but the state table.
 */
import { MetricDimension, MetricName } from '../observe/metric-names.js';
import { encodePipelineMessage, type RefreshMessage } from '../queue/messages.js';
import { nameOfRef } from './app-names.js';
import type { PipelineDeps } from './deps.js';

/** The app a refresh names to mean "reconcile every ApplicationSet"; a colon keeps it off real apps. */
export const ALL_APPSETS_APP = 'driftless:appsets';

/** Argo CD's statuses, each published every scan so the dashboard's stacks add up to the fleet. */
export const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'] as const;
export const HEALTH_STATUSES = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
] as const;

/** What a scan needs: the table, the intake queue and the scan period (a PipelineRuntime has them). */
export interface DriftScanContext {
  readonly deps: Pick<PipelineDeps, 'state' | 'intake' | 'clock' | 'metrics' | 'logger'>;
  readonly settings: { readonly driftScanSeconds: number };
}

export interface DriftScanSummary {
  /** Application refreshes queued. */
  readonly queued: number;
  /**
   * ApplicationSet reconcile messages queued: one, for all of them (the worker queues one per
   * ApplicationSet of its configuration).
   */
  readonly applicationSets: number;
  readonly outOfSync: number;
  /** Start of the scan window, ISO 8601. */
  readonly window: string;
}

export async function scanDrift(context: DriftScanContext): Promise<DriftScanSummary> {
  const { deps, settings } = context;
  const now = deps.clock.now();
  const periodMs = settings.driftScanSeconds * 1000;
  const window = new Date(Math.floor(now.getTime() / periodMs) * periodMs).toISOString();
  const refresh = (app: string): RefreshMessage => ({
    kind: 'refresh',
    app,
    reason: 'drift-scan',
    deliveryId: `scan-${window}`,
    receivedAt: now.toISOString(),
  });
  let cursor: string | undefined;
  let queued = 0;
  let outOfSync = 0;
  const bySync = new Map<string, number>(SYNC_STATUSES.map((s) => [s, 0]));
  const byHealth = new Map<string, number>(HEALTH_STATUSES.map((h) => [h, 0]));
  do {
    const page = await deps.state.listApplications({
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    const messages = page.items.map((item) => refresh(nameOfRef(item.ref)));
    outOfSync += page.items.filter((item) => item.status.sync?.status === 'OutOfSync').length;
    for (const item of page.items) {
      const sync = item.status.sync?.status ?? 'Unknown';
      const health = item.status.health?.status ?? 'Unknown';
      bySync.set(sync, (bySync.get(sync) ?? 0) + 1);
      byHealth.set(health, (byHealth.get(health) ?? 0) + 1);
    }
    for (let i = 0; i < messages.length; i += 10) {
      await deps.intake.send(messages.slice(i, i + 10).map((m) => encodePipelineMessage(m)));
    }
    queued += messages.length;
    cursor = page.cursor;
  } while (cursor !== undefined);
  // Every ApplicationSet too: new branches and directories appear without a webhook, and expired
  // previews (a lost close event) go.
  await deps.intake.send([encodePipelineMessage(refresh(ALL_APPSETS_APP))]);
  deps.metrics.gauge(MetricName.OutOfSyncApplications, outOfSync);
  for (const [status, count] of bySync) {
    deps.metrics.gauge(MetricName.Applications, count, { [MetricDimension.SyncStatus]: status });
  }
  for (const [status, count] of byHealth) {
    deps.metrics.gauge(MetricName.Applications, count, { [MetricDimension.HealthStatus]: status });
  }
  deps.logger.info('drift scan queued refreshes', { queued, outOfSync, window, applicationSets: 1 });
  return { queued, outOfSync, window, applicationSets: 1 };
}
