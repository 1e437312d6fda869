/**
 * The drift scan on a schedule (default every 3 minutes, Argo CD's reconciliation period): one
 * refresh message per app and one for all ApplicationSets; the worker does the comparing.
 */
import type { DriftScanSummary } from '../../shared/pipeline/drift-scan.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import type { ScheduledEvent } from '../lambda-types.js';
import { lazyHandler, observedHandler } from '../middleware.js';
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
  return observedHandler(base, { logger, metrics });
}

export const handler = lazyHandler(() => makeHandler(createDriftScanDeps()));
