/**
 * The real kubectl 1.35 (from the Lambda layer package) against the emulator: discovery,
 * server-side apply and its conflicts, get, selectors, delete --wait, CRDs, api-resources.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toolPath } from '../../../shared/tools/index.js';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { at, deployment, resourceVersionOf, until } from './kube-http.js';

const run = promisify(execFile);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('kubectl against the emulator', () => {
  let emulator: KubeEmulator;
  let dir: string;
  let kubectlPath: string;

  const kubectl = async (...args: string[]): Promise<Outcome> => {
    const env = { PATH: process.env.PATH ?? '', HOME: dir, KUBECACHEDIR: join(dir, 'cache') };
    const full = ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args];
    try {
      const { stdout, stderr } = await run(kubectlPath, full, { env, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return {
        code: typeof err.code === 'number' ? err.code : 1,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      };
    }
  };

  const manifest = async (name: string, docs: readonly unknown[]): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, docs.map((d) => JSON.stringify(d)).join('\n---\n'), 'utf8');
    return file;
  };

  beforeAll(async () => {
    kubectlPath = await toolPath('kubectl');
    emulator = await startKubeEmulator({ controller: { stepMs: 5 } });
    dir = await mkdtemp(join(tmpdir(), 'kube-emulator-kubectl-'));
    await emulator.writeKubeconfig(join(dir, 'kubeconfig'));
  });

  afterAll(async () => {
    await emulator?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies server-side, then a second apply changes nothing', async () => {
    const file = await manifest('web.json', [deployment(2)]);
    const first = await kubectl('apply', '--server-side', '-f', file);
    expect(first.stderr).toBe('');
    expect(first.stdout.trim()).toBe('deployment.apps/web serverside-applied');
    const created = emulator.getObject('apps/v1', 'Deployment', 'default', 'web');
    expect(created).toBeDefined();
    const rv = resourceVersionOf(created);
    // Wait until the controllers are done writing status, so the next resourceVersion is stable.
    await until(
      () => emulator.getObject('apps/v1', 'Deployment', 'default', 'web'),
      (d) => at(d, 'status', 'availableReplicas') === 2,
    );
    const settled = emulator.getObject('apps/v1', 'Deployment', 'default', 'web');
    const settledRv = resourceVersionOf(settled);
    expect(Number(settledRv)).toBeGreaterThan(Number(rv));
    const second = await kubectl('apply', '--server-side', '-f', file);
    expect(second.code).toBe(0);
    const after = emulator.getObject('apps/v1', 'Deployment', 'default', 'web');
    expect(resourceVersionOf(after)).toBe(settledRv);
  });

  it('gets a Deployment as YAML with server-filled fields', async () => {
    const out = await kubectl('get', 'deploy', 'web', '-o', 'yaml');
    expect(out.code).toBe(0);
    const d: unknown = parse(out.stdout);
    expect(at(d, 'kind')).toBe('Deployment');
    expect(at(d, 'metadata', 'uid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(at(d, 'metadata', 'generation')).toBe(1);
    expect(at(d, 'metadata', 'creationTimestamp')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(at(d, 'spec', 'strategy')).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    });
    expect(at(d, 'spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy')).toBe('IfNotPresent');
    expect(at(d, 'status', 'observedGeneration')).toBe(1);
  });

  it('lists pods by label selector and namespaces', async () => {
    const pods = await kubectl('get', 'pods', '--selector', 'app=web', '-o', 'name');
    expect(pods.stdout.trim().split('\n')).toHaveLength(2);
    expect(pods.stdout).toMatch(/^pod\/web-[a-z0-9]+-[a-z0-9]{5}$/m);
    const none = await kubectl('get', 'pods', '--selector', 'app notin (web)', '-o', 'name');
    expect(none.stdout.trim()).toBe('');
    const ns = await kubectl('get', 'ns');
    expect(ns.stdout).toMatch(/^default\s/m);
    expect(ns.stdout).toMatch(/^kube-system\s/m);
  });

  it('reports an apply conflict without --force-conflicts and takes over with it', async () => {
    const file = await manifest('web-3.json', [deployment(3)]);
    const refused = await kubectl('apply', '--server-side', '--field-manager', 'other', '-f', file);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(refused.stderr).toContain('--force-conflicts');
    const forced = await kubectl(
      'apply',
      '--server-side',
      '--field-manager',
      'other',
      '--force-conflicts',
      '-f',
      file,
    );
    expect(forced.code).toBe(0);
    const d = emulator.getObject('apps/v1', 'Deployment', 'default', 'web');
    expect(at(d, 'spec', 'replicas')).toBe(3);
    const entries = (at(d, 'metadata', 'managedFields') ?? []) as unknown[];
    const owners = entries
      .filter((e) => at(e, 'fieldsV1', 'f:spec', 'f:replicas') !== undefined)
      .map((e) => at(e, 'manager'));
    expect(owners).toEqual(['other']);
  });

  it('deletes with -f and waits until the object is gone, with its dependents', async () => {
    const file = await manifest('web.json', [deployment(2)]);
    const out = await kubectl('delete', '-f', file, '--wait=true');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('deployment.apps "web" deleted');
    expect(emulator.getObject('apps/v1', 'Deployment', 'default', 'web')).toBeUndefined();
    const pods = await kubectl('get', 'pods', '-o', 'name');
    expect(pods.stdout.trim()).toBe('');
  });

  it('waits through a finalizer on delete and finishes once it is removed', async () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] },
    };
    const file = await manifest('held.json', [cm]);
    expect((await kubectl('apply', '--server-side', '-f', file)).code).toBe(0);
    const deletion = kubectl('delete', 'configmap', 'held', '--timeout=20s');
    await until(
      () => emulator.getObject('v1', 'ConfigMap', 'default', 'held'),
      (o) => at(o, 'metadata', 'deletionTimestamp') !== undefined,
    );
    const patched = await kubectl(
      'patch',
      'configmap',
      'held',
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    );
    expect(patched.code).toBe(0);
    const done = await deletion;
    expect(done.code).toBe(0);
    expect(emulator.getObject('v1', 'ConfigMap', 'default', 'held')).toBeUndefined();
  });

  it('serves a CRD and custom resources of it', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            subresources: { status: {} },
          },
        ],
      },
    };
    expect((await kubectl('apply', '--server-side', '-f', await manifest('crd.json', [crd]))).code).toBe(0);
    const stored = emulator.getObject(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      '',
      'widgets.example.com',
    );
    const conditions = at(stored, 'status', 'conditions');
    expect(conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'default' },
      spec: { size: 3 },
    };
    const applied = await kubectl('apply', '--server-side', '-f', await manifest('w1.json', [widget]));
    expect(applied.stdout.trim()).toBe('widget.example.com/w1 serverside-applied');
    const listed = await kubectl('get', 'wd', '-o', 'name');
    expect(listed.stdout.trim()).toBe('widget.example.com/w1');
    const resources = await kubectl('api-resources', '--api-group=example.com', '-o', 'name');
    expect(resources.stdout.trim()).toBe('widgets.example.com');
  });

  it('lists built-in kinds in api-resources', async () => {
    const out = await kubectl('api-resources', '--no-headers');
    expect(out.code).toBe(0);
    const kinds = out.stdout.split('\n').map((l) => l.trim().split(/\s+/).pop());
    for (const kind of [
      'Deployment',
      'ConfigMap',
      'Namespace',
      'Job',
      'CustomResourceDefinition',
      'Ingress',
    ]) {
      expect(kinds).toContain(kind);
    }
  });
});
