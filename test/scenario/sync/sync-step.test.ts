/**
 * The sync engine end to end on the Kubernetes API emulator: waves in order, hooks in their
 * phases (passing and failing), SyncFail hooks, pruning only what the app owns, CreateNamespace,
 * transient API failures, operation retries, an operation resumed over many steps, and how many
 * requests a sync costs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/model/kube-object.js';
import type { RecordedRequest } from '../../support/kube-emulator/index.js';
import {
  application,
  type Cluster,
  customResourceDefinition,
  runSync,
  startCluster,
} from './sync-harness.js';

const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';
const TRACKING = 'argocd.argoproj.io/tracking-id';

function configMap(name: string, annotations: Record<string, string> = {}, namespace?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, annotations, ...(namespace === undefined ? {} : { namespace }) },
    data: { name },
  };
}

function deployment(name: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, annotations },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  };
}

function service(name: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, annotations },
    spec: { selector: { app: name }, ports: [{ port: 80 }] },
  };
}

function job(metadata: KubeObject['metadata']): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata,
    spec: {
      backoffLimit: 0,
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'busybox:1.36' }] } },
    },
  };
}

/** Writes (not dry runs) in the emulator's log, as `resource/name`. */
function writes(requests: readonly RecordedRequest[], namespace: string): string[] {
  return requests
    .filter(
      (r) =>
        r.namespace === namespace && !r.dryRun && ['apply', 'create', 'update', 'delete'].includes(r.verb),
    )
    .map((r) => `${r.verb} ${r.resource}/${r.name ?? ''}`);
}

describe('sync step on the emulator', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  beforeEach(() => {
    cluster.emulator.clearFaults();
  });

  async function namespace(name: string): Promise<void> {
    await cluster.client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      { fieldManager: 'test' },
    );
  }

  it('applies three waves in order, each after the previous one is healthy, with tracking ids', async () => {
    await namespace('waves');
    cluster.emulator.resetRequests();
    const app = application('waves', 'waves');
    const run = await runSync({
      cluster,
      app,
      desired: [service('web', { [WAVE]: '2' }), deployment('web', { [WAVE]: '1' }), configMap('settings')],
    });
    expect(run.final.outcome).toEqual({
      kind: 'done',
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
    });
    expect(writes(cluster.emulator.requests, 'waves')).toEqual([
      'apply configmaps/settings',
      'apply deployments/web',
      'apply services/web',
    ]);
    const applies = cluster.emulator.requests.filter((r) => r.verb === 'apply' && r.namespace === 'waves');
    expect(new Set(applies.map((r) => r.fieldManager))).toEqual(new Set(['argocd-controller']));
    // The Service went out only once the Deployment had rolled out.
    const deploymentLive = cluster.emulator.getObject('apps/v1', 'Deployment', 'waves', 'web') as {
      metadata: { annotations: Record<string, string> };
      status: { availableReplicas?: number };
    };
    expect(deploymentLive.metadata.annotations[TRACKING]).toBe('waves:apps/Deployment:waves/web');
    expect(deploymentLive.status.availableReplicas).toBe(1);
    expect(run.final.results.map((r) => `${r.kind}/${r.name} ${r.status} ${r.hookPhase}`)).toEqual([
      'ConfigMap/settings Synced Succeeded',
      'Deployment/web Synced Succeeded',
      'Service/web Synced Running',
    ]);
  });

  it('runs a PreSync migration Job to completion before the Sync phase', async () => {
    await namespace('migrate');
    cluster.emulator.resetRequests();
    const migration = job({ generateName: 'migrate-', annotations: { [HOOK]: 'PreSync' } });
    const run = await runSync({
      cluster,
      app: application('api', 'migrate'),
      desired: [deployment('api'), migration],
    });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Succeeded');
    const hookName = run.final.results.find((r) => r.kind === 'Job')?.name ?? '';
    expect(hookName).toMatch(/^migrate-a1b2c3d-presync-\d+$/);
    expect(writes(cluster.emulator.requests, 'migrate')).toEqual([
      `apply jobs/${hookName}`,
      'apply deployments/api',
    ]);
    expect(run.final.results.find((r) => r.kind === 'Job')).toMatchObject({
      hookType: 'PreSync',
      hookPhase: 'Succeeded',
    });
    // Hooks are not part of what the app owns.
    expect(run.inventory.map((i) => `${i.key.kind}/${i.key.name}`)).toEqual(['Deployment/api']);
  });

  it('passes with a succeeding Sync-hook test Job and deletes it (HookSucceeded)', async () => {
    await namespace('smoke');
    const test = job({
      name: 'smoke',
      annotations: { [HOOK]: 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
    });
    const run = await runSync({
      cluster,
      app: application('smoke', 'smoke'),
      desired: [configMap('c'), test],
    });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Succeeded');
    expect(cluster.emulator.getObject('batch/v1', 'Job', 'smoke', 'smoke')).toBeUndefined();
  });

  it('fails on a failing Sync-hook Job, then runs the SyncFail hook', async () => {
    await namespace('broken');
    cluster.emulator.failJob('broken', 'smoke');
    const run = await runSync({
      cluster,
      app: application('broken', 'broken'),
      desired: [
        configMap('c'),
        job({ name: 'smoke', annotations: { [HOOK]: 'Sync' } }),
        job({ name: 'page-oncall', annotations: { [HOOK]: 'SyncFail' } }),
        configMap('after', { [HOOK]: 'PostSync' }),
      ],
    });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Failed');
    expect(run.final.operation.message).toMatch(
      /^one or more synchronization tasks completed unsuccessfully/,
    );
    const results = run.final.results.map((r) => `${r.syncPhase} ${r.kind}/${r.name} ${r.hookPhase}`);
    expect(results).toContain('Sync Job/smoke Failed');
    expect(results).toContain('SyncFail Job/page-oncall Succeeded');
    expect(cluster.emulator.getObject('batch/v1', 'Job', 'broken', 'page-oncall')).toBeDefined();
    // PostSync never ran.
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'broken', 'after')).toBeUndefined();
  });

  it('prunes a removed resource it owns and never a foreign or untracked-outside-inventory one', async () => {
    await namespace('prune');
    const app = application('shop', 'prune');
    const first = await runSync({ cluster, app, desired: [configMap('keep'), configMap('old')] });
    expect(first.inventory.map((i) => i.key.name).sort()).toEqual(['keep', 'old']);
    // Another app's object, and one nobody tracks, in the same namespace.
    await cluster.client.apply(
      configMap('theirs', { [TRACKING]: 'billing:/ConfigMap:prune/theirs' }, 'prune'),
      { fieldManager: 'argocd-controller' },
    );
    await cluster.client.apply(configMap('manual', {}, 'prune'), { fieldManager: 'kubectl' });
    const inventory = [
      ...first.inventory,
      { apiVersion: 'v1', key: { group: '', kind: 'ConfigMap', namespace: 'prune', name: 'theirs' } },
    ];
    const second = await runSync({ cluster, app, desired: [configMap('keep')], inventory });
    expect(second.final.outcome.kind === 'done' && second.final.outcome.phase).toBe('Succeeded');
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'prune', 'old')).toBeUndefined();
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'prune', 'theirs')).toBeDefined();
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'prune', 'manual')).toBeDefined();
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'prune', 'keep')).toBeDefined();
    expect(second.inventory.map((i) => i.key.name)).toEqual(['keep']);
  });

  it('skips pruning when the operation does not allow it, keeping the object in the inventory', async () => {
    await namespace('noprune');
    const app = application('np', 'noprune');
    const first = await runSync({ cluster, app, desired: [configMap('a'), configMap('b')] });
    const second = await runSync({
      cluster,
      app,
      desired: [configMap('a')],
      inventory: first.inventory,
      begin: { prune: false },
    });
    expect(second.final.results.find((r) => r.name === 'b')).toMatchObject({
      status: 'PruneSkipped',
      message: 'ignored (requires pruning)',
    });
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'noprune', 'b')).toBeDefined();
    expect(second.inventory.map((i) => i.key.name).sort()).toEqual(['a', 'b']);
  });

  it('creates the destination namespace with managedNamespaceMetadata (CreateNamespace=true)', async () => {
    const app = application('fresh', 'fresh-ns', {
      syncOptions: ['CreateNamespace=true'],
      managedNamespaceMetadata: { labels: { team: 'payments' } },
    });
    const run = await runSync({ cluster, app, desired: [configMap('c')] });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Succeeded');
    const ns = cluster.emulator.getObject('v1', 'Namespace', '', 'fresh-ns') as {
      metadata: { labels: Record<string, string> };
    };
    expect(ns.metadata.labels.team).toBe('payments');
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'fresh-ns', 'c')).toBeDefined();
  });

  it('converges through throttling and server errors', async () => {
    await namespace('flaky');
    cluster.emulator.resetRequests();
    cluster.emulator.addFault({ verb: 'apply', status: 503, times: 3 });
    cluster.emulator.addFault({ verb: 'get', resource: 'deployments', status: 429, times: 3 });
    const run = await runSync({
      cluster,
      app: application('flaky', 'flaky'),
      desired: [configMap('c'), deployment('d', { [WAVE]: '1' }), configMap('z', { [WAVE]: '2' })],
    });
    expect(run.final.outcome).toEqual({
      kind: 'done',
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
    });
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'flaky', 'z')).toBeDefined();
    const refused = cluster.emulator.requests.filter((r) => r.namespace === 'flaky' && r.status >= 429);
    expect(refused.map((r) => r.status).sort()).toEqual([429, 429, 429, 503, 503, 503]);
    expect(run.final.operation.retryCount).toBe(0);
  });

  it('retries a failed operation per the retry strategy, with fresh hooks', async () => {
    await namespace('retry');
    cluster.emulator.failJob('retry', 'check');
    const app = application('retry', 'retry', { retry: { limit: 2, backoff: { duration: '10s' } } });
    const run = await runSync({
      cluster,
      app,
      desired: [configMap('c'), job({ name: 'check', annotations: { [HOOK]: 'PostSync' } })],
      begin: { initiatedBy: 'automated' },
    });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Failed');
    expect(run.final.operation.retryCount).toBe(2);
    expect(run.final.operation.message).toMatch(/\(retried 2 times\)\.$/);
    const waits = run.steps.filter((s) => s.operation.retryAt !== undefined && s.outcome.kind === 'continue');
    expect(
      waits.map((s) => (s.outcome.kind === 'continue' ? s.outcome.afterSeconds : 0)).filter((n) => n > 1),
    ).toEqual([10, 20]);
  });

  it('continues an operation across many steps without applying any task twice', async () => {
    await namespace('resume');
    cluster.emulator.resetRequests();
    const desired = [0, 1, 2, 3].flatMap((w) => [
      configMap(`cm-${w}`, { [WAVE]: String(w) }),
      deployment(`app-${w}`, { [WAVE]: String(w) }),
    ]);
    const run = await runSync({
      cluster,
      app: application('resume', 'resume'),
      desired: [...desired, job({ name: 'pre', annotations: { [HOOK]: 'PreSync' } })],
      deadlineMs: 0,
    });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Succeeded');
    expect(run.steps.length).toBeGreaterThan(5);
    const applied = writes(cluster.emulator.requests, 'resume').filter((w) => w.startsWith('apply'));
    expect(applied).toHaveLength(9);
    expect(new Set(applied).size).toBe(9);
    expect(applied[0]).toBe('apply jobs/pre');
  });

  it('refuses to sync when the cluster does not serve a kind and no CRD comes with the sync', async () => {
    await namespace('unknown');
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } };
    const run = await runSync({
      cluster,
      app: application('unknown', 'unknown'),
      desired: [configMap('c'), widget],
    });
    expect(run.final.outcome).toEqual({
      kind: 'done',
      phase: 'Failed',
      message:
        'one or more synchronization tasks are not valid: the server does not serve example.com/v1 Gadget (Gadget/g)',
    });
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'unknown', 'c')).toBeUndefined();
  });

  it('applies a CRD and its custom resources in one sync', async () => {
    await namespace('crd');
    const crd = customResourceDefinition({ kind: 'Gizmo', scope: 'Namespaced' });
    const gizmo: KubeObject = {
      apiVersion: 'example.com/v1',
      kind: 'Gizmo',
      metadata: { name: 'g' },
      spec: { size: 1 },
    };
    const run = await runSync({ cluster, app: application('crd', 'crd'), desired: [gizmo, crd] });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Succeeded');
    const live = cluster.emulator.getObject('example.com/v1', 'Gizmo', 'crd', 'g') as {
      metadata: { annotations: Record<string, string> };
    };
    expect(live.metadata.annotations[TRACKING]).toBe('crd:example.com/Gizmo:crd/g');
  });

  it('makes one write per object and a few reads per group of a kind in a namespace on a first sync', async () => {
    const namespaces = ['count-a', 'count-b', 'count-c'];
    for (const ns of namespaces) await namespace(ns);
    const desired = namespaces.flatMap((ns) => [
      ...Array.from({ length: 20 }, (_, i) => configMap(`config-${i}`, {}, ns)),
      ...Array.from({ length: 10 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `secret-${i}`, namespace: ns },
        stringData: { key: String(i) },
      })),
      ...Array.from({ length: 5 }, (_, i) => ({
        ...service(`svc-${i}`, { [WAVE]: '1' }),
        metadata: { name: `svc-${i}`, namespace: ns, annotations: { [WAVE]: '1' } },
      })),
    ]);
    const groups = new Set(desired.map((o) => `${o.kind}/${o.metadata.namespace}`)).size;
    cluster.emulator.resetRequests();
    const run = await runSync({ cluster, app: application('count', 'count-a'), desired });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Succeeded');
    const ours = cluster.emulator.requests.filter((r) => namespaces.includes(r.namespace ?? ''));
    const written = ours.filter((r) => !r.dryRun && ['apply', 'create', 'update', 'patch'].includes(r.verb));
    expect(written).toHaveLength(desired.length);
    expect(new Set(written.map((r) => `${r.namespace}/${r.resource}/${r.name}`)).size).toBe(desired.length);
    // Planning lists each group once; the health check before wave 1 lists each wave-0 group once.
    const reads = ours.filter((r) => r.verb === 'get' || r.verb === 'list');
    expect(reads.length).toBeLessThanOrEqual(2 * groups);
    expect(reads.filter((r) => r.verb === 'get')).toEqual([]);
  });

  it('replaces an object whose live copy asks for Replace=true, from the state read while planning', async () => {
    await namespace('replace');
    await cluster.client.apply(
      configMap('swapped', { 'argocd.argoproj.io/sync-options': 'Replace=true' }, 'replace'),
      { fieldManager: 'kubectl' },
    );
    cluster.emulator.resetRequests();
    const run = await runSync({
      cluster,
      app: application('replace', 'replace'),
      desired: [configMap('swapped'), configMap('applied-a'), configMap('applied-b')],
    });
    expect(run.final.outcome.kind === 'done' && run.final.outcome.phase).toBe('Succeeded');
    expect(writes(cluster.emulator.requests, 'replace').sort()).toEqual([
      'apply configmaps/applied-a',
      'apply configmaps/applied-b',
      'update configmaps/swapped',
    ]);
    expect(run.final.results.find((r) => r.name === 'swapped')?.message).toBe('configmap/swapped replaced');
    const live = cluster.emulator.getObject('v1', 'ConfigMap', 'replace', 'swapped') as {
      metadata: { annotations: Record<string, string> };
    };
    expect(live.metadata.annotations[TRACKING]).toBe('replace:/ConfigMap:replace/swapped');
  });

  it('applies cluster-scoped custom resources in a later wave than their CRD, with CreateNamespace', async () => {
    const crd = customResourceDefinition({ kind: 'Realm', scope: 'Cluster' });
    const realm = (name: string, wave: string): KubeObject => ({
      apiVersion: 'example.com/v1',
      kind: 'Realm',
      metadata: { name, annotations: { [WAVE]: wave } },
      spec: { size: 1 },
    });
    const run = await runSync({
      cluster,
      app: application('realms', 'realms'),
      desired: [
        crd,
        realm('first', '1'),
        realm('second', '1'),
        realm('third', '1'),
        configMap('last', { [WAVE]: '2' }),
      ],
      begin: { syncOptions: ['CreateNamespace=true'] },
    });
    expect(run.final.outcome).toEqual({
      kind: 'done',
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
    });
    expect(cluster.emulator.getObject('example.com/v1', 'Realm', '', 'second')).toBeDefined();
    expect(cluster.emulator.getObject('v1', 'ConfigMap', 'realms', 'last')).toBeDefined();
  });
});
