import { Stack, Token, Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.js';
import { DriftSchedule } from './drift-schedule.js';
import { DriftlessAlarms } from './driftless-alarms.js';
import { DriftlessDashboard } from './driftless-dashboard.js';
import type { DriftlessProps } from './driftless-props.js';
import { EksAccess } from './eks-access.js';
import { PipelineFunctions } from './pipeline-functions.js';
import { PipelineQueues } from './pipeline-queues.js';
import { type ResolvedProps, resolveDriftlessProps } from './resolve-props.js';
import { StateTable } from './state-table.js';
import { WebhookApi } from './webhook-api.js';

/**
 * Driftless on AWS: webhook API → intake queue → sync worker → EKS, a drift scan on a schedule,
 * state in DynamoDB, alarms and a dashboard. Props are checked before anything is created, and
 * every default is the secure one (encryption, TLS-only queues and topic, deletion protection,
 * least-privilege roles, IAM-authorised application API).
 */
export class Driftless extends Construct {
  readonly settings: ResolvedProps;
  readonly state: StateTable;
  readonly queues: PipelineQueues;
  readonly functions: PipelineFunctions;
  readonly api: WebhookApi;
  readonly schedule: DriftSchedule;
  readonly eksAccess: EksAccess;
  readonly alarmTopic: AlarmTopic;
  readonly alarms: DriftlessAlarms;
  readonly dashboard: DriftlessDashboard;

  constructor(scope: Construct, id: string, props: DriftlessProps) {
    super(scope, id);
    const stackRegion = Stack.of(this).region;
    this.settings = resolveDriftlessProps(props, {
      ...(Token.isUnresolved(stackRegion) ? {} : { stackRegion }),
    });
    const settings = this.settings;

    this.state = new StateTable(this, 'State', {
      deletionProtection: settings.deletionProtection,
      ...(settings.tableName === undefined ? {} : { tableName: settings.tableName }),
    });
    this.queues = new PipelineQueues(this, 'Queues', { workerTimeout: settings.worker.timeout });
    this.functions = new PipelineFunctions(this, 'Functions', {
      settings,
      state: this.state,
      queues: this.queues,
      ...(settings.commitStatusSecretName === undefined
        ? {}
        : { commitStatusSecretName: settings.commitStatusSecretName }),
    });
    this.api = new WebhookApi(this, 'Api', {
      webhook: this.functions.webhook.function,
      api: this.functions.api.function,
      rateLimit: settings.api.rateLimit,
      burstLimit: settings.api.burstLimit,
      logRetention: settings.logRetention,
    });
    this.schedule = new DriftSchedule(this, 'DriftSchedule', {
      driftScan: this.functions.driftScan.function,
      interval: settings.driftScanInterval,
    });
    this.eksAccess = new EksAccess(this, 'EksAccess', {
      clusters: settings.clusters,
      workerRole: this.functions.worker.role,
    });

    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
      ...(settings.alarms.topic ? { topic: settings.alarms.topic } : {}),
      ...(settings.alarms.email ? { email: settings.alarms.email } : {}),
    });
    const deadLetterQueues = [
      { name: 'intake', queue: this.queues.intakeDeadLetter },
      { name: 'continuation', queue: this.queues.continuationDeadLetter },
    ];
    this.alarms = new DriftlessAlarms(this, 'Alarms', {
      topic: this.alarmTopic.topic,
      scanInterval: settings.driftScanInterval,
      outOfSyncPeriods: settings.alarms.outOfSyncPeriods,
      criticalApps: settings.alarms.criticalApps,
      webhookClientErrorPercent: settings.alarms.webhookClientErrorPercent,
      httpApi: this.api.httpApi,
      worker: this.functions.worker.function,
      deadLetterQueues,
    });
    this.dashboard = new DriftlessDashboard(this, 'Dashboard', {
      scanInterval: settings.driftScanInterval,
      httpApi: this.api.httpApi,
      worker: this.functions.worker.function,
      queues: [
        { name: 'intake', queue: this.queues.intake },
        { name: 'continuation', queue: this.queues.continuation },
        ...deadLetterQueues.map(({ name, queue }) => ({ name: `${name} DLQ`, queue })),
      ],
      alarms: this.alarms.alarms,
    });

    for (const fn of this.functions.all) {
      Validations.of(fn.function).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x on purpose: the code is tested on Node 22, and moving to a newer runtime is a deliberate upgrade, not a default.',
      });
      Validations.of(fn.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments and PutTelemetryRecords support no resource-level permissions; AWS requires "*" for them.',
      });
    }
  }
}
