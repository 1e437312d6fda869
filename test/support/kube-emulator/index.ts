/**
 * A Kubernetes API emulator for tests: an HTTP server on 127.0.0.1 that real kubectl 1.35 and
 * @kubernetes/client-node accept as a cluster.
 *
 * How a request flows: http-router resolves the path against the resource registry (built-in
 * kinds from the recorded discovery documents in ../shared/conformance/kube-api/discovery, plus
 * CRDs registered at runtime), consults the fault injector, and calls a verb of the ApiServer.
 * Writes go through one commit path: ownership (managed-fields, field-set: Update entries or
 * server-side apply with conflicts), defaults, validation, generation rules, then the object store
 * with its global resourceVersion and event history (which feeds watches and the simulated
 * controllers). Errors are Status bodies shaped like the apiserver's (status-errors).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiServer, groupResourceOf } from './api-server.js';
import { Controllers } from './controllers.js';
import { FaultInjector } from './faults.js';
import { HttpRouter } from './http-router.js';
import { renderKubeconfig } from './kubeconfig.js';
import { ObjectStore } from './object-store.js';
import { ResourceRegistry } from './resource-registry.js';
import type { KubeEmulator, KubeEmulatorOptions, RecordedRequest } from './types.js';

export type { FaultRule, KubeEmulator, KubeEmulatorOptions, RecordedRequest } from './types.js';

/**
 * The discovery documents a real kube-apiserver serves, recorded in the team's conformance data and
 * bundled beside this file, so the emulator (also `driftless serve`'s sandbox cluster) works from a
 * plain clone. A test keeps the bundled copy equal to the conformance data where that is present.
 */
export const BUNDLED_DISCOVERY_DIR = join(dirname(fileURLToPath(import.meta.url)), 'discovery');

function discoveryDir(): string {
  const candidates = [process.env.KUBE_EMULATOR_DISCOVERY_DIR, BUNDLED_DISCOVERY_DIR].filter(
    (p): p is string => typeof p === 'string' && p !== '',
  );
  const found = candidates.find((p) => existsSync(join(p, 'aggregated_v2.json')));
  if (!found)
    throw new Error(`kube emulator: no discovery documents found (looked in ${candidates.join(', ')})`);
  return found;
}

const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startKubeEmulator(options: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
  const registry = ResourceRegistry.load(discoveryDir());
  const store = new ObjectStore();
  const api = new ApiServer(registry, store);
  const namespaces = registry.find('', 'v1', 'namespaces');
  if (!namespaces) throw new Error('kube emulator: discovery documents lack core/v1 namespaces');
  for (const name of INITIAL_NAMESPACES) {
    api.create(
      { rt: namespaces },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
      { dryRun: false, fieldManager: 'kube-apiserver' },
    );
  }
  const faults = new FaultInjector();
  const requests: RecordedRequest[] = [];
  const openWatches = new Set<() => void>();
  const router = new HttpRouter({ api, faults, record: (r) => requests.push(r), openWatches });
  const controllers = new Controllers(api, { stepMs: options.controller?.stepMs ?? 50 });
  if (options.controller?.enabled !== false) controllers.start();

  const server = createServer((req, res) => {
    router.handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    kubeconfig: () => renderKubeconfig(url),
    writeKubeconfig: (path) => writeFile(path, renderKubeconfig(url), 'utf8'),
    get requests() {
      return requests;
    },
    resetRequests: () => {
      requests.length = 0;
    },
    addFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    failJob: (namespace, name) => controllers.failJob(namespace, name),
    getObject: (apiVersion, kind, namespace, name) => {
      const slash = apiVersion.indexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      const rt = registry.findKind(group, kind);
      if (!rt) return undefined;
      return store.get(groupResourceOf(rt), rt.namespaced ? namespace : '', name);
    },
    stop: async () => {
      controllers.stop();
      for (const close of [...openWatches]) close();
      await new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      });
    },
  };
}
