/**
 * Reaching the emulator the ways a Cluster can be defined: a chosen kubeconfig context, and an
 * Argo CD cluster Secret read from the cluster itself.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import * as k from '../../../shared/kube/index.js';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { FakeClock } from '../../unit/kube/fixtures.js';
import { emulatorKubeconfig } from './emulator-kubeconfig.js';

/** A loopback URL nobody listens on: a port taken from the OS and released again. */
async function closedServerUrl(): Promise<string> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return `http://127.0.0.1:${port}`;
}

describe('clusters on the emulator', () => {
  let emulator: KubeEmulator;
  let dir: string;
  let file: string;
  const clock = new FakeClock('2026-11-26T09:00:00Z');

  beforeAll(async () => {
    emulator = await startKubeEmulator({ controller: { enabled: false } });
    dir = mkdtempSync(join(tmpdir(), 'kube-clusters-'));
    file = join(dir, 'kubeconfig');
    emulatorKubeconfig(emulator, file, await closedServerUrl());
  });

  afterAll(async () => {
    await emulator?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('takes the current context by default and the contexts asked for otherwise', async () => {
    expect(k.clustersFromKubeconfig({ file }).map((c) => c.name)).toEqual(['emulator']);
    const registry = new k.ClusterRegistry({
      clusters: k.clustersFromKubeconfig({ file, contexts: ['emulator', 'elsewhere'] }),
      inCluster: false,
    });
    const factory = new k.ClusterClientFactory({ clock });

    const emulated = await factory.clientFor(registry.resolve({ server: emulator.url }));
    expect(
      await emulated.get('v1', { group: '', kind: 'Namespace', namespace: '', name: 'default' }),
    ).toBeDefined();

    const elsewhere = await factory.clientFor(registry.resolve({ name: 'elsewhere' }));
    const down = await elsewhere.version().catch((e: unknown) => e);
    expect(isDriftlessError(down, 'KUBE_API') && down.retryable).toBe(true);
  });

  it('names the missing context and the file', () => {
    const missing = (() => {
      try {
        return k.clustersFromKubeconfig({ file, contexts: ['prod'] });
      } catch (e) {
        return e;
      }
    })();
    expect(isDriftlessError(missing, 'CLUSTER_NOT_FOUND')).toBe(true);
    expect((missing as Error).message).toBe(
      `kubeconfig ${file}: no context "prod" (has: emulator, elsewhere)`,
    );
  });

  it('connects through an Argo CD cluster Secret stored in the cluster', async () => {
    const factory = new k.ClusterClientFactory({ clock });
    const [local] = k.clustersFromKubeconfig({ file });
    const admin = await factory.clientFor(local!);
    await admin.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } },
      { fieldManager: 'test' },
    );
    const config = { bearerToken: 'emulator-token', tlsClientConfig: { insecure: true } };
    await admin.apply(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'cluster-emulated',
          namespace: 'argocd',
          labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
        },
        type: 'Opaque',
        data: {
          name: Buffer.from('emulated').toString('base64'),
          server: Buffer.from(emulator.url).toString('base64'),
          config: Buffer.from(JSON.stringify(config)).toString('base64'),
        },
      },
      { fieldManager: 'test' },
    );

    const secrets = await admin.list('v1', 'Secret', {
      namespace: 'argocd',
      labelSelector: 'argocd.argoproj.io/secret-type=cluster',
    });
    const registry = new k.ClusterRegistry({
      clusters: secrets.map((s) => k.clusterFromSecret(s)),
      inCluster: false,
    });
    const cluster = registry.resolve({ name: 'emulated' });
    expect(cluster.connect).toEqual({
      kind: 'bearer',
      bearerToken: 'emulator-token',
      tls: { insecure: true },
    });

    const client = await factory.clientFor(cluster);
    const applied = await client.apply(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'via-secret', namespace: 'default' },
        data: { ok: 'yes' },
      },
      { fieldManager: 'argocd-controller' },
    );
    expect(applied.metadata.uid).toBeTruthy();
    expect(emulator.getObject('v1', 'ConfigMap', 'default', 'via-secret')?.data).toEqual({ ok: 'yes' });
  });
});
