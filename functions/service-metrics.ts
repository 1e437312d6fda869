/**
 * The metrics of one function: every metric carries a `Service` dimension naming the function
 * that published it, except the fleet-wide gauges. A fleet-wide gauge (OutOfSyncApplications)
 * describes all applications whichever function computed it, and shared/observe/metric-names.ts
 * documents it without dimensions; the alarms in infra/lib/constructs/driftless-metrics.ts read it
 * so, and would stop seeing it if a second publisher appeared under another Service value.
 */
import { MetricDimension, MetricName } from '../shared/observe/index.js';
import type { MetricDimensions, Metrics } from '../shared/ports/metrics.js';

export const FLEET_GAUGES: ReadonlySet<string> = new Set([
  MetricName.OutOfSyncApplications,
  MetricName.Applications,
]);

export interface ServiceMetricsOptions {
  /** Where the metrics go (EMF lines in Lambda). */
  readonly target: Metrics;
  /** The `Service` dimension value: webhook, sync-worker, drift-scan, api. */
  readonly service: string;
}

export class ServiceMetrics implements Metrics {
  readonly #target: Metrics;
  readonly #service: string;

  constructor(options: ServiceMetricsOptions) {
    this.#target = options.target;
    this.#service = options.service;
  }

  count(name: string, value: number, dimensions?: MetricDimensions): void {
    this.#target.count(name, value, this.#dimensionsOf(name, dimensions));
  }

  timing(name: string, milliseconds: number, dimensions?: MetricDimensions): void {
    this.#target.timing(name, milliseconds, this.#dimensionsOf(name, dimensions));
  }

  gauge(name: string, value: number, dimensions?: MetricDimensions): void {
    this.#target.gauge(name, value, this.#dimensionsOf(name, dimensions));
  }

  flush(): Promise<void> {
    return this.#target.flush();
  }

  #dimensionsOf(name: string, dimensions: MetricDimensions = {}): MetricDimensions {
    return FLEET_GAUGES.has(name) ? dimensions : { [MetricDimension.Service]: this.#service, ...dimensions };
  }
}
