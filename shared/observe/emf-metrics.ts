import { DriftlessError } from '../errors/index.js';
import type { Clock } from '../ports/clock.js';
import type { MetricDimensions, Metrics } from '../ports/metrics.js';
import { METRIC_NAMESPACE } from './metric-names.js';

/** Limits of the Embedded Metric Format specification and of CloudWatch dimensions. */
export const EMF_LIMITS = {
  maxDimensionsPerSet: 30,
  maxMetricsPerDirective: 100,
  maxValuesPerMetric: 100,
  maxNameLength: 255,
  maxDimensionValueLength: 1024,
} as const;

export type MetricUnit = 'Count' | 'Milliseconds';

export interface EmfMetricsOptions {
  /** Receives one JSON document per call, without a newline; in Lambda, a line on stdout. */
  readonly write: (line: string) => void;
  readonly clock: Clock;
  readonly namespace?: string;
  /** Added to every metric, e.g. `{ Service: 'sync-worker' }`. */
  readonly dimensions?: MetricDimensions;
}

type Kind = 'count' | 'timing' | 'gauge';

interface Series {
  readonly kind: Kind;
  values: number[];
}

interface DimensionGroup {
  readonly dimensions: readonly (readonly [string, string])[];
  readonly series: Map<string, Series>;
}

const UNITS: Readonly<Record<Kind, MetricUnit>> = { count: 'Count', timing: 'Milliseconds', gauge: 'Count' };

// CloudWatch dimension names and values: ASCII, no control characters, not only whitespace.
const ASCII_PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * Metrics as CloudWatch Embedded Metric Format: CloudWatch Logs turns each document written to
 * the function's log into metrics, so publishing costs no API call and no extra latency. Values
 * are buffered per set of dimension values and written as one document per set on flush().
 */
export class EmfMetrics implements Metrics {
  readonly #write: (line: string) => void;
  readonly #clock: Clock;
  readonly #namespace: string;
  readonly #defaults: MetricDimensions;
  readonly #groups = new Map<string, DimensionGroup>();

  constructor(options: EmfMetricsOptions) {
    this.#write = options.write;
    this.#clock = options.clock;
    this.#namespace = options.namespace ?? METRIC_NAMESPACE;
    this.#defaults = options.dimensions ?? {};
    if (this.#namespace.length === 0 || this.#namespace.length > EMF_LIMITS.maxNameLength) {
      throw invalid(`namespace must be 1-${EMF_LIMITS.maxNameLength} characters`);
    }
  }

  count(name: string, value: number, dimensions: MetricDimensions = {}): void {
    this.#record('count', name, value, dimensions);
  }

  timing(name: string, milliseconds: number, dimensions: MetricDimensions = {}): void {
    this.#record('timing', name, milliseconds, dimensions);
  }

  gauge(name: string, value: number, dimensions: MetricDimensions = {}): void {
    this.#record('gauge', name, value, dimensions);
  }

  async flush(): Promise<void> {
    const groups = [...this.#groups.values()];
    this.#groups.clear();
    const timestamp = this.#clock.now().getTime();
    for (const group of groups) {
      for (const document of this.#documents(group, timestamp)) this.#write(JSON.stringify(document));
    }
  }

  #record(kind: Kind, name: string, value: number, dimensions: MetricDimensions): void {
    if (!Number.isFinite(value))
      throw invalid(`metric "${name}": value must be a finite number, got ${value}`);
    const merged = Object.entries({ ...this.#defaults, ...dimensions }).sort(([a], [b]) => (a < b ? -1 : 1));
    checkName(name, merged);
    const key = JSON.stringify(merged);
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { dimensions: merged, series: new Map() };
      this.#groups.set(key, group);
    }
    const series = group.series.get(name);
    if (series === undefined) {
      group.series.set(name, { kind, values: [value] });
      return;
    }
    if (series.kind !== kind) {
      throw invalid(`metric "${name}" recorded as ${kind} after ${series.kind}; one metric has one unit`);
    }
    if (kind === 'count') series.values[0] = (series.values[0] ?? 0) + value;
    else if (kind === 'gauge') series.values = [value];
    else series.values.push(value);
  }

  /**
   * One document per round of at most 100 metrics, each with at most 100 values: a timing with
   * 250 samples spreads over three documents, as the specification caps value arrays at 100.
   */
  #documents(group: DimensionGroup, timestamp: number): Record<string, unknown>[] {
    const chunked = [...group.series].map(([name, series]) => ({
      name,
      unit: UNITS[series.kind],
      chunks: chunk(series.values, EMF_LIMITS.maxValuesPerMetric),
    }));
    const rounds = Math.max(...chunked.map((m) => m.chunks.length));
    const documents: Record<string, unknown>[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const present = chunked.filter((m) => m.chunks[round] !== undefined);
      for (const metrics of chunk(present, EMF_LIMITS.maxMetricsPerDirective)) {
        const document: Record<string, unknown> = {
          _aws: {
            Timestamp: timestamp,
            CloudWatchMetrics: [
              {
                Namespace: this.#namespace,
                Dimensions: [group.dimensions.map(([dimension]) => dimension)],
                Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
              },
            ],
          },
        };
        for (const [dimension, value] of group.dimensions) document[dimension] = value;
        for (const m of metrics) {
          const values = m.chunks[round] ?? [];
          document[m.name] = values.length === 1 ? values[0] : values;
        }
        documents.push(document);
      }
    }
    return documents;
  }
}

function checkName(name: string, dimensions: readonly (readonly [string, string])[]): void {
  if (name.length === 0 || name.length > EMF_LIMITS.maxNameLength || name === '_aws') {
    throw invalid(`metric name "${name}" must be 1-${EMF_LIMITS.maxNameLength} characters and not "_aws"`);
  }
  if (dimensions.length > EMF_LIMITS.maxDimensionsPerSet) {
    throw invalid(
      `metric "${name}": ${dimensions.length} dimensions, at most ${EMF_LIMITS.maxDimensionsPerSet}`,
    );
  }
  for (const [dimension, value] of dimensions) {
    // Dimensions and metrics share the document's top level, so a name may not be both.
    if (dimension === name || dimension === '_aws') {
      throw invalid(`metric "${name}": dimension "${dimension}" collides with a metric or reserved name`);
    }
    if (
      !ASCII_PRINTABLE.test(dimension) ||
      dimension.startsWith(':') ||
      dimension.trim() === '' ||
      dimension.length > EMF_LIMITS.maxNameLength
    ) {
      throw invalid(
        `metric "${name}": dimension name "${dimension}" must be printable ASCII, not starting with ":"`,
      );
    }
    if (typeof value !== 'string' || !ASCII_PRINTABLE.test(value) || value.trim() === '') {
      throw invalid(`metric "${name}": dimension ${dimension}="${value}" must be printable ASCII, not blank`);
    }
    if (value.length > EMF_LIMITS.maxDimensionValueLength) {
      throw invalid(
        `metric "${name}": dimension ${dimension} is longer than ${EMF_LIMITS.maxDimensionValueLength}`,
      );
    }
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function invalid(message: string): DriftlessError {
  return new DriftlessError('INTERNAL', `metrics: ${message}`);
}
