/**
 * Comparison (refresh) on the Kubernetes API emulator through the real client-node KubeClient:
 * synced apps compare Synced despite server defaults, live edits are reported with the field,
 * the predicted cache saves every dry run, groups are read with LISTs, extraneous objects require
 * pruning, and a refused dry run falls back to comparing desired fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppComparison,
  compareApp,
  MemoryPredictedCache,
  scanOwnedInventory,
  syncedKeys,
} from '../../../shared/compare/index.js';
import type { KubeObject } from '../../../shared/model/kube-object.js';
import { EMULATOR_TOKEN } from '../../support/kube-emulator/kubeconfig.js';
import { application, type Cluster, runSync, startCluster } from '../sync/sync-harness.js';

function configMap(name: string, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, annotations }, data: { name } };
}

function deployment(name: string, replicas = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

function service(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 80 }] },
  };
}

function summary(comparison: AppComparison): string[] {
  return comparison.resources.map(
    (r) =>
      `${r.key.kind}/${r.key.name} ${r.status}${r.requiresPruning ? ' prune' : ''}${r.hook ? ' hook' : ''} ${r.prediction}`,
  );
}

describe('compareApp on the emulator', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function synced(namespace: string, desired: readonly KubeObject[]): Promise<void> {
    await cluster.client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      { fieldManager: 'test' },
    );
    const run = await runSync({ cluster, app: application(namespace, namespace), desired });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Succeeded');
    // The last wave succeeds once applied; let the controller finish rolling out (status writes
    // move resourceVersions, which comparisons key their cache on).
    for (const obj of desired.filter((o) => o.kind === 'Deployment')) {
      for (let i = 0; i < 500; i++) {
        const live = cluster.emulator.getObject(
          'apps/v1',
          'Deployment',
          namespace,
          obj.metadata.name ?? '',
        ) as
          | { spec: { replicas: number }; status?: { availableReplicas?: number; updatedReplicas?: number } }
          | undefined;
        const status = live?.status;
        if (
          status?.availableReplicas === live?.spec.replicas &&
          status?.updatedReplicas === live?.spec.replicas
        )
          break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }

  /** A change made outside git, as `kubectl patch --type merge` would send it. */
  async function livePatch(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${cluster.emulator.url}${path}?fieldManager=kubectl-patch`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json', authorization: `Bearer ${EMULATOR_TOKEN}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  it('finds a freshly synced app Synced and Healthy: server defaults are not drift', async () => {
    const desired = [deployment('web'), service('web'), configMap('settings')];
    await synced('defaults', desired);
    const app = application('defaults', 'defaults');
    const comparison = await compareApp({ app, desired, kube: cluster.client });
    expect(summary(comparison)).toEqual([
      'ConfigMap/settings Synced dry-run',
      'Service/web Synced dry-run',
      'Deployment/web Synced dry-run',
    ]);
    expect(comparison.syncStatus).toBe('Synced');
    expect(comparison.health).toEqual({ status: 'Healthy' });
    // The server did add defaults: the comparison saw them and did not count them.
    const live = cluster.emulator.getObject('apps/v1', 'Deployment', 'defaults', 'web') as {
      spec: { strategy?: unknown; revisionHistoryLimit?: number };
    };
    expect(live.spec.revisionHistoryLimit).toBe(10);
    expect(live.spec.strategy).toBeDefined();

    // Without a server-side prediction, comparing desired fields agrees.
    const withoutDryRun = await compareApp({
      app,
      desired,
      kube: cluster.client,
      predictedCache: {
        get: async () => undefined,
        set: async () => {},
      },
    });
    expect(withoutDryRun.syncStatus).toBe('Synced');
  });

  it('reports a live edit as OutOfSync naming the field, and syncedKeys says which to apply', async () => {
    const desired = [deployment('api', 3), configMap('api-settings')];
    await synced('edited', desired);
    await livePatch('/apis/apps/v1/namespaces/edited/deployments/api', { spec: { replicas: 5 } });
    const comparison = await compareApp({
      app: application('edited', 'edited'),
      desired,
      kube: cluster.client,
    });
    expect(comparison.syncStatus).toBe('OutOfSync');
    const api = comparison.resources.find((r) => r.key.kind === 'Deployment');
    expect(api?.status).toBe('OutOfSync');
    expect(api?.changedPaths).toContain('spec.replicas');
    expect(api?.diff?.comparison).toBe('predicted');
    const isSynced = syncedKeys(comparison);
    expect(isSynced({ group: 'apps', kind: 'Deployment', namespace: 'edited', name: 'api' })).toBe(false);
    expect(isSynced({ group: '', kind: 'ConfigMap', namespace: 'edited', name: 'api-settings' })).toBe(true);

    await livePatch('/apis/apps/v1/namespaces/edited/deployments/api', {
      spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } },
    });
    const again = await compareApp({ app: application('edited', 'edited'), desired, kube: cluster.client });
    expect(again.resources.find((r) => r.key.kind === 'Deployment')?.changedPaths).toContain(
      'spec.template.spec.containers[name=web].image',
    );
  });

  it('makes no dry-run request when the predicted cache is warm', async () => {
    const desired = [deployment('cached'), service('cached')];
    await synced('cached', desired);
    const app = application('cached', 'cached');
    const cache = new MemoryPredictedCache();
    const first = await compareApp({ app, desired, kube: cluster.client, predictedCache: cache });
    expect(first.stats).toMatchObject({ dryRuns: 2, cacheHits: 0 });
    cluster.emulator.resetRequests();
    const second = await compareApp({ app, desired, kube: cluster.client, predictedCache: cache });
    expect(second.syncStatus).toBe('Synced');
    expect(second.stats).toMatchObject({ dryRuns: 0, cacheHits: 2 });
    expect(cluster.emulator.requests.filter((r) => r.verb === 'apply' || r.verb === 'patch')).toEqual([]);

    // A live change moves the resourceVersion: that resource is predicted afresh.
    await livePatch('/api/v1/namespaces/cached/services/cached', { metadata: { labels: { team: 'a' } } });
    const third = await compareApp({ app, desired, kube: cluster.client, predictedCache: cache });
    expect(third.stats).toMatchObject({ dryRuns: 1, cacheHits: 1 });
  });

  it('reads an app of many resources with one LIST per kind and namespace', async () => {
    const desired = [
      ...Array.from({ length: 40 }, (_, i) => configMap(`cm-${String(i).padStart(2, '0')}`)),
      deployment('one'),
      service('one'),
    ];
    await synced('many', desired);
    cluster.emulator.resetRequests();
    const comparison = await compareApp({
      app: application('many', 'many'),
      desired,
      kube: cluster.client,
      predictedCache: new MemoryPredictedCache(),
    });
    expect(comparison.syncStatus).toBe('Synced');
    expect(comparison.resources).toHaveLength(42);
    const reads = cluster.emulator.requests.filter((r) => r.verb === 'list' || r.verb === 'get');
    expect(
      reads.map((r) => `${r.verb} ${r.resource}${r.name === undefined ? '' : `/${r.name}`}`).sort(),
    ).toEqual(['get deployments/one', 'get services/one', 'list configmaps']);
    expect(comparison.stats).toMatchObject({ lists: 1, gets: 2 });
  });

  it('lists what the app owns but no longer renders as requiring pruning, unless IgnoreExtraneous', async () => {
    const desired = [configMap('a'), configMap('b'), configMap('c'), configMap('d')];
    await synced('extra', desired);
    const app = application('extra', 'extra');
    const inventory = await scanOwnedInventory({ kube: cluster.client, appName: 'extra', kinds: desired });
    expect(inventory.map((i) => i.key.name)).toEqual(['a', 'b', 'c', 'd']);

    // d is dropped from git (found through the inventory), c too (found by its tracking id).
    const comparison = await compareApp({
      app,
      desired: [configMap('a'), configMap('b'), configMap('e')],
      inventory: inventory.filter((i) => i.key.name !== 'c'),
      kube: cluster.client,
    });
    expect(summary(comparison)).toEqual([
      'ConfigMap/a Synced dry-run',
      'ConfigMap/b Synced dry-run',
      'ConfigMap/c OutOfSync prune none',
      'ConfigMap/d OutOfSync prune none',
      'ConfigMap/e OutOfSync none',
    ]);

    await livePatch('/api/v1/namespaces/extra/configmaps/c', {
      metadata: { annotations: { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' } },
    });
    const ignoring = await compareApp({
      app,
      desired: [configMap('a'), configMap('b'), configMap('d')],
      kube: cluster.client,
    });
    expect(summary(ignoring)).toContain('ConfigMap/c OutOfSync prune none');
    expect(ignoring.syncStatus).toBe('Synced');
  });

  it('does not compare hooks, and falls back to desired fields when the dry run is refused', async () => {
    const desired = [deployment('fallback', 1)];
    await synced('fallback', desired);
    const hook: KubeObject = {
      ...configMap('hooked'),
      metadata: { name: 'hooked', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } },
    };
    const invalid = deployment('fallback', -1);
    const comparison = await compareApp({
      app: application('fallback', 'fallback'),
      desired: [invalid, hook],
      kube: cluster.client,
    });
    expect(summary(comparison)).toEqual([
      'ConfigMap/hooked Synced hook none',
      'Deployment/fallback OutOfSync failed',
    ]);
    const resource = comparison.resources.find((r) => r.key.kind === 'Deployment');
    expect(resource?.predictionError).toMatch(/server-side dry run refused: .*spec\.replicas/);
    expect(resource?.diff?.comparison).toBe('desired-fields');
    expect(resource?.changedPaths).toEqual(['spec.replicas']);
  });
});
