/**
 * The drift scan on a schedule (default every 3 minutes, Argo CD's reconciliation period): one
 * refresh message per app; the worker does the comparing.
 */
import middy from '@middy/core';
import type { DriftScanSummary, Platform } from '../../shared/pipeline/index.js';
import type { LambdaContext, ScheduledEvent } from '../lambda-types.js';
import { flushMetrics, logFailures } from '../middleware.js';
import { createDriftScanDeps } from './deps.js';

export interface DriftScanHandlerDeps {
  /** The scan entry alone; deps.ts wires no more than it reaches. */
  readonly platform: Pick<Platform, 'scanDrift' | 'runtime'>;
}

export function makeHandler(deps: DriftScanHandlerDeps) {
  const { metrics, logger } = deps.platform.runtime.deps;
  const base = async (_event: ScheduledEvent): Promise<DriftScanSummary> => deps.platform.scanDrift();
  return middy<ScheduledEvent, DriftScanSummary, Error, LambdaContext & Record<string, never>>(base)
    .use(logFailures(logger))
    .use(flushMetrics(metrics));
}

let built: ReturnType<typeof makeHandler> | undefined;

export const handler = (event: ScheduledEvent, context: LambdaContext): Promise<DriftScanSummary> => {
  built ??= makeHandler(createDriftScanDeps());
  return built(event, context as never);
};
