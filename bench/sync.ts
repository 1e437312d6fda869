/**
 * Sync benchmark: an app of 1,000 resources (ConfigMaps, Deployments and Services in four
 * namespaces, in three waves) on the Kubernetes API emulator with its controllers on, through the
 * real client-node KubeClient. Scenarios: the first sync; a no-op refresh with a cold and a warm
 * predicted cache (the automated path: a Synced app starts no operation); a no-op explicit sync
 * with ApplyOutOfSyncOnly=true; one changed resource with ApplyOutOfSyncOnly and without. For
 * each: wall time and API requests by verb from the emulator's log, dry-run patches apart from
 * real writes. The no-op rows must make zero writes and the one-change ApplyOutOfSyncOnly row one;
 * the benchmark fails otherwise. The same manifests then go through the real
 * `kubectl apply --server-side` against a fresh emulator for comparison.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { formatTable } from '../cli/table.js';
import { compareApp, MemoryPredictedCache, syncedKeys } from '../shared/compare/index.js';
import { ClusterClientFactory, clustersFromKubeconfig } from '../shared/kube/index.js';
import type { Application } from '../shared/model/argo-types.js';
import type { KubeObject, ResourceKey } from '../shared/model/kube-object.js';
import { systemClock } from '../shared/ports/clock.js';
import type { KubeClient } from '../shared/ports/kube-client.js';
import {
  beginOperation,
  type InventoryItem,
  nextInventory,
  prepareDesired,
  syncStep,
} from '../shared/sync/index.js';
import { toolPath } from '../shared/tools/index.js';
import { type KubeEmulator, startKubeEmulator } from '../test/support/kube-emulator/index.js';

const NAMESPACES = ['bench-a', 'bench-b', 'bench-c', 'bench-d'];
/** Per namespace: 150 ConfigMaps + 50 Deployments + 50 Services = 250; 1,000 in all. */
const CONFIG_MAPS = 150;
const DEPLOYMENTS = 50;
const WAVE = 'argocd.argoproj.io/sync-wave';
const WRITE_VERBS = ['create', 'update', 'patch', 'apply', 'delete', 'deletecollection'];

interface Row {
  readonly scenario: string;
  readonly ms: number;
  readonly counts: ReadonlyMap<string, number>;
  readonly writes: number;
  readonly note: string;
}

export async function run(_args: string[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-bench-sync-'));
  const emulator = await startKubeEmulator({ controller: { stepMs: 5 } });
  let kubectlEmulator: KubeEmulator | undefined;
  try {
    const kube = await clientFor(emulator, join(dir, 'kubeconfig'));
    for (const name of NAMESPACES) {
      await kube.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { fieldManager: 'bench' },
      );
    }
    const desired = manifests();
    const app = application([]);
    const rows: Row[] = [];
    const measure = async (scenario: string, body: () => Promise<string>): Promise<Row> => {
      emulator.resetRequests();
      const t = performance.now();
      const note = await body();
      const row = { scenario, ms: performance.now() - t, ...countRequests(emulator), note };
      rows.push(row);
      return row;
    };

    let inventory: InventoryItem[] = [];
    await measure('first sync', async () => {
      const done = await syncToEnd({ app, desired, inventory, kube });
      inventory = done.inventory;
      return done.message;
    });
    await settle(kube, app, desired);

    const cache = new MemoryPredictedCache();
    await measure('refresh, cold predicted cache', async () => {
      const c = await compareApp({ app, desired, kube, inventory, predictedCache: cache });
      return `${c.syncStatus}, ${c.stats.lists} lists, ${c.stats.gets} gets, ${c.stats.dryRuns} dry runs`;
    });
    const noOpRefresh = await measure('no-op refresh, warm cache (automated path)', async () => {
      const c = await compareApp({ app, desired, kube, inventory, predictedCache: cache });
      if (c.syncStatus !== 'Synced') throw new Error(`no-op refresh found ${c.syncStatus}`);
      return `${c.syncStatus}: no operation started; ${c.stats.cacheHits} cache hits`;
    });

    const outOfSyncOnly = application(['ApplyOutOfSyncOnly=true']);
    const noOpSync = await measure('no-op sync, ApplyOutOfSyncOnly', async () => {
      const c = await compareApp({ app: outOfSyncOnly, desired, kube, inventory, predictedCache: cache });
      const done = await syncToEnd({ app: outOfSyncOnly, desired, inventory, kube, isSynced: syncedKeys(c) });
      return done.message;
    });

    const changed = desired.map((obj) =>
      obj.kind === 'ConfigMap' && obj.metadata.name === 'config-0' && obj.metadata.namespace === NAMESPACES[0]
        ? { ...obj, data: { ...(obj.data as Record<string, string>), changed: 'yes' } }
        : obj,
    );
    const oneChange = await measure('one changed, ApplyOutOfSyncOnly', async () => {
      const c = await compareApp({
        app: outOfSyncOnly,
        desired: changed,
        kube,
        inventory,
        predictedCache: cache,
      });
      const drifted = c.resources.filter((r) => r.status === 'OutOfSync').length;
      const done = await syncToEnd({
        app: outOfSyncOnly,
        desired: changed,
        inventory,
        kube,
        isSynced: syncedKeys(c),
      });
      return `${drifted} OutOfSync; ${done.message}`;
    });
    const changedBack = desired.map((obj) =>
      obj.kind === 'ConfigMap' && obj.metadata.name === 'config-1' && obj.metadata.namespace === NAMESPACES[0]
        ? { ...obj, data: { ...(obj.data as Record<string, string>), changed: 'yes' } }
        : obj,
    );
    await measure('one changed, plain sync (applies all)', async () => {
      const done = await syncToEnd({ app, desired: changedBack, inventory, kube });
      return done.message;
    });

    kubectlEmulator = await startKubeEmulator({ controller: { stepMs: 5 } });
    const kubectlConfig = join(dir, 'kubectl-kubeconfig');
    const plain = await clientFor(kubectlEmulator, kubectlConfig);
    for (const name of NAMESPACES) {
      await plain.apply(
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { fieldManager: 'bench' },
      );
    }
    const file = join(dir, 'manifests.yaml');
    const changedFile = join(dir, 'manifests-changed.yaml');
    await writeFile(file, toYaml(prepared(desired)), 'utf8');
    await writeFile(changedFile, toYaml(prepared(changed)), 'utf8');
    const kubectl = await toolPath('kubectl');
    const applyAll = async (path: string): Promise<string> => {
      const { stdout } = await promisify(execFile)(
        kubectl,
        ['--kubeconfig', kubectlConfig, 'apply', '--server-side', '--field-manager', 'bench', '-f', path],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      return `${stdout.split('\n').filter((l) => l.trim() !== '').length} objects reported`;
    };
    const kubectlRow = async (scenario: string, path: string): Promise<void> => {
      kubectlEmulator!.resetRequests();
      const t = performance.now();
      const note = await applyAll(path);
      rows.push({ scenario, ms: performance.now() - t, ...countRequests(kubectlEmulator!), note });
    };
    await kubectlRow('kubectl apply --server-side: first', file);
    await kubectlRow('kubectl apply --server-side: no-op', file);
    await kubectlRow('kubectl apply --server-side: one changed', changedFile);

    printTable(rows);
    const failures = [
      noOpRefresh.writes !== 0 || (noOpRefresh.counts.get('apply (dry run)') ?? 0) !== 0
        ? `no-op refresh made ${noOpRefresh.writes} writes and ${noOpRefresh.counts.get('apply (dry run)') ?? 0} dry runs`
        : undefined,
      noOpSync.writes !== 0 ? `no-op ApplyOutOfSyncOnly sync made ${noOpSync.writes} writes` : undefined,
      oneChange.writes !== 1
        ? `one change with ApplyOutOfSyncOnly made ${oneChange.writes} writes`
        : undefined,
    ].filter((f) => f !== undefined);
    if (failures.length > 0) throw new Error(`sync benchmark: ${failures.join('; ')}`);
    process.stdout.write(
      `\nOK: no-op refresh and no-op ApplyOutOfSyncOnly sync made 0 writes; one change made ${oneChange.writes} write.\n`,
    );
  } finally {
    await emulator.stop();
    await kubectlEmulator?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function application(syncOptions: string[]): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'bench', namespace: 'argocd' },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: NAMESPACES[0]! },
      syncPolicy: { syncOptions },
    },
  };
}

/** ConfigMaps in wave -1, Deployments in wave 0, Services in wave 1, spread over the namespaces. */
function manifests(): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const namespace of NAMESPACES) {
    for (let i = 0; i < CONFIG_MAPS; i++) {
      objects.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `config-${i}`, namespace, annotations: { [WAVE]: '-1' } },
        data: { index: String(i), namespace, 'settings.properties': `feature.${i}=on\nlevel=info\n` },
      });
    }
    for (let i = 0; i < DEPLOYMENTS; i++) {
      const name = `svc-${i}`;
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels: { app: name } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: {
            metadata: { labels: { app: name } },
            spec: {
              containers: [
                {
                  name: 'app',
                  image: `registry.example.com/app:${i % 5}.0.0`,
                  ports: [{ containerPort: 8080, name: 'http' }],
                  envFrom: [{ configMapRef: { name: `config-${i}` } }],
                },
              ],
            },
          },
        },
      });
      objects.push({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace, annotations: { [WAVE]: '1' } },
        spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      });
    }
  }
  return objects;
}

/** What the sync applies (tracking ids included), so kubectl writes the same objects. */
function prepared(desired: readonly KubeObject[]): KubeObject[] {
  return prepareDesired({
    desired,
    appName: 'bench',
    destinationNamespace: NAMESPACES[0]!,
    isNamespaced: () => true,
  }).map((p) => p.obj);
}

function toYaml(objects: readonly KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n');
}

async function clientFor(emulator: KubeEmulator, file: string): Promise<KubeClient> {
  await emulator.writeKubeconfig(file);
  const [cluster] = clustersFromKubeconfig({ file });
  return new ClusterClientFactory({ clock: systemClock }).clientFor(cluster!);
}

interface SyncToEndOptions {
  readonly app: Application;
  readonly desired: readonly KubeObject[];
  readonly inventory: readonly InventoryItem[];
  readonly kube: KubeClient;
  readonly isSynced?: (key: ResourceKey) => boolean;
}

/** Runs an operation to the end as the worker does, with short polls and no wave delay. */
async function syncToEnd(
  options: SyncToEndOptions,
): Promise<{ message: string; inventory: InventoryItem[] }> {
  let operation = beginOperation({
    app: options.app,
    revision: '0123456789abcdef0123456789abcdef01234567',
    clock: systemClock,
    initiatedBy: 'manual',
  });
  for (let step = 0; step < 10_000; step++) {
    const result = await syncStep({
      app: options.app,
      operation,
      desired: options.desired,
      inventory: options.inventory,
      kube: options.kube,
      clock: systemClock,
      ...(options.isSynced === undefined ? {} : { isSynced: options.isSynced }),
      options: { pollSeconds: 0.05, waveDelaySeconds: 0 },
    });
    operation = result.operation;
    if (result.outcome.kind === 'done') {
      if (result.outcome.phase !== 'Succeeded')
        throw new Error(`sync ${result.outcome.phase}: ${result.outcome.message}`);
      const applied = operation.tasks.filter((t) => t.result === 'Synced').length;
      const skipped = operation.tasks.filter((t) => t.skipped).length;
      return {
        message: `${result.outcome.phase}, ${applied} applied, ${skipped} skipped`,
        inventory: nextInventory({ operation, previous: options.inventory }),
      };
    }
    await systemClock.sleep(result.outcome.afterSeconds * 1000);
  }
  throw new Error('sync did not finish');
}

/** Waits for the last wave's rollouts: their status writes would otherwise move resourceVersions. */
async function settle(kube: KubeClient, app: Application, desired: readonly KubeObject[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const c = await compareApp({ app, desired, kube });
    if (c.health.status === 'Healthy') {
      await systemClock.sleep(100);
      return;
    }
    await systemClock.sleep(100);
  }
  throw new Error('the app did not become Healthy');
}

function countRequests(emulator: KubeEmulator): { counts: Map<string, number>; writes: number } {
  const counts = new Map<string, number>();
  let writes = 0;
  for (const r of emulator.requests) {
    const verb = r.dryRun ? `${r.verb} (dry run)` : r.verb;
    counts.set(verb, (counts.get(verb) ?? 0) + 1);
    if (!r.dryRun && WRITE_VERBS.includes(r.verb)) writes++;
  }
  return { counts, writes };
}

function printTable(rows: readonly Row[]): void {
  const verbs = [
    'discovery',
    'get',
    'list',
    'apply (dry run)',
    'apply',
    'patch',
    'create',
    'update',
    'delete',
  ];
  const headers = ['scenario', 'wall ms', 'requests', ...verbs, 'writes', 'outcome'];
  const table = rows.map((row) => {
    let total = 0;
    for (const n of row.counts.values()) total += n;
    return [
      row.scenario,
      row.ms.toFixed(0),
      String(total),
      ...verbs.map((v) => String(row.counts.get(v) ?? 0)),
      String(row.writes),
      row.note,
    ];
  });
  process.stdout.write(
    `1,000 resources (${NAMESPACES.length} namespaces, 3 waves), Kubernetes API emulator\n`,
  );
  process.stdout.write(formatTable(headers, table));
}
