/**
 * What the functions publish and what the alarms read must be the same CloudWatch metric, that is
 * the same name and exact dimension set: the EMF documents written through the functions' metrics
 * against the metrics infra/ builds its alarms and dashboard on.
 */
import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from '../../functions/service-metrics.js';
import {
  applicationsByStatus,
  driftedResources,
  outOfSyncApplications,
  webhookToSyncLatency,
} from '../../infra/lib/constructs/driftless-metrics.js';
import { EmfMetrics, MetricDimension, MetricName } from '../../shared/observe/index.js';
import { FakeClock } from '../support/fake-clock.js';

interface Published {
  readonly metric: string;
  readonly dimensions: Record<string, string>;
}

async function publish(service: string, record: (metrics: ServiceMetrics) => void): Promise<Published[]> {
  const lines: string[] = [];
  const metrics = new ServiceMetrics({
    target: new EmfMetrics({ write: (line) => lines.push(line), clock: new FakeClock() }),
    service,
  });
  record(metrics);
  await metrics.flush();
  return lines.flatMap((line) => {
    const doc = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    return doc._aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((m) => ({
        metric: m.Name,
        dimensions: Object.fromEntries((directive.Dimensions[0] ?? []).map((d) => [d, String(doc[d])])),
      })),
    );
  });
}

function alarmed(metric: { metricName: string; dimensions?: Record<string, unknown> }): Published {
  return {
    metric: metric.metricName,
    dimensions: Object.fromEntries(Object.entries(metric.dimensions ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

describe('metric dimensions', () => {
  it('publishes the fleet-wide OutOfSyncApplications gauge without dimensions, as the alarm reads it', async () => {
    const published = await publish('drift-scan', (m) => m.gauge(MetricName.OutOfSyncApplications, 2));
    expect(published).toEqual([{ metric: MetricName.OutOfSyncApplications, dimensions: {} }]);
    expect(published).toContainEqual(alarmed(outOfSyncApplications(Duration.minutes(3))));
  });

  it('publishes the Applications-by-status gauges without Service, as the dashboard reads them', async () => {
    const published = await publish('drift-scan', (m) => {
      m.gauge(MetricName.Applications, 3, { [MetricDimension.SyncStatus]: 'OutOfSync' });
      m.gauge(MetricName.Applications, 1, { [MetricDimension.HealthStatus]: 'Degraded' });
    });
    expect(published).toContainEqual(
      alarmed(applicationsByStatus('SyncStatus', 'OutOfSync', Duration.minutes(3))),
    );
    expect(published).toContainEqual(
      alarmed(applicationsByStatus('HealthStatus', 'Degraded', Duration.minutes(3))),
    );
  });

  it('adds the Service dimension to the worker metrics the alarms read per app and fleet-wide', async () => {
    const published = await publish('sync-worker', (m) => {
      m.gauge(MetricName.DriftedResources, 1, { [MetricDimension.App]: 'payments' });
      m.timing(MetricName.WebhookToSyncLatency, 1200);
    });
    expect(published).toContainEqual(alarmed(driftedResources('payments', Duration.minutes(3))));
    expect(published).toContainEqual(alarmed(webhookToSyncLatency('p99')));
    expect(published).toContainEqual({
      metric: MetricName.DriftedResources,
      dimensions: { App: 'payments', Service: 'sync-worker' },
    });
  });

  it("keeps a caller's own Service dimension over the function's", async () => {
    const published = await publish('api', (m) =>
      m.count(MetricName.ItemsRead, 3, { [MetricDimension.Service]: 'serve' }),
    );
    expect(published).toEqual([{ metric: MetricName.ItemsRead, dimensions: { Service: 'serve' } }]);
  });
});
