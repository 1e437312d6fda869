import type { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  type Metric,
  SingleValueWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MetricName } from '../../../shared/observe/metric-names.js';
import { HEALTH_STATUSES, SYNC_STATUSES } from '../../../shared/pipeline/drift-scan.js';
import {
  acrossApps,
  applicationsByStatus,
  DEFAULT_PERIOD,
  outOfSyncApplications,
  perAppSearch,
  syncFailuresTotal,
  webhookToSyncLatency,
} from './driftless-metrics.js';

export interface DriftlessDashboardProps {
  readonly scanInterval: Duration;
  readonly httpApi: HttpApi;
  readonly worker: IFunction;
  readonly queues: readonly { readonly name: string; readonly queue: IQueue }[];
  readonly alarms: readonly Alarm[];
}

const WIDTH = 24;

/**
 * One dashboard, read top to bottom: are applications in sync and what drifted; how fast and
 * how well syncs run; is work piling up in the queues; are webhooks arriving; which alarms fire.
 */
export class DriftlessDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: DriftlessDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard');
    const half = WIDTH / 2;

    this.dashboard.addWidgets(
      new SingleValueWidget({
        title: 'Applications OutOfSync',
        metrics: [outOfSyncApplications(props.scanInterval)],
        width: 6,
        height: 6,
        sparkline: true,
      }),
      new GraphWidget({
        title: 'Applications OutOfSync over time',
        left: [outOfSyncApplications(props.scanInterval)],
        width: 6,
        height: 6,
      }),
      new GraphWidget({
        title: 'Drifted resources by application (top 20)',
        left: [
          new MathExpression({
            expression: acrossApps('MAX', MetricName.DriftedResources, { groupByApp: true }),
            usingMetrics: {},
            period: DEFAULT_PERIOD,
            label: 'Drifted resources',
          }),
        ],
        width: half,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Applications by sync status',
        left: SYNC_STATUSES.map((status) => applicationsByStatus('SyncStatus', status, props.scanInterval)),
        stacked: true,
        width: half,
        height: 6,
      }),
      new GraphWidget({
        title: 'Applications by health status',
        left: HEALTH_STATUSES.map((status) =>
          applicationsByStatus('HealthStatus', status, props.scanInterval),
        ),
        stacked: true,
        width: half,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Sync duration p50 / p99 by application (ms)',
        left: [perAppSearch(MetricName.SyncDuration, 'p50', 'p50')],
        right: [perAppSearch(MetricName.SyncDuration, 'p99', 'p99')],
        width: half,
        height: 6,
      }),
      new GraphWidget({
        title: 'Webhook to sync latency (ms)',
        left: [webhookToSyncLatency('p50'), webhookToSyncLatency('p99')],
        width: 6,
        height: 6,
      }),
      new GraphWidget({
        title: 'Sync failures',
        left: [syncFailuresTotal()],
        width: 6,
        height: 6,
      }),
    );
    const depth = (statistic: string): Metric[] =>
      props.queues.map(({ name, queue }) =>
        queue.metricApproximateNumberOfMessagesVisible({ statistic, period: DEFAULT_PERIOD, label: name }),
      );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Queue depth (visible messages)',
        left: depth('Maximum'),
        width: half,
        height: 6,
      }),
      new GraphWidget({
        title: 'Oldest message age (s)',
        left: props.queues.map(({ name, queue }) =>
          queue.metricApproximateAgeOfOldestMessage({
            statistic: 'Maximum',
            period: DEFAULT_PERIOD,
            label: name,
          }),
        ),
        width: half,
        height: 6,
      }),
    );
    const sum = { statistic: 'Sum', period: DEFAULT_PERIOD } as const;
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Webhook requests',
        left: [
          props.httpApi.metricCount({ ...sum, label: 'requests' }),
          props.httpApi.metricClientError({ ...sum, label: '4xx' }),
          props.httpApi.metricServerError({ ...sum, label: '5xx' }),
        ],
        width: half,
        height: 6,
      }),
      new GraphWidget({
        title: 'Sync worker',
        left: [
          props.worker.metricInvocations({ ...sum, label: 'invocations' }),
          props.worker.metricErrors({ ...sum, label: 'errors' }),
          props.worker.metricThrottles({ ...sum, label: 'throttles' }),
        ],
        right: [
          props.worker.metricDuration({ statistic: 'p99', period: DEFAULT_PERIOD, label: 'duration p99' }),
        ],
        width: half,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: WIDTH, height: 4 }),
    );
  }
}
