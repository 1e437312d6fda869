import type { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_PERIOD,
  driftedResources,
  outOfSyncApplications,
  syncFailuresTotal,
} from './driftless-metrics.js';

export interface DriftlessAlarmsProps {
  readonly topic: ITopic;
  /** The drift scan's period: the gauges it drives have one point per scan. */
  readonly scanInterval: Duration;
  readonly outOfSyncPeriods: number;
  readonly criticalApps: readonly string[];
  readonly webhookClientErrorPercent: number;
  readonly httpApi: HttpApi;
  readonly worker: IFunction;
  readonly deadLetterQueues: readonly { readonly name: string; readonly queue: IQueue }[];
}

// Below this many requests in a period a 4xx percentage says nothing (one bad ping is 100%).
const MIN_REQUESTS_FOR_RATE = 10;

/**
 * The alarms, each notifying the topic when it fires and when it clears. Error counts treat
 * missing data as fine (no invocations, no errors); the drift gauges do not, so a scan that
 * stops publishing leaves the alarm in INSUFFICIENT_DATA rather than OK.
 */
export class DriftlessAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  readonly #action: SnsAction;

  constructor(scope: Construct, id: string, props: DriftlessAlarmsProps) {
    super(scope, id);
    this.#action = new SnsAction(props.topic);

    this.#add('OutOfSync', {
      metric: outOfSyncApplications(props.scanInterval),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: props.outOfSyncPeriods,
      treatMissingData: TreatMissingData.MISSING,
      description: `Applications stayed OutOfSync for ${props.outOfSyncPeriods} drift scans in a row`,
    });
    for (const app of props.criticalApps) {
      this.#add(`Drift-${app.replace(/[^A-Za-z0-9-]/g, '-')}`, {
        metric: driftedResources(app, props.scanInterval),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: props.outOfSyncPeriods,
        treatMissingData: TreatMissingData.MISSING,
        description: `Critical application "${app}" has live resources that differ from git for ${props.outOfSyncPeriods} drift scans`,
      });
    }
    this.#add('SyncFailures', {
      metric: syncFailuresTotal(),
      threshold: 1,
      description: 'A sync operation ended Failed or Error',
    });
    for (const { name, queue } of props.deadLetterQueues) {
      this.#add(`DeadLetters-${name}`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: DEFAULT_PERIOD,
        }),
        threshold: 1,
        description: `Messages gave up on after repeated failures wait in the ${name} dead-letter queue; the reason is on the application`,
      });
    }
    this.#add('WebhookServerErrors', {
      metric: props.httpApi.metricServerError({ statistic: 'Sum', period: DEFAULT_PERIOD }),
      threshold: 1,
      description:
        'The webhook answered 5xx: Git providers do not redeliver by themselves, so a push waits for the next drift scan',
    });
    this.#add('WebhookClientErrors', {
      metric: new MathExpression({
        expression: `IF(requests >= ${MIN_REQUESTS_FOR_RATE}, 100 * clientErrors / requests, 0)`,
        usingMetrics: {
          requests: props.httpApi.metricCount({ statistic: 'Sum', period: DEFAULT_PERIOD }),
          clientErrors: props.httpApi.metricClientError({ statistic: 'Sum', period: DEFAULT_PERIOD }),
        },
        period: DEFAULT_PERIOD,
        label: 'Webhook 4xx (%)',
      }),
      threshold: props.webhookClientErrorPercent,
      description: `At least ${props.webhookClientErrorPercent}% of webhook requests were refused (wrong secret, oversize, malformed or throttled)`,
    });
    this.#add('WorkerErrors', {
      metric: props.worker.metricErrors({ statistic: 'Sum', period: DEFAULT_PERIOD }),
      threshold: 1,
      description:
        'The sync worker crashed or timed out (failed messages alone are reported per item, not as errors)',
    });
    this.#add('WorkerThrottles', {
      metric: props.worker.metricThrottles({ statistic: 'Sum', period: DEFAULT_PERIOD }),
      threshold: 1,
      description: 'The sync worker was throttled: its concurrency is too small for the queue',
    });
  }

  #add(
    id: string,
    props: {
      metric: IMetric;
      threshold: number;
      /** Default: at or above the threshold once, with no data counting as fine (an event alarm). */
      comparisonOperator?: ComparisonOperator;
      evaluationPeriods?: number;
      treatMissingData?: TreatMissingData;
      description: string;
    },
  ): void {
    const { description, ...alarmProps } = props;
    const alarm = new Alarm(this, id, {
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      ...alarmProps,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.#action);
    alarm.addOkAction(this.#action);
    this.alarms.push(alarm);
  }
}
