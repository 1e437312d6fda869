import type { MetricDimensions, Metrics } from '../ports/metrics.js';

export interface RecordedMetric {
  readonly kind: 'count' | 'timing' | 'gauge';
  readonly name: string;
  readonly value: number;
  readonly dimensions: MetricDimensions;
}

export interface MetricQuery {
  readonly name: string;
  /** Only samples whose dimensions include all of these. */
  readonly dimensions?: MetricDimensions;
}

/** Keeps every sample in memory, for tests, benchmarks and the local platform's API. */
export class MemoryMetrics implements Metrics {
  readonly #recorded: RecordedMetric[] = [];
  #flushes = 0;

  count(name: string, value: number, dimensions: MetricDimensions = {}): void {
    this.#recorded.push({ kind: 'count', name, value, dimensions });
  }

  timing(name: string, milliseconds: number, dimensions: MetricDimensions = {}): void {
    this.#recorded.push({ kind: 'timing', name, value: milliseconds, dimensions });
  }

  gauge(name: string, value: number, dimensions: MetricDimensions = {}): void {
    this.#recorded.push({ kind: 'gauge', name, value, dimensions });
  }

  async flush(): Promise<void> {
    this.#flushes += 1;
  }

  get flushes(): number {
    return this.#flushes;
  }

  get recorded(): readonly RecordedMetric[] {
    return this.#recorded;
  }

  values(query: MetricQuery): number[] {
    return this.#recorded
      .filter((m) => m.name === query.name && includes(m.dimensions, query.dimensions ?? {}))
      .map((m) => m.value);
  }

  sum(query: MetricQuery): number {
    return this.values(query).reduce((total, v) => total + v, 0);
  }

  /** The latest sample, which is what a gauge reads. */
  last(query: MetricQuery): number | undefined {
    return this.values(query).at(-1);
  }
}

function includes(actual: MetricDimensions, wanted: MetricDimensions): boolean {
  return Object.entries(wanted).every(([k, v]) => actual[k] === v);
}
