/**
 * The drift scan (Argo CD's periodic reconciliation): one refresh message per app, nothing more.
 * The worker does the comparing, one app at a time per FIFO group, so a scan costs one page read
 * per hundred apps here and never N apps × M resources of work in one invocation. The
 * deduplication id names the scan window, so a scan that runs twice in one window queues once.
 * Each ApplicationSet gets a reconcile message the same way.
 */
import { MetricName } from '../observe/index.js';
import { encodePipelineMessage, type RefreshMessage } from '../queue/index.js';
import { nameOfRef } from './app-names.js';
import { appSetMessageApp } from './appset-routing.js';
import type { PipelineRuntime } from './runtime.js';

export interface DriftScanSummary {
  readonly queued: number;
  /** ApplicationSet reconciles queued. */
  readonly applicationSets: number;
  readonly outOfSync: number;
  /** Start of the scan window, ISO 8601. */
  readonly window: string;
}

export async function scanDrift(runtime: PipelineRuntime): Promise<DriftScanSummary> {
  const { deps, settings } = runtime;
  const now = deps.clock.now();
  const periodMs = settings.driftScanSeconds * 1000;
  const window = new Date(Math.floor(now.getTime() / periodMs) * periodMs).toISOString();
  let cursor: string | undefined;
  let queued = 0;
  let outOfSync = 0;
  do {
    const page = await deps.state.listApplications({
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    const messages: RefreshMessage[] = page.items.map((item) => ({
      kind: 'refresh',
      app: nameOfRef(item.ref),
      reason: 'drift-scan',
      deliveryId: `scan-${window}`,
      receivedAt: now.toISOString(),
    }));
    outOfSync += page.items.filter((item) => item.status.sync?.status === 'OutOfSync').length;
    for (let i = 0; i < messages.length; i += 10) {
      await deps.intake.send(messages.slice(i, i + 10).map((m) => encodePipelineMessage(m)));
    }
    queued += messages.length;
    cursor = page.cursor;
  } while (cursor !== undefined);
  // Every ApplicationSet too: new branches and directories appear without a webhook, and expired
  // previews (a lost close event) go.
  const appSets = ((await runtime.config()).applicationSets ?? []).map((s) =>
    encodePipelineMessage({
      kind: 'refresh',
      app: appSetMessageApp(s.metadata.name),
      reason: 'drift-scan',
      deliveryId: `scan-${window}`,
      receivedAt: now.toISOString(),
    }),
  );
  for (let i = 0; i < appSets.length; i += 10) await deps.intake.send(appSets.slice(i, i + 10));
  deps.metrics.gauge(MetricName.OutOfSyncApplications, outOfSync);
  deps.logger.info('drift scan queued refreshes', {
    queued,
    outOfSync,
    window,
    applicationSets: appSets.length,
  });
  return { queued, outOfSync, window, applicationSets: appSets.length };
}
