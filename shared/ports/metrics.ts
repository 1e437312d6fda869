/**
 * Metrics: counters, timings and gauges with dimensions, buffered until flush(). The production
 * implementation writes CloudWatch Embedded Metric Format lines (shared/observe/emf-metrics.ts);
 * metric names live in shared/observe/metric-names.ts.
 */
export type MetricDimensions = Readonly<Record<string, string>>;

export interface Metrics {
  /** Adds to a counter (unit Count). */
  count(name: string, value: number, dimensions?: MetricDimensions): void;
  /** Records one duration sample in milliseconds. */
  timing(name: string, milliseconds: number, dimensions?: MetricDimensions): void;
  /** Records the current level of something (unit Count); the last value before a flush wins. */
  gauge(name: string, value: number, dimensions?: MetricDimensions): void;
  /** Emits everything buffered; call once per invocation, before returning. */
  flush(): Promise<void>;
}

export const discardMetrics: Metrics = {
  count: () => {},
  timing: () => {},
  gauge: () => {},
  flush: async () => {},
};
