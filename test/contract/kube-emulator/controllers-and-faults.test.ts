/**
 * The emulator's simulated controllers (rollouts, Jobs, load balancers, claims), fault injection,
 * the request log and WATCH streams.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { apply, at, call, deployment, until } from './kube-http.js';

function job(name: string, annotations?: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } } },
  };
}

function conditionOf(obj: unknown, type: string): unknown {
  const list = (at(obj, 'status', 'conditions') ?? []) as unknown[];
  return list.find((c) => at(c, 'type') === type);
}

describe('simulated controllers', () => {
  let emulator: KubeEmulator;

  beforeAll(async () => {
    emulator = await startKubeEmulator({ controller: { stepMs: 2 } });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('rolls a Deployment out until it is Available', async () => {
    await apply(emulator, '/apis/apps/v1/namespaces/default/deployments/web', deployment(3), {
      fieldManager: 'm',
    });
    const done = await until(
      () => emulator.getObject('apps/v1', 'Deployment', 'default', 'web'),
      (d) => at(conditionOf(d, 'Available'), 'status') === 'True',
    );
    expect(at(done, 'status', 'observedGeneration')).toBe(1);
    expect(at(done, 'status', 'readyReplicas')).toBe(3);
    expect(at(done, 'status', 'updatedReplicas')).toBe(3);
    expect(at(conditionOf(done, 'Progressing'), 'reason')).toBe('NewReplicaSetAvailable');
    expect(at(done, 'metadata', 'generation')).toBe(1);
    const pods = await call(emulator, '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb');
    const items = pods.json.items as unknown[];
    expect(items).toHaveLength(3);
    expect(items.every((p) => at(p, 'status', 'phase') === 'Running')).toBe(true);
  });

  it('completes a Job, and fails one told to fail by failJob or by annotation', async () => {
    await call(emulator, '/apis/batch/v1/namespaces/default/jobs', { method: 'POST', body: job('ok') });
    await call(emulator, '/apis/batch/v1/namespaces/default/jobs', { method: 'POST', body: job('told') });
    emulator.failJob('default', 'told');
    await call(emulator, '/apis/batch/v1/namespaces/default/jobs', {
      method: 'POST',
      body: job('annotated', { 'emulator.driftless.dev/fail': 'true' }),
    });
    const read = (name: string) => () => emulator.getObject('batch/v1', 'Job', 'default', name);
    const ok = await until(read('ok'), (j) => conditionOf(j, 'Complete') !== undefined);
    expect(at(ok, 'status', 'succeeded')).toBe(1);
    expect(at(ok, 'status', 'completionTime')).toMatch(/Z$/);
    expect(at(conditionOf(ok, 'SuccessCriteriaMet'), 'status')).toBe('True');
    for (const name of ['told', 'annotated']) {
      const failed = await until(read(name), (j) => conditionOf(j, 'Failed') !== undefined);
      expect(at(conditionOf(failed, 'Failed'), 'reason')).toBe('BackoffLimitExceeded');
      expect(at(failed, 'status', 'failed')).toBeGreaterThan(0);
      expect(conditionOf(failed, 'Complete')).toBeUndefined();
    }
  });

  it('gives LoadBalancer Services a hostname and binds claims', async () => {
    await call(emulator, '/api/v1/namespaces/default/services', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'lb' },
        spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
      },
    });
    const svc = await until(
      () => emulator.getObject('v1', 'Service', 'default', 'lb'),
      (s) => at(s, 'status', 'loadBalancer', 'ingress', 0, 'hostname') !== undefined,
    );
    expect(at(svc, 'spec', 'ports', 0)).toEqual({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(at(svc, 'spec', 'clusterIP')).toMatch(/^10\.96\./);
    await call(emulator, '/api/v1/namespaces/default/persistentvolumeclaims', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      },
    });
    const pvc = await until(
      () => emulator.getObject('v1', 'PersistentVolumeClaim', 'default', 'data'),
      (p) => at(p, 'status', 'phase') === 'Bound',
    );
    expect(at(pvc, 'status', 'capacity')).toEqual({ storage: '1Gi' });
  });
});

describe('faults, request log and watch', () => {
  let emulator: KubeEmulator;

  beforeAll(async () => {
    emulator = await startKubeEmulator({ controller: { enabled: false } });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('answers every second patch of deployments with 503 under share 0.5, and records it', async () => {
    await apply(emulator, '/apis/apps/v1/namespaces/default/deployments/web', deployment(1), {
      fieldManager: 'm',
    });
    emulator.resetRequests();
    const remove = emulator.addFault({ verb: 'patch', resource: 'deployments', status: 503, share: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call(emulator, '/apis/apps/v1/namespaces/default/deployments/web', {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { metadata: { labels: { round: String(i) } } },
      });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([200, 503, 200, 503, 200, 503]);
    // Other verbs are not affected by the rule.
    expect((await call(emulator, '/apis/apps/v1/namespaces/default/deployments/web')).status).toBe(200);
    remove();
    const patches = emulator.requests.filter((r) => r.verb === 'patch' && r.resource === 'deployments');
    expect(patches.map((r) => r.status)).toEqual(statuses);
    expect(patches[0]).toMatchObject({
      group: 'apps',
      version: 'v1',
      namespace: 'default',
      name: 'web',
      method: 'PATCH',
    });
  });

  it('throttles with 429 and Retry-After, limited by times, and drops connections', async () => {
    emulator.addFault({ verb: 'get', kind: 'ConfigMap', status: 429, times: 1 });
    const throttled = await call(emulator, '/api/v1/namespaces/default/configmaps/none');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(at(throttled.json, 'details', 'retryAfterSeconds')).toBe(1);
    expect((await call(emulator, '/api/v1/namespaces/default/configmaps/none')).status).toBe(404);
    emulator.addFault({ verb: 'list', resource: 'secrets', drop: true });
    await expect(call(emulator, '/api/v1/namespaces/default/secrets')).rejects.toThrow();
    emulator.clearFaults();
    expect((await call(emulator, '/api/v1/namespaces/default/secrets')).status).toBe(200);
  });

  it('streams watch events from a resourceVersion and refuses WatchList', async () => {
    const list = await call(emulator, '/api/v1/namespaces/default/configmaps');
    const rv = String(at(list.json, 'metadata', 'resourceVersion'));
    const refused = await call(
      emulator,
      '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan',
    );
    expect(refused.status).toBe(422);
    await call(emulator, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched' } },
    });
    await call(emulator, '/api/v1/namespaces/default/configmaps/watched', { method: 'DELETE' });
    const res = await fetch(
      `${emulator.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`,
    );
    const reader = res.body!.getReader();
    let text = '';
    while (text.split('\n').length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const events = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);
    expect(events.map((e) => [at(e, 'type'), at(e, 'object', 'metadata', 'name')])).toEqual([
      ['ADDED', 'watched'],
      ['DELETED', 'watched'],
    ]);
    expect(at(events[0], 'object', 'kind')).toBe('ConfigMap');
  });
});
