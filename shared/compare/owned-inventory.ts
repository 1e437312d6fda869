/**
 * An inventory recovered from the cluster: the live objects whose tracking id names the app and
 * the object itself. The pipeline stores the inventory after every operation and never needs this;
 * the CLI has no store, and adopting what Argo CD (or an earlier run) applied needs it too. Each
 * kind is listed once across all namespaces: the kinds the app renders now, plus the kinds of a
 * previous inventory (a kind the app stopped rendering may still have objects to prune).
 */
import { type KubeObject, keyOf, keyString } from '../model/kube-object.js';
import type { KubeClient } from '../ports/kube-client.js';
import { isHook } from '../sync/hooks.js';
import { runLimited } from '../sync/run-limited.js';
import { ownershipOf } from '../sync/tracking.js';
import type { InventoryItem } from '../sync/types.js';

export interface ScanOwnedOptions {
  readonly kube: KubeClient;
  /** The app's instance name, as in tracking ids. */
  readonly appName: string;
  /** Kinds to look at: usually the rendered objects. */
  readonly kinds: ReadonlyArray<Pick<KubeObject, 'apiVersion' | 'kind'>>;
  readonly previous?: readonly InventoryItem[];
}

export async function scanOwnedInventory(options: ScanOwnedOptions): Promise<InventoryItem[]> {
  const { kube, appName } = options;
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const { apiVersion, kind } of [
    ...options.kinds,
    ...(options.previous ?? []).map((i) => ({ apiVersion: i.apiVersion, kind: i.key.kind })),
  ]) {
    kinds.set(`${apiVersion}\n${kind}`, { apiVersion, kind });
  }
  const found = new Map<string, InventoryItem>();
  await runLimited(
    [...kinds.values()].map(({ apiVersion, kind }) => async () => {
      if ((await kube.resourceFor(apiVersion, kind)) === undefined) return;
      for (const obj of await kube.list(apiVersion, kind)) {
        if (isHook(obj) || ownershipOf(obj, appName).kind !== 'ours') continue;
        const key = keyOf(obj);
        found.set(keyString(key), { apiVersion, key });
      }
    }),
    8,
  );
  return [...found.values()].sort((a, b) => (keyString(a.key) < keyString(b.key) ? -1 : 1));
}
