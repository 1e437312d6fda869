/**
 * The drift scan on a schedule (default every 3 minutes, Argo CD's reconciliation period): one
 * refresh message per app and one for all ApplicationSets; the worker does the comparing.
 */
import middy from '@middy/core';
import type { DriftScanSummary } from '../../shared/pipeline/drift-scan.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { LambdaContext, ScheduledEvent } from '../lambda-types.js';
import { flushMetrics, logFailures } from '../middleware.js';
import { createDriftScanDeps } from './deps.js';

export interface DriftScanHandlerDeps {
  /** The scan entry alone (a Platform's, in tests); deps.ts wires no more than it reaches. */
  readonly scanDrift: () => Promise<DriftScanSummary>;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function makeHandler(deps: DriftScanHandlerDeps) {
  const { metrics, logger } = deps;
  const base = async (_event: ScheduledEvent): Promise<DriftScanSummary> => deps.scanDrift();
  return middy<ScheduledEvent, DriftScanSummary, Error, LambdaContext & Record<string, never>>(base)
    .use(logFailures(logger))
    .use(flushMetrics(metrics));
}

let built: ReturnType<typeof makeHandler> | undefined;

export const handler = (event: ScheduledEvent, context: LambdaContext): Promise<DriftScanSummary> => {
  built ??= makeHandler(createDriftScanDeps());
  return built(event, context as never);
};
