/**
 * Drives the sync step function to completion against the Kubernetes API emulator through the
 * real client-node KubeClient, the way the worker does: call syncStep, and on `continue` come back
 * later. Short waits are slept for real (the emulator's controllers run on real timers); long ones
 * (retry backoff) are skipped by moving the clock forward, as a delayed queue message would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ClusterClientFactory, clustersFromKubeconfig } from '../../../shared/kube/index.js';
import type { Application } from '../../../shared/model/argo-types.js';
import type { KubeObject } from '../../../shared/model/kube-object.js';
import type { KubeClient } from '../../../shared/ports/kube-client.js';
import { type BeginOperationOptions, beginOperation } from '../../../shared/sync/begin.js';
import { nextInventory } from '../../../shared/sync/inventory.js';
import { type SyncStepInput, syncStep } from '../../../shared/sync/step.js';
import type { InventoryItem, OperationState, SyncStepResult } from '../../../shared/sync/types.js';
import { FakeClock } from '../../support/fake-clock.js';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { app } from '../../unit/sync/fixtures.js';

export interface Cluster {
  readonly emulator: KubeEmulator;
  readonly client: KubeClient;
  stop(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const emulator = await startKubeEmulator({ controller: { stepMs: 10 } });
  const dir = mkdtempSync(join(tmpdir(), 'sync-scenario-'));
  const file = join(dir, 'kubeconfig');
  // client-node talks plain HTTP only when the kubeconfig waives TLS verification.
  const doc = parse(emulator.kubeconfig()) as { clusters: Array<{ cluster: Record<string, unknown> }> };
  for (const c of doc.clusters) c.cluster['insecure-skip-tls-verify'] = true;
  writeFileSync(file, stringify(doc), 'utf8');
  const [cluster] = clustersFromKubeconfig({ file, contexts: ['emulator'] });
  const factory = new ClusterClientFactory({ clock: new FakeClock({ start: 'wall', sleep: 'real' }) });
  const client = await factory.clientFor(cluster!);
  return {
    emulator,
    client,
    stop: async () => {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function application(
  name: string,
  namespace: string,
  syncPolicy: Application['spec']['syncPolicy'] = {},
): Application {
  return app({ destination: { server: 'https://kubernetes.default.svc', namespace }, syncPolicy }, name);
}

export interface CustomResourceDefinitionOptions {
  /** Served in group example.com, version v1, plural and singular derived from it. */
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
}

/** A CRD whose custom resources accept any fields. */
export function customResourceDefinition(options: CustomResourceDefinitionOptions): KubeObject {
  const singular = options.kind.toLowerCase();
  const plural = `${singular}s`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      scope: options.scope,
      names: { kind: options.kind, plural, singular, listKind: `${options.kind}List` },
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
}

export interface RunOptions {
  readonly cluster: Cluster;
  readonly app: Application;
  readonly desired: readonly KubeObject[];
  readonly inventory?: readonly InventoryItem[];
  readonly begin?: Partial<BeginOperationOptions>;
  readonly operation?: OperationState;
  /** Per call; default: no deadline. */
  readonly deadlineMs?: number;
  readonly step?: Partial<SyncStepInput>;
  readonly maxSteps?: number;
}

export interface Run {
  readonly final: SyncStepResult;
  readonly steps: readonly SyncStepResult[];
  readonly inventory: InventoryItem[];
}

export async function runSync(options: RunOptions): Promise<Run> {
  const clock = new FakeClock({ start: 'wall', sleep: 'real' });
  let operation =
    options.operation ??
    beginOperation({
      app: options.app,
      revision: 'a1b2c3d4e5f60718293a',
      clock,
      initiatedBy: 'manual',
      prune: true,
      ...options.begin,
    });
  const steps: SyncStepResult[] = [];
  for (let i = 0; i < (options.maxSteps ?? 400); i++) {
    const result = await syncStep({
      app: options.app,
      operation,
      desired: options.desired,
      inventory: options.inventory ?? [],
      kube: options.cluster.client,
      clock,
      options: {
        pollSeconds: 0.02,
        waveDelaySeconds: 0,
        transientDelaySeconds: 0.01,
        ...(options.deadlineMs === undefined
          ? {}
          : { deadline: new Date(clock.now().getTime() + options.deadlineMs) }),
      },
      ...options.step,
    });
    steps.push(result);
    operation = result.operation;
    if (result.outcome.kind === 'done') {
      return {
        final: result,
        steps,
        inventory: nextInventory({ operation, previous: options.inventory ?? [] }),
      };
    }
    const waitMs = result.outcome.afterSeconds * 1000;
    if (waitMs > 200) await clock.advance(waitMs);
    else await clock.sleep(waitMs);
  }
  throw new Error(`sync did not finish in ${options.maxSteps ?? 400} steps: ${operation.message}`);
}
