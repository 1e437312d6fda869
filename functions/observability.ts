/**
 * What every function has: the system clock, JSON logs and EMF metrics on stdout, both naming the
 * function (logs by a `service` field, metrics by the `Service` dimension; see service-metrics.ts).
 */
import { EmfMetrics, JsonLogger, parseLogLevel, writeLine } from '../shared/observe/index.js';
import { type Clock, systemClock } from '../shared/ports/clock.js';
import type { Logger } from '../shared/ports/logger.js';
import type { Metrics } from '../shared/ports/metrics.js';
import type { Environment } from './environment.js';
import { ServiceMetrics } from './service-metrics.js';

export interface Observability {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export interface ObservabilityOptions {
  /** webhook, sync-worker, drift-scan, api. */
  readonly service: string;
  readonly env: Environment;
}

export function functionObservability(options: ObservabilityOptions): Observability {
  const clock = systemClock;
  return {
    clock,
    logger: new JsonLogger({
      write: writeLine,
      clock,
      level: parseLogLevel(options.env.DRIFTLESS_LOG_LEVEL),
      fields: { service: options.service },
    }),
    metrics: new ServiceMetrics({
      target: new EmfMetrics({ write: writeLine, clock }),
      service: options.service,
    }),
  };
}
