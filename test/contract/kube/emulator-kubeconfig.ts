/**
 * Writes the emulator's kubeconfig with a second, unreachable context beside "emulator", and with
 * TLS verification marked off: client-node refuses a plain-HTTP server unless the kubeconfig says
 * `insecure-skip-tls-verify`, whereas the emulator serves HTTP only.
 */
import { writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import type { KubeEmulator } from '../../support/kube-emulator/index.js';

interface KubeconfigDoc {
  clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  users: Array<{ name: string; user: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: Record<string, unknown> }>;
  [key: string]: unknown;
}

export function emulatorKubeconfig(emulator: KubeEmulator, file: string, unreachableServer: string): void {
  const doc = parse(emulator.kubeconfig()) as KubeconfigDoc;
  for (const c of doc.clusters) c.cluster['insecure-skip-tls-verify'] = true;
  doc.clusters.push({
    name: 'elsewhere',
    cluster: { server: unreachableServer, 'insecure-skip-tls-verify': true },
  });
  doc.contexts.push({ name: 'elsewhere', context: { cluster: 'elsewhere', user: 'emulator' } });
  writeFileSync(file, stringify(doc), 'utf8');
}
