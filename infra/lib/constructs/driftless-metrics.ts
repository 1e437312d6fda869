import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC_NAMESPACE, MetricDimension, MetricName } from '../../../shared/observe/metric-names.js';

/**
 * The CloudWatch metrics the functions publish (EMF, namespace `Driftless`), as alarms and the
 * dashboard read them. A metric's identity is its exact dimension set: every function adds
 * `Service` (its own name, see functions/service-metrics.ts) to the dimensions that
 * shared/observe/metric-names.ts lists, except on the fleet-wide gauges, which carry none. So
 * OutOfSyncApplications is {} (published by the drift scan) and the per-application metrics are
 * {App, Service=sync-worker}. Totals across applications use Metrics Insights queries, the one
 * cross-series aggregation CloudWatch alarms accept.
 */
export const DEFAULT_PERIOD = Duration.minutes(5);

/** The Service dimension value of each function that publishes what alarms read. */
export const SERVICE = { worker: 'sync-worker' } as const;

function driftless(
  name: MetricName,
  options: { statistic: string; service?: string; period?: Duration; app?: string },
): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    statistic: options.statistic,
    period: options.period ?? DEFAULT_PERIOD,
    dimensionsMap: {
      ...(options.service === undefined ? {} : { [MetricDimension.Service]: options.service }),
      ...(options.app === undefined ? {} : { [MetricDimension.App]: options.app }),
    },
  });
}

/** A fleet-wide gauge: no dimension, whichever function publishes it (the drift scan does). */
export function outOfSyncApplications(period: Duration): Metric {
  return driftless(MetricName.OutOfSyncApplications, { statistic: 'Maximum', period });
}

/**
 * The fleet split by Argo CD status: one fleet-wide gauge series per SyncStatus or HealthStatus
 * value (no Service), published by every drift scan (shared/pipeline/drift-scan.ts).
 */
export function applicationsByStatus(
  dimension: 'SyncStatus' | 'HealthStatus',
  status: string,
  period: Duration,
): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: MetricName.Applications,
    statistic: 'Maximum',
    period,
    dimensionsMap: { [MetricDimension[dimension]]: status },
    label: status,
  });
}

export function driftedResources(app: string, period: Duration): Metric {
  return driftless(MetricName.DriftedResources, {
    statistic: 'Maximum',
    service: SERVICE.worker,
    period,
    app,
  });
}

export function webhookToSyncLatency(statistic: 'p50' | 'p99'): Metric {
  return driftless(MetricName.WebhookToSyncLatency, { statistic, service: SERVICE.worker });
}

/** Metrics Insights text for one aggregate of a per-App worker metric across all applications. */
export function acrossApps(
  aggregate: 'SUM' | 'MAX',
  name: MetricName,
  options: { groupByApp?: boolean } = {},
): string {
  const { App, Service } = MetricDimension;
  const group = options.groupByApp ? ` GROUP BY ${App} ORDER BY ${aggregate}() DESC LIMIT 20` : '';
  return `SELECT ${aggregate}(${name}) FROM SCHEMA("${METRIC_NAMESPACE}", ${App}, ${Service}) WHERE ${Service} = '${SERVICE.worker}'${group}`;
}

export function syncFailuresTotal(): MathExpression {
  return new MathExpression({
    expression: acrossApps('SUM', MetricName.SyncFailures),
    usingMetrics: {},
    period: DEFAULT_PERIOD,
    label: 'Sync failures (all applications)',
  });
}

/** One line per application; SEARCH works on dashboards (not in alarms) and keeps percentiles. */
export function perAppSearch(name: MetricName, statistic: string, label: string): MathExpression {
  const { App, Service } = MetricDimension;
  return new MathExpression({
    expression: `SEARCH('{${METRIC_NAMESPACE},${App},${Service}} MetricName="${name}" ${Service}="${SERVICE.worker}"', '${statistic}', ${DEFAULT_PERIOD.toSeconds()})`,
    usingMetrics: {},
    period: DEFAULT_PERIOD,
    label,
  });
}
