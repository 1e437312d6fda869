/**
 * ClientNodeKubeClient against the Kubernetes API emulator: discovery (incl. a CRD that appears
 * mid-test), reads, server-side apply with its conflicts, dry runs, create/replace/delete with
 * propagation, and how API failures surface.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DriftlessError, isDriftlessError } from '../../../shared/errors/index.js';
import * as k from '../../../shared/kube/index.js';
import type { KubeObject } from '../../../shared/model/kube-object.js';
import type { KubeClient } from '../../../shared/ports/kube-client.js';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { FakeClock } from '../../unit/kube/fixtures.js';
import { emulatorKubeconfig } from './emulator-kubeconfig.js';

const manager = 'argocd-controller';

async function failure(promise: Promise<unknown>): Promise<DriftlessError> {
  const outcome = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isDriftlessError(outcome)) throw new Error(`expected a DriftlessError, got ${String(outcome)}`);
  return outcome;
}

function configMap(
  namespace: string,
  name: string,
  data: Record<string, string>,
  labels?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    data,
  };
}

const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

describe('ClientNodeKubeClient on the emulator', () => {
  let emulator: KubeEmulator;
  let dir: string;
  let client: KubeClient;

  beforeAll(async () => {
    emulator = await startKubeEmulator({ controller: { enabled: false } });
    dir = mkdtempSync(join(tmpdir(), 'kube-contract-'));
    const file = join(dir, 'kubeconfig');
    emulatorKubeconfig(emulator, file, 'http://127.0.0.1:1');
    const [cluster] = k.clustersFromKubeconfig({ file, contexts: ['emulator'] });
    const factory = new k.ClusterClientFactory({ clock: new FakeClock('2026-11-26T09:00:00Z') });
    client = await factory.clientFor(cluster!);
    await client.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } },
      { fieldManager: manager },
    );
  });

  afterAll(async () => {
    await emulator?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    emulator.clearFaults();
  });

  describe('discovery', () => {
    it('serves core and apps kinds with their plural, scope and preferred version', async () => {
      expect(await client.resourceFor('v1', 'ConfigMap')).toMatchObject({
        group: '',
        version: 'v1',
        resource: 'configmaps',
        namespaced: true,
      });
      expect(await client.resourceFor('v1', 'Namespace')).toMatchObject({
        resource: 'namespaces',
        namespaced: false,
      });
      const deployment = await client.resourceFor('apps/v1', 'Deployment');
      expect(deployment).toMatchObject({
        group: 'apps',
        version: 'v1',
        resource: 'deployments',
        namespaced: true,
      });
      expect(deployment?.verbs).toContain('patch');
      expect(await client.resourceFor('apps/v1', 'NoSuchKind')).toBeUndefined();

      const all = await client.serverResources();
      expect(all.find((r) => r.group === 'apps' && r.kind === 'Deployment')?.resource).toBe('deployments');
      expect(
        all.find((r) => r.group === 'rbac.authorization.k8s.io' && r.kind === 'ClusterRole')?.namespaced,
      ).toBe(false);
      expect(all.some((r) => r.resource.includes('/'))).toBe(false);
    });

    it('finds a CRD created after the kind was looked up and missed, without invalidation', async () => {
      expect(await client.resourceFor('example.com/v1', 'Widget')).toBeUndefined();
      const missing = await failure(
        client.apply(
          { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'web' } },
          { fieldManager: manager },
        ),
      );
      expect(missing.message).toBe(
        'apply Widget web/w: no matches for kind "Widget" in version "example.com/v1"',
      );

      await client.apply(widgetCrd, { fieldManager: manager });
      const applied = await client.apply(
        {
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          metadata: { name: 'w', namespace: 'web' },
          spec: { size: 3 },
        },
        { fieldManager: manager },
      );
      expect(applied.spec).toEqual({ size: 3 });
      expect(await client.resourceFor('example.com/v1', 'Widget')).toMatchObject({
        resource: 'widgets',
        namespaced: true,
      });
      expect(
        (await client.serverResources()).some((r) => r.group === 'example.com' && r.kind === 'Widget'),
      ).toBe(true);
    });

    it('keeps CRD schema fields the typed client-node models would drop', async () => {
      const live = await client.get('apiextensions.k8s.io/v1', {
        group: 'apiextensions.k8s.io',
        kind: 'CustomResourceDefinition',
        namespace: '',
        name: 'widgets.example.com',
      });
      const spec = (live?.spec ?? {}) as {
        versions?: Array<{ schema: { openAPIV3Schema: Record<string, unknown> } }>;
      };
      const versions = spec.versions ?? [];
      expect(versions[0]?.schema.openAPIV3Schema['x-kubernetes-preserve-unknown-fields']).toBe(true);
      expect(typeof live?.metadata.creationTimestamp).toBe('string');
    });
  });

  describe('reads', () => {
    it('gets an object, and undefined for a missing one or a kind the server lacks', async () => {
      await client.create(configMap('web', 'settings-read', { mode: 'a' }));
      const key = { group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings-read' };
      expect((await client.get('v1', key))?.data).toEqual({ mode: 'a' });
      expect(await client.get('v1', { ...key, name: 'absent' })).toBeUndefined();
      expect(await client.get('v1', { ...key, namespace: 'no-such-namespace' })).toBeUndefined();
      expect(
        await client.get('example.com/v9', { ...key, group: 'example.com', kind: 'Gadget' }),
      ).toBeUndefined();
    });

    it('lists by namespace and label selector, across pages, with apiVersion and kind filled in', async () => {
      for (let i = 0; i < 5; i++) {
        await client.create(
          configMap('web', `listed-${i}`, { i: String(i) }, { tier: i % 2 === 0 ? 'even' : 'odd' }),
        );
      }
      await client.create(configMap('default', 'listed-elsewhere', {}, { tier: 'even' }));
      const even = await client.list('v1', 'ConfigMap', { namespace: 'web', labelSelector: 'tier=even' });
      expect(even.map((o) => o.metadata.name).sort()).toEqual(['listed-0', 'listed-2', 'listed-4']);
      expect(even.every((o) => o.apiVersion === 'v1' && o.kind === 'ConfigMap')).toBe(true);
      const everywhere = await client.list('v1', 'ConfigMap', { labelSelector: 'tier=even' });
      expect(everywhere.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toContain(
        'default/listed-elsewhere',
      );

      const factory = new k.ClusterClientFactory({ clock: new FakeClock('2026-11-26T09:00:00Z') });
      const file = join(dir, 'kubeconfig');
      const [cluster] = k.clustersFromKubeconfig({ file, contexts: ['emulator'] });
      const paged = new k.ClientNodeKubeClient({
        kubeConfig: factory.kubeConfigFor(cluster!),
        listPageSize: 2,
      });
      const all = await paged.list('v1', 'ConfigMap', { namespace: 'web', labelSelector: 'tier' });
      expect(all).toHaveLength(5);
    });
  });

  describe('server-side apply', () => {
    const key = { group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' };

    it('creates, then is a no-op when nothing changed', async () => {
      const created = await client.apply(configMap('web', 'settings', { mode: 'a' }), {
        fieldManager: manager,
      });
      expect(created.metadata.uid).toBeTruthy();
      expect(
        created.metadata.managedFields?.some((f) => f.manager === manager && f.operation === 'Apply'),
      ).toBe(true);
      const again = await client.apply(configMap('web', 'settings', { mode: 'a' }), {
        fieldManager: manager,
      });
      expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    });

    it('reports a field conflict with another manager as terminal, and force takes the field', async () => {
      const conflict = await failure(
        client.apply(configMap('web', 'settings', { mode: 'b' }), { fieldManager: 'kubectl' }),
      );
      expect(conflict.code).toBe('KUBE_API');
      expect(conflict.retryable).toBe(false);
      expect(conflict.context.status).toBe(409);
      expect(conflict.message).toMatch(/^apply ConfigMap web\/settings: Apply failed with \d+ conflicts?: /);
      expect(conflict.message).toContain(`"${manager}"`);
      expect(conflict.message).toContain('.data.mode');
      expect((await client.get('v1', key))?.data).toEqual({ mode: 'a' });

      await client.apply(configMap('web', 'settings', { mode: 'b' }), {
        fieldManager: 'kubectl',
        force: true,
      });
      expect(emulator.getObject('v1', 'ConfigMap', 'web', 'settings')?.data).toEqual({ mode: 'b' });
    });

    it('leaves nothing behind on a dry run', async () => {
      const answer = await client.apply(configMap('web', 'dry', { mode: 'x' }), {
        fieldManager: manager,
        dryRun: true,
      });
      expect(answer.data).toEqual({ mode: 'x' });
      expect(emulator.getObject('v1', 'ConfigMap', 'web', 'dry')).toBeUndefined();
      expect(await client.get('v1', { ...key, name: 'dry' })).toBeUndefined();
    });
  });

  describe('create, replace, delete', () => {
    it('creates once, then AlreadyExists', async () => {
      await client.create(configMap('web', 'once', { v: '1' }), { fieldManager: manager });
      const twice = await failure(client.create(configMap('web', 'once', { v: '1' })));
      expect(twice.message).toMatch(/^create ConfigMap web\/once: .*already exists/);
      expect(twice.context).toMatchObject({ status: 409, reason: 'AlreadyExists' });
      const dry = await client.create(configMap('web', 'dry-create', {}), { dryRun: true });
      expect(dry.metadata.name).toBe('dry-create');
      expect(emulator.getObject('v1', 'ConfigMap', 'web', 'dry-create')).toBeUndefined();
    });

    it('replaces against the live resourceVersion, and refuses a stale one', async () => {
      const created = await client.create(configMap('web', 'replaced', { v: '1' }));
      const replaced = await client.replace(configMap('web', 'replaced', { v: '2' }));
      expect(replaced.data).toEqual({ v: '2' });
      const stale = { ...configMap('web', 'replaced', { v: '3' }) };
      stale.metadata.resourceVersion = created.metadata.resourceVersion;
      const conflict = await failure(client.replace(stale));
      expect(conflict.context.status).toBe(409);
      expect(conflict.retryable).toBe(false);
      expect(emulator.getObject('v1', 'ConfigMap', 'web', 'replaced')?.data).toEqual({ v: '2' });
    });

    it('deletes with the propagation policy asked for, and says false when already gone', async () => {
      const owner = await client.create(configMap('web', 'owner', {}));
      const dependent = (name: string): KubeObject => ({
        ...configMap('web', name, {}),
        metadata: {
          name,
          namespace: 'web',
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }],
        },
      });
      await client.create(dependent('orphaned'));
      const ownerKey = { group: '', kind: 'ConfigMap', namespace: 'web', name: 'owner' };
      expect(await client.delete('v1', ownerKey, { propagationPolicy: 'Orphan' })).toBe(true);
      expect(emulator.getObject('v1', 'ConfigMap', 'web', 'orphaned')?.metadata).not.toHaveProperty(
        'ownerReferences',
      );

      const owner2 = await client.create(configMap('web', 'owner', {}));
      await client.create({
        ...dependent('collected'),
        metadata: {
          ...dependent('collected').metadata,
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner2.metadata.uid }],
        },
      });
      expect(await client.delete('v1', ownerKey, { propagationPolicy: 'Background', dryRun: true })).toBe(
        true,
      );
      expect(emulator.getObject('v1', 'ConfigMap', 'web', 'owner')).toBeDefined();
      expect(await client.delete('v1', ownerKey, { propagationPolicy: 'Background' })).toBe(true);
      expect(emulator.getObject('v1', 'ConfigMap', 'web', 'collected')).toBeUndefined();
      expect(await client.delete('v1', ownerKey)).toBe(false);
      expect(
        await client.delete('example.com/v9', { ...ownerKey, group: 'example.com', kind: 'Gadget' }),
      ).toBe(false);
    });
  });

  describe('errors', () => {
    it('carries the 422 message and causes of an invalid object', async () => {
      const invalid = await failure(client.create(configMap('web', 'Not_A_Valid_Name', {})));
      expect(invalid.code).toBe('KUBE_API');
      expect(invalid.retryable).toBe(false);
      expect(invalid.context.status).toBe(422);
      expect(invalid.context.reason).toBe('Invalid');
      expect(invalid.message).toMatch(
        /^create ConfigMap web\/Not_A_Valid_Name: ConfigMap "Not_A_Valid_Name" is invalid/,
      );
      expect(invalid.context.causes).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'metadata.name' })]),
      );
    });

    it('marks injected 503 and 429 as retryable and passes Retry-After on', async () => {
      const key = { group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' };
      emulator.addFault({ verb: 'get', resource: 'configmaps', status: 503, times: 1 });
      const unavailable = await failure(client.get('v1', key));
      expect(unavailable).toMatchObject({ code: 'KUBE_API', retryable: true });
      expect(unavailable.context.status).toBe(503);
      expect(unavailable.message).toMatch(/^get ConfigMap web\/settings: /);
      expect(await client.get('v1', key)).toBeDefined();

      emulator.addFault({ verb: 'apply', resource: 'configmaps', status: 429, times: 1 });
      const throttled = await failure(
        client.apply(configMap('web', 'settings', { mode: 'b' }), { fieldManager: 'kubectl' }),
      );
      expect(throttled).toMatchObject({ retryable: true });
      expect(throttled.context.status).toBe(429);
      expect(throttled.context.retryAfterMs).toBeGreaterThan(0);
    });
  });

  describe('transport and discovery failures', () => {
    it('treats a dropped connection as retryable', async () => {
      emulator.addFault({ verb: 'get', resource: 'configmaps', drop: true, times: 1 });
      const dropped = await failure(
        client.get('v1', { group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' }),
      );
      expect(dropped).toMatchObject({ code: 'KUBE_API', retryable: true });
      expect(dropped.context.reason).toBe('NetworkError');
    });
  });

  it('reports the server version', async () => {
    expect(await client.version()).toMatch(/^v1\.\d+\.\d+/);
  });
});
