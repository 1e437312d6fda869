/**
 * The Driftless construct and its parts, one concern per file:
 *
 *   resolve-props   props checked and defaulted first, errors naming the prop at fault
 *   state-table     DynamoDB from shared/state/schema.ts (keys, GSIs, TTL), PITR, protection
 *   pipeline-queues intake FIFO + DLQ, delayed continuation queue + DLQ
 *   pipeline-functions  webhook, sync worker (kubectl/helm layer, SQS sources with partial
 *                   batch responses), drift scan, API; one role each, granted what it uses
 *   webhook-api     HTTP API: open webhook routes (verified in code), IAM-authorised app routes
 *   drift-schedule  EventBridge rate rule → drift scan
 *   eks-access      access entries for the worker's role, scoped to namespaces unless asked
 *   alarm-topic, driftless-alarms, driftless-dashboard  observability
 */
export * from './alarm-topic.js';
export * from './bundling.js';
export * from './drift-schedule.js';
export * from './driftless.js';
export * from './driftless-alarms.js';
export * from './driftless-dashboard.js';
export * from './driftless-metrics.js';
export type * from './driftless-props.js';
export * from './eks-access.js';
export * from './function-environment.js';
export * from './pipeline-functions.js';
export * from './pipeline-queues.js';
export * from './resolve-props.js';
export * from './state-table.js';
export * from './webhook-api.js';
