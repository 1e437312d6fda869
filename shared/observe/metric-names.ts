/**
 * The metrics Driftless publishes, in the CloudWatch namespace `Driftless`. The kind says which
 * Metrics method records it (count: summed per flush; timing: every sample kept; gauge: last
 * value wins). The dimensions listed per metric come on top of `Service` (the publishing Lambda
 * function, added by functions/service-metrics.ts), which every metric carries except the
 * fleet-wide gauges (OutOfSyncApplications and Applications, FLEET_GAUGES there): those describe all applications
 * whichever function computed them, so they are published with no dimension at all, and the
 * alarms read them so.
 */
export const METRIC_NAMESPACE = 'Driftless';

export const MetricName = {
  /**
   * gauge, fleet-wide, no dimension (not even Service): Applications whose sync status is
   * OutOfSync after a refresh or drift scan.
   */
  OutOfSyncApplications: 'OutOfSyncApplications',
  /**
   * gauge, fleet-wide (no Service): Applications per SyncStatus (Synced, OutOfSync, Unknown) and,
   * as a second series set, per HealthStatus (Healthy … Unknown), after each drift scan. Every
   * status is published, zeros included, so a status that empties shows 0, not a stale value.
   */
  Applications: 'Applications',
  /** gauge, per App: live resources that differ from git. */
  DriftedResources: 'DriftedResources',
  /** timing, per App: from the start of an operation to its end (all steps). */
  SyncDuration: 'SyncDuration',
  /** count, per App: operations that ended Failed or Error. */
  SyncFailures: 'SyncFailures',
  /** timing: from the webhook's arrival to the end of the sync it caused. */
  WebhookToSyncLatency: 'WebhookToSyncLatency',
  /** timing, per SourceType (directory, kustomize, helm): rendering one source. */
  RenderDuration: 'RenderDuration',
  /** count, per Verb: requests to a Kubernetes API server. */
  ApiRequests: 'ApiRequests',
  /** count: DynamoDB items read. */
  ItemsRead: 'ItemsRead',
  /** count: DynamoDB items written. */
  ItemsWritten: 'ItemsWritten',
  /** gauge, per Queue: messages waiting (visible). */
  QueueDepth: 'QueueDepth',
  /** count, per Queue: messages moved to a dead-letter queue. */
  DeadLetteredMessages: 'DeadLetteredMessages',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];

export const MetricDimension = {
  App: 'App',
  Verb: 'Verb',
  Queue: 'Queue',
  SourceType: 'SourceType',
  SyncStatus: 'SyncStatus',
  HealthStatus: 'HealthStatus',
  /**
   * The Lambda function that emitted the metric (webhook, sync-worker, drift-scan, api): on every
   * metric except the fleet-wide gauges.
   */
  Service: 'Service',
} as const;

export type MetricDimension = (typeof MetricDimension)[keyof typeof MetricDimension];
