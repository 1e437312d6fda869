/**
 * @kubernetes/client-node's generic KubernetesObjectApi against the emulator: it resolves kinds
 * through legacy discovery (/api/v1, /apis/<g>/<v>) and then reads, creates, applies, lists and
 * deletes. client-node 2.x loads undici 8, which needs Node >= 22.19; on an older Node the suite
 * is skipped with that reason rather than failing on import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { at, deployment } from './kube-http.js';

type ClientNode = typeof import('@kubernetes/client-node');

async function loadClientNode(): Promise<ClientNode | undefined> {
  try {
    return await import('@kubernetes/client-node');
  } catch (e) {
    console.warn(`skipping client-node suite on Node ${process.versions.node}: ${(e as Error).message}`);
    return undefined;
  }
}

const k8s = await loadClientNode();

describe.runIf(k8s)('client-node KubernetesObjectApi against the emulator', () => {
  let emulator: KubeEmulator;
  let api: InstanceType<ClientNode['KubernetesObjectApi']>;

  beforeAll(async () => {
    emulator = await startKubeEmulator({ controller: { enabled: false } });
    const kc = new k8s!.KubeConfig();
    kc.loadFromString(emulator.kubeconfig());
    api = k8s!.KubernetesObjectApi.makeApiClient(kc);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it('creates, reads, applies, lists and deletes', async () => {
    const created = await api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default', labels: { app: 'web' } },
      data: { a: '1' },
    } as never);
    expect(at(created, 'metadata', 'uid')).toBeDefined();
    const read = await api.read({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default' },
    });
    expect(at(read, 'data')).toEqual({ a: '1' });

    const applied = await api.patch(
      deployment(2) as never,
      undefined,
      undefined,
      'argocd-controller',
      false,
      k8s!.PatchStrategy.ServerSideApply,
    );
    expect(at(applied, 'spec', 'replicas')).toBe(2);
    expect(
      at(
        emulator.getObject('apps/v1', 'Deployment', 'default', 'web'),
        'metadata',
        'managedFields',
        0,
        'manager',
      ),
    ).toBe('argocd-controller');

    const listed = await api.list(
      'v1',
      'ConfigMap',
      'default',
      undefined,
      undefined,
      undefined,
      undefined,
      'app=web',
    );
    expect(listed.items.map((i) => i.metadata?.name)).toEqual(['cfg']);

    await api.delete({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default' },
    });
    expect(emulator.getObject('v1', 'ConfigMap', 'default', 'cfg')).toBeUndefined();
    await expect(
      api.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' } }),
    ).rejects.toMatchObject({ code: 404 });
  });
});
