import { describe, expect, it } from 'vitest';
import { EmfMetrics, MemoryMetrics, MetricDimension, MetricName } from '../../../shared/observe/index.js';
import type { Clock } from '../../../shared/ports/clock.js';
import { emfViolations } from './emf-spec.js';

const clock: Clock = { now: () => new Date('2026-11-26T09:00:00Z'), sleep: async () => {} };

function emf(options: { dimensions?: Record<string, string> } = {}) {
  const lines: string[] = [];
  const metrics = new EmfMetrics({ write: (line) => lines.push(line), clock, ...options });
  return { metrics, lines, documents: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('EmfMetrics', () => {
  it('writes documents the EMF specification accepts, one per set of dimension values', async () => {
    const { metrics, lines } = emf({ dimensions: { [MetricDimension.Service]: 'sync-worker' } });
    metrics.gauge(MetricName.OutOfSyncApplications, 3);
    metrics.gauge(MetricName.DriftedResources, 2, { [MetricDimension.App]: 'web' });
    metrics.gauge(MetricName.DriftedResources, 5, { [MetricDimension.App]: 'api' });
    metrics.timing(MetricName.SyncDuration, 1200, { [MetricDimension.App]: 'web' });
    metrics.timing(MetricName.SyncDuration, 800, { [MetricDimension.App]: 'web' });
    metrics.count(MetricName.SyncFailures, 1, { [MetricDimension.App]: 'api' });
    metrics.timing(MetricName.WebhookToSyncLatency, 4321);
    metrics.timing(MetricName.RenderDuration, 75, { [MetricDimension.SourceType]: 'kustomize' });
    metrics.count(MetricName.ApiRequests, 4, { [MetricDimension.Verb]: 'PATCH' });
    metrics.count(MetricName.ApiRequests, 6, { [MetricDimension.Verb]: 'PATCH' });

    await metrics.flush();

    expect(lines.map(emfViolations)).toEqual(lines.map(() => []));
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('golden/emf-documents.jsonl');
  });

  it('sums counts, keeps every timing and the last gauge', async () => {
    const { metrics, documents } = emf();
    metrics.count(MetricName.ItemsWritten, 3);
    metrics.count(MetricName.ItemsWritten, 4);
    metrics.timing(MetricName.SyncDuration, 10);
    metrics.timing(MetricName.SyncDuration, 20);
    metrics.gauge(MetricName.OutOfSyncApplications, 9);
    metrics.gauge(MetricName.OutOfSyncApplications, 2);

    await metrics.flush();

    expect(documents()).toEqual([
      {
        _aws: {
          Timestamp: Date.parse('2026-11-26T09:00:00Z'),
          CloudWatchMetrics: [
            {
              Namespace: 'Driftless',
              Dimensions: [[]],
              Metrics: [
                { Name: 'ItemsWritten', Unit: 'Count' },
                { Name: 'SyncDuration', Unit: 'Milliseconds' },
                { Name: 'OutOfSyncApplications', Unit: 'Count' },
              ],
            },
          ],
        },
        ItemsWritten: 7,
        SyncDuration: [10, 20],
        OutOfSyncApplications: 2,
      },
    ]);
  });

  it('spreads more than 100 samples and more than 100 metrics over several valid documents', async () => {
    const { metrics, lines, documents } = emf();
    for (let i = 0; i < 250; i += 1) metrics.timing(MetricName.RenderDuration, i);
    for (let i = 0; i < 120; i += 1) metrics.count(`Custom${i}`, 1);

    await metrics.flush();

    expect(lines.map(emfViolations)).toEqual(lines.map(() => []));
    const samples = documents().flatMap((d) => {
      const v = d.RenderDuration;
      return v === undefined ? [] : Array.isArray(v) ? v : [v];
    });
    expect(samples).toEqual(Array.from({ length: 250 }, (_, i) => i));
    const customs = documents().flatMap((d) => Object.keys(d).filter((k) => k.startsWith('Custom')));
    expect(new Set(customs).size).toBe(120);
  });

  it('writes nothing twice and nothing when empty', async () => {
    const { metrics, lines } = emf();
    metrics.count(MetricName.SyncFailures, 1);
    await metrics.flush();
    await metrics.flush();

    expect(lines).toHaveLength(1);
  });

  it('refuses what CloudWatch would drop: non-finite values, clashing names, bad dimensions', () => {
    const { metrics } = emf();

    expect(() => metrics.timing(MetricName.SyncDuration, Number.NaN)).toThrow(/finite number/);
    expect(() => metrics.count('App', 1, { App: 'web' })).toThrow(/collides/);
    expect(() => metrics.gauge(MetricName.DriftedResources, 1, { App: 'wéb' })).toThrow(/printable ASCII/);
    expect(() => metrics.gauge(MetricName.DriftedResources, 1, { App: ' ' })).toThrow(/not blank/);
    metrics.count(MetricName.SyncFailures, 1);
    expect(() => metrics.timing(MetricName.SyncFailures, 1)).toThrow(/one metric has one unit/);
  });
});

describe('MemoryMetrics', () => {
  it('answers sums, samples and gauges by name and dimensions', async () => {
    const metrics = new MemoryMetrics();
    metrics.count(MetricName.ApiRequests, 2, { Verb: 'GET' });
    metrics.count(MetricName.ApiRequests, 3, { Verb: 'PATCH' });
    metrics.count(MetricName.ApiRequests, 1, { Verb: 'GET' });
    metrics.gauge(MetricName.DriftedResources, 4, { App: 'web' });
    metrics.gauge(MetricName.DriftedResources, 0, { App: 'web' });
    await metrics.flush();

    expect(metrics.sum({ name: MetricName.ApiRequests })).toBe(6);
    expect(metrics.sum({ name: MetricName.ApiRequests, dimensions: { Verb: 'GET' } })).toBe(3);
    expect(metrics.last({ name: MetricName.DriftedResources, dimensions: { App: 'web' } })).toBe(0);
    expect(metrics.last({ name: MetricName.DriftedResources, dimensions: { App: 'api' } })).toBeUndefined();
    expect(metrics.flushes).toBe(1);
  });
});
