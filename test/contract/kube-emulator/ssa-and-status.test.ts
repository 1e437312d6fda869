/**
 * Server-side apply semantics, object lifecycle rules and Status bodies of the emulator, checked
 * against the reference data in ../shared/conformance/kube-api (the two-manager Deployment and the
 * recorded Status bodies).
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { apply, at, call, deployment, resourceVersionOf } from './kube-http.js';

const conformance = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/conformance/kube-api',
);
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

function referenceStatus(name: string): string {
  return readFileSync(join(conformance, 'status', name), 'utf8').trim();
}

/** The body as the server wrote it, re-indented like the reference files (key order preserved). */
function pretty(body: unknown): string {
  return JSON.stringify(body, null, 2);
}

function withoutTimes(entries: unknown): unknown[] {
  return ((entries ?? []) as Record<string, unknown>[]).map(({ time: _t, ...rest }) => rest);
}

describe('server-side apply, lifecycle and Status bodies', () => {
  let emulator: KubeEmulator;

  beforeAll(async () => {
    emulator = await startKubeEmulator({ controller: { enabled: false } });
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('reproduces the two-manager Deployment of the reference', async () => {
    const reference = parse(
      readFileSync(join(conformance, 'ssa', 'deployment-two-managers.yaml'), 'utf8'),
    ) as Record<string, unknown>;
    const created = await apply(emulator, `${DEPLOYMENTS}/web`, deployment(2), {
      fieldManager: 'kubectl',
      force: false,
    });
    expect(created.status).toBe(201);
    const annotated = await call(emulator, `${DEPLOYMENTS}/web?fieldManager=kube-controller-manager`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { 'deployment.kubernetes.io/revision': '1' } } },
    });
    expect(annotated.status).toBe(200);
    const statusWrite = await call(
      emulator,
      `${DEPLOYMENTS}/web/status?fieldManager=kube-controller-manager`,
      {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { status: reference.status },
      },
    );
    expect(statusWrite.status).toBe(200);
    const live = emulator.getObject('apps/v1', 'Deployment', 'default', 'web');
    expect(withoutTimes(at(live, 'metadata', 'managedFields'))).toEqual(
      withoutTimes(at(reference, 'metadata', 'managedFields')),
    );
    expect(at(live, 'spec')).toEqual(reference.spec);
    expect(at(live, 'status')).toEqual(reference.status);
    expect(at(live, 'metadata', 'annotations')).toEqual(at(reference, 'metadata', 'annotations'));
    await call(emulator, `${DEPLOYMENTS}/web`, { method: 'DELETE' });
  });

  it('removes a field its applier drops unless another manager still owns it', async () => {
    const path = `${CONFIGMAPS}/settings`;
    const cm = (data: Record<string, string>, labels?: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', ...(labels ? { labels } : {}) },
      data,
    });
    expect(
      (
        await apply(emulator, path, cm({ a: '1', b: '2' }, { app: 'x', tier: 'web' }), {
          fieldManager: 'one',
        })
      ).status,
    ).toBe(201);
    // Same value from a second manager: shared ownership, no conflict.
    expect((await apply(emulator, path, cm({ b: '2' }), { fieldManager: 'two' })).status).toBe(200);
    const dropped = await apply(emulator, path, cm({ a: '1' }, { app: 'x' }), { fieldManager: 'one' });
    expect(dropped.status).toBe(200);
    expect(at(dropped.json, 'data')).toEqual({ a: '1', b: '2' });
    expect(at(dropped.json, 'metadata', 'labels')).toEqual({ app: 'x' });
    // A different value for a field someone else owns is a conflict naming that manager.
    const clash = await apply(emulator, path, cm({ b: '3' }, {}), { fieldManager: 'three' });
    expect(clash.status).toBe(409);
    expect(at(clash.json, 'message')).toBe('Apply failed with 1 conflict: conflict with "two": .data.b');
  });

  it('resets a dropped defaulted field to its default and keeps resourceVersion on a no-op apply', async () => {
    const first = await apply(emulator, `${DEPLOYMENTS}/web`, deployment(3), {
      fieldManager: 'argocd-controller',
    });
    expect(at(first.json, 'spec', 'replicas')).toBe(3);
    const again = await apply(emulator, `${DEPLOYMENTS}/web`, deployment(3), {
      fieldManager: 'argocd-controller',
    });
    expect(again.status).toBe(200);
    expect(resourceVersionOf(again.json)).toBe(resourceVersionOf(first.json));
    const manifest = deployment(3);
    delete (manifest.spec as Record<string, unknown>).replicas;
    const reset = await apply(emulator, `${DEPLOYMENTS}/web`, manifest, {
      fieldManager: 'argocd-controller',
    });
    expect(at(reset.json, 'spec', 'replicas')).toBe(1);
    await call(emulator, `${DEPLOYMENTS}/web`, { method: 'DELETE' });
  });

  it('leaves the store unchanged on dryRun=All for every write verb', async () => {
    const before = [...emulator.requests].length;
    const created = await apply(
      emulator,
      `${CONFIGMAPS}/dry`,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { k: 'v' } },
      { fieldManager: 'm', dryRun: true },
    );
    expect(created.status).toBe(201);
    expect(at(created.json, 'data')).toEqual({ k: 'v' });
    expect(emulator.getObject('v1', 'ConfigMap', 'default', 'dry')).toBeUndefined();
    await call(emulator, CONFIGMAPS, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { k: 'v' } },
    });
    const stored = emulator.getObject('v1', 'ConfigMap', 'default', 'dry');
    const put = await call(emulator, `${CONFIGMAPS}/dry?dryRun=All`, {
      method: 'PUT',
      body: { ...stored, data: { k: 'changed' } },
    });
    expect(at(put.json, 'data')).toEqual({ k: 'changed' });
    const deleted = await call(emulator, `${CONFIGMAPS}/dry?dryRun=All`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(emulator.getObject('v1', 'ConfigMap', 'default', 'dry')).toEqual(stored);
    expect(emulator.requests.slice(before).filter((r) => r.dryRun)).toHaveLength(3);
  });

  it('bumps generation on spec changes and Deployment annotations, never on status or labels', async () => {
    const gen = () =>
      at(emulator.getObject('apps/v1', 'Deployment', 'default', 'gen'), 'metadata', 'generation');
    const rv = () => resourceVersionOf(emulator.getObject('apps/v1', 'Deployment', 'default', 'gen'));
    const manifest = { ...deployment(1), metadata: { name: 'gen', labels: { app: 'web' } } };
    await apply(emulator, `${DEPLOYMENTS}/gen`, manifest, { fieldManager: 'm' });
    expect(gen()).toBe(1);
    const merge = (path: string, body: unknown) =>
      call(emulator, path, { method: 'PATCH', contentType: 'application/merge-patch+json', body });
    let last = rv();
    await merge(`${DEPLOYMENTS}/gen/status`, { status: { observedGeneration: 1, replicas: 1 } });
    expect(gen()).toBe(1);
    expect(rv()).not.toBe(last);
    last = rv();
    await merge(`${DEPLOYMENTS}/gen`, { metadata: { labels: { extra: 'yes' } } });
    expect(gen()).toBe(1);
    expect(rv()).not.toBe(last);
    await merge(`${DEPLOYMENTS}/gen`, { metadata: { annotations: { note: 'x' } } });
    expect(gen()).toBe(2);
    await merge(`${DEPLOYMENTS}/gen`, { spec: { replicas: 4 } });
    expect(gen()).toBe(3);
    // Writing status through the main resource is ignored.
    const ignored = await merge(`${DEPLOYMENTS}/gen`, { status: { replicas: 99 } });
    expect(at(ignored.json, 'status', 'replicas')).toBe(1);
    await call(emulator, CONFIGMAPS, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nogen' } },
    });
    expect(
      at(emulator.getObject('v1', 'ConfigMap', 'default', 'nogen'), 'metadata', 'generation'),
    ).toBeUndefined();
  });

  it('merges containers by name in strategic merge patch and applies JSON patch', async () => {
    const path = `${DEPLOYMENTS}/gen`;
    const smp = await call(emulator, path, {
      method: 'PATCH',
      contentType: 'application/strategic-merge-patch+json',
      body: {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'sidecar', image: 'busybox' },
                { name: 'nginx', image: 'nginx:1.28' },
              ],
            },
          },
        },
      },
    });
    expect(smp.status).toBe(200);
    const containers = at(smp.json, 'spec', 'template', 'spec', 'containers') as unknown[];
    expect(containers.map((c) => [at(c, 'name'), at(c, 'image'), at(c, 'imagePullPolicy')])).toEqual([
      ['nginx', 'nginx:1.28', 'IfNotPresent'],
      ['sidecar', 'busybox', 'Always'],
    ]);
    const jp = await call(emulator, path, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [
        { op: 'replace', path: '/spec/replicas', value: 2 },
        { op: 'remove', path: '/spec/template/spec/containers/1' },
      ],
    });
    expect(at(jp.json, 'spec', 'replicas')).toBe(2);
    expect((at(jp.json, 'spec', 'template', 'spec', 'containers') as unknown[]).length).toBe(1);
  });

  it('pages lists and filters by label and field selectors', async () => {
    for (const n of ['p1', 'p2', 'p3']) {
      await call(emulator, CONFIGMAPS, {
        method: 'POST',
        body: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: n, labels: { page: n === 'p2' ? 'b' : 'a' } },
        },
      });
    }
    const first = await call(emulator, `${CONFIGMAPS}?labelSelector=page&limit=2`);
    expect((first.json.items as unknown[]).map((i) => at(i, 'metadata', 'name'))).toEqual(['p1', 'p2']);
    expect(at(first.json.items, 0, 'kind')).toBeUndefined();
    const token = String(at(first.json, 'metadata', 'continue'));
    const second = await call(emulator, `${CONFIGMAPS}?labelSelector=page&limit=2&continue=${token}`);
    expect((second.json.items as unknown[]).map((i) => at(i, 'metadata', 'name'))).toEqual(['p3']);
    const notB = await call(
      emulator,
      `/api/v1/configmaps?labelSelector=${encodeURIComponent('page,page notin (b)')}`,
    );
    expect((notB.json.items as unknown[]).map((i) => at(i, 'metadata', 'name'))).toEqual(['p1', 'p3']);
    const byName = await call(
      emulator,
      `/api/v1/configmaps?fieldSelector=${encodeURIComponent('metadata.name=p2,metadata.namespace=default')}`,
    );
    expect((byName.json.items as unknown[]).map((i) => at(i, 'metadata', 'name'))).toEqual(['p2']);
    const bad = await call(emulator, `${CONFIGMAPS}?labelSelector=${encodeURIComponent('a in (b')}`);
    expect(bad.status).toBe(400);
  });

  describe('Status bodies match the reference byte for byte', () => {
    it('404 NotFound and namespace not found', async () => {
      const missing = await call(emulator, `${DEPLOYMENTS}/web`);
      expect(missing.status).toBe(404);
      expect(pretty(missing.json)).toBe(referenceStatus('404-not-found.json'));
      const ns = await apply(
        emulator,
        '/apis/apps/v1/namespaces/staging/deployments/web',
        { ...deployment(1), metadata: { name: 'web', namespace: 'staging' } },
        { fieldManager: 'm' },
      );
      expect(ns.status).toBe(404);
      expect(pretty(ns.json)).toBe(referenceStatus('404-namespace-not-found.json'));
    });

    it('409 AlreadyExists and resourceVersion Conflict', async () => {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' } };
      expect((await call(emulator, CONFIGMAPS, { method: 'POST', body: cm })).status).toBe(201);
      const again = await call(emulator, CONFIGMAPS, { method: 'POST', body: cm });
      expect(pretty(again.json)).toBe(referenceStatus('409-already-exists.json'));
      await apply(emulator, `${DEPLOYMENTS}/web`, deployment(1), { fieldManager: 'm' });
      const live = emulator.getObject('apps/v1', 'Deployment', 'default', 'web') as Record<string, unknown>;
      await call(emulator, `${DEPLOYMENTS}/web`, {
        method: 'PATCH',
        contentType: 'application/merge-patch+json',
        body: { spec: { replicas: 2 } },
      });
      const stale = await call(emulator, `${DEPLOYMENTS}/web`, { method: 'PUT', body: live });
      expect(stale.status).toBe(409);
      expect(pretty(stale.json)).toBe(referenceStatus('409-conflict-resourceversion.json'));
      await call(emulator, `${DEPLOYMENTS}/web`, { method: 'DELETE' });
    });

    it('409 apply conflict with an Apply and an Update manager', async () => {
      await apply(emulator, `${DEPLOYMENTS}/web`, deployment(2), { fieldManager: 'helm' });
      // kubectl's client-side apply is an Update by "kubectl-client-side-apply" that takes replicas.
      await call(emulator, `${DEPLOYMENTS}/web?fieldManager=kubectl-client-side-apply`, {
        method: 'PATCH',
        contentType: 'application/strategic-merge-patch+json',
        body: { spec: { replicas: 3 } },
      });
      const conflict = await apply(emulator, `${DEPLOYMENTS}/web`, deployment(5, 'nginx:1.29'), {
        fieldManager: 'argocd-controller',
      });
      expect(conflict.status).toBe(409);
      expect(pretty(conflict.json)).toBe(referenceStatus('409-conflict-ssa.json'));
      const forced = await apply(emulator, `${DEPLOYMENTS}/web`, deployment(5, 'nginx:1.29'), {
        fieldManager: 'argocd-controller',
        force: true,
      });
      expect(forced.status).toBe(200);
      expect(at(forced.json, 'spec', 'replicas')).toBe(5);
    });

    it('422 Invalid, missing fieldManager, and 200 delete Success', async () => {
      const bad = deployment(-1, '');
      const invalid = await apply(emulator, `${DEPLOYMENTS}/web`, bad, { fieldManager: 'helm', force: true });
      expect(invalid.status).toBe(422);
      expect(pretty(invalid.json)).toBe(referenceStatus('422-invalid.json'));
      const noManager = await apply(emulator, `${DEPLOYMENTS}/web`, deployment(1));
      expect(pretty(noManager.json)).toBe(referenceStatus('422-invalid-apply-missing-fieldmanager.json'));
      const uid = String(
        at(emulator.getObject('apps/v1', 'Deployment', 'default', 'web'), 'metadata', 'uid'),
      );
      const deleted = await call(emulator, `${DEPLOYMENTS}/web`, {
        method: 'DELETE',
        body: { propagationPolicy: 'Background' },
      });
      expect(deleted.status).toBe(200);
      expect(pretty(deleted.json)).toBe(
        referenceStatus('200-delete-success.json').replace('3f0f5a3e-6b2e-4c8e-9a51-2a4f0d6c9b10', uid),
      );
    });

    it('400 on an apply with the wrong apiVersion, plain 404 for unknown paths, 405 for unsupported verbs', async () => {
      const wrong = await apply(
        emulator,
        `${DEPLOYMENTS}/web`,
        { ...deployment(1), apiVersion: 'apps/v1beta1' },
        { fieldManager: 'm' },
      );
      expect(wrong.status).toBe(400);
      expect(Object.keys(wrong.json)).toEqual(
        Object.keys(JSON.parse(referenceStatus('400-bad-request.json'))),
      );
      expect(wrong.json.message).toBe(
        'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
      );
      const unknown = await call(emulator, '/apis/nothing.example.com/v1/things');
      expect(unknown.status).toBe(404);
      expect(unknown.text).toBe('404 page not found\n');
      const notAllowed = await call(emulator, '/api/v1/namespaces', { method: 'DELETE' });
      expect(notAllowed.status).toBe(405);
      expect(notAllowed.json.reason).toBe('MethodNotAllowed');
    });
  });
});
