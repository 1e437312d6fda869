/**
 * Observability: what Driftless tells its operators.
 *
 * - metric-names.ts: the metric names and dimensions, one list for code and dashboards/alarms.
 * - EmfMetrics implements the Metrics port (shared/ports/metrics.ts) as CloudWatch Embedded
 *   Metric Format: values are buffered during an invocation and flush() writes one JSON document
 *   per set of dimension values to the log, which CloudWatch Logs turns into metrics.
 *   MemoryMetrics keeps samples for tests, benchmarks and the local platform.
 * - JsonLogger implements the Logger port as JSON lines; child loggers carry app, operation and
 *   revision; redact.ts hides secrets in fields, URLs and messages before anything is written.
 *
 * In Lambda both write to stdout (writeLine); composition roots build them once per process.
 */
export * from './emf-metrics.js';
export * from './json-logger.js';
export * from './memory-metrics.js';
export * from './metric-names.js';
export * from './redact.js';
export * from './write-line.js';
