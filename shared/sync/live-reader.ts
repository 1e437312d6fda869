/**
 * Reading live state for a comparison with as few requests as possible. Targets are grouped by
 * (apiVersion, kind, namespace): a group of `listThreshold` or more objects is read with one LIST
 * of that namespace (of the whole kind, for cluster-scoped kinds); smaller groups with one GET per
 * object. Three is the default threshold: for one or two objects, GETs return exactly what is
 * needed, while a LIST also returns every foreign object of that kind in the namespace, whose size
 * is unknown; from three objects on, one round trip beats several. Discovery is asked once per
 * (apiVersion, kind) and the client caches it. Objects of kinds the server does not serve cannot
 * exist and are not read.
 */
import { type KubeObject, keyOf, keyString, type ResourceKey } from '../model/kube-object.js';
import type { ApiResource, KubeClient } from '../ports/kube-client.js';
import { runLimited } from './run-limited.js';

export const DEFAULT_LIST_THRESHOLD = 3;

export interface LiveTarget {
  readonly apiVersion: string;
  readonly key: ResourceKey;
}

export interface ReadLiveOptions {
  readonly kube: KubeClient;
  readonly targets: readonly LiveTarget[];
  /** Smallest group read with a LIST instead of GETs; default 3. */
  readonly listThreshold?: number;
  /** Requests in flight at once; default 8. */
  readonly concurrency?: number;
}

export interface LiveRead {
  /**
   * Live objects found, by keyString of the target's key as given (a cluster-scoped target given
   * with a namespace is found under that key too).
   */
  readonly objects: ReadonlyMap<string, KubeObject>;
  /** Every object the LISTs returned, targets or not (a scan for tracked objects uses them). */
  readonly listed: readonly KubeObject[];
  readonly lists: number;
  readonly gets: number;
}

interface Group {
  readonly apiVersion: string;
  readonly resource: ApiResource;
  readonly namespace: string;
  readonly keys: ResourceKey[];
}

export async function readLive(options: ReadLiveOptions): Promise<LiveRead> {
  const { kube } = options;
  const threshold = options.listThreshold ?? DEFAULT_LIST_THRESHOLD;
  const groups = new Map<string, Group>();
  const seen = new Set<string>();
  /** keyString of the addressed key → keyStrings of the targets that asked for it. */
  const askedAs = new Map<string, string[]>();
  for (const { apiVersion, key } of options.targets) {
    const id = keyString(key);
    if (seen.has(id)) continue;
    seen.add(id);
    const resource = await kube.resourceFor(apiVersion, key.kind);
    if (resource === undefined) continue;
    const namespace = resource.namespaced ? key.namespace : '';
    // A namespaced object without a namespace cannot be addressed; it is simply not found.
    if (resource.namespaced && namespace === '') continue;
    const groupId = `${apiVersion}\n${key.kind}\n${namespace}`;
    let group = groups.get(groupId);
    if (group === undefined) {
      group = { apiVersion, resource, namespace, keys: [] };
      groups.set(groupId, group);
    }
    const addressed = namespace === key.namespace ? key : { ...key, namespace };
    const addressedId = keyString(addressed);
    const asked = askedAs.get(addressedId);
    if (asked !== undefined) {
      asked.push(id);
      continue;
    }
    askedAs.set(addressedId, [id]);
    group.keys.push(addressed);
  }

  const objects = new Map<string, KubeObject>();
  const found = (addressedId: string, obj: KubeObject): void => {
    for (const id of askedAs.get(addressedId) ?? []) objects.set(id, obj);
  };
  const listed: KubeObject[] = [];
  let lists = 0;
  let gets = 0;
  const reads: Array<() => Promise<void>> = [];
  for (const group of groups.values()) {
    if (group.keys.length >= threshold) {
      reads.push(async () => {
        lists++;
        const items = await kube.list(group.apiVersion, group.resource.kind, {
          ...(group.namespace === '' ? {} : { namespace: group.namespace }),
        });
        const wanted = new Set(group.keys.map(keyString));
        for (const item of items) {
          listed.push(item);
          const id = keyString(keyOf(item));
          if (wanted.has(id)) found(id, item);
        }
      });
      continue;
    }
    for (const key of group.keys) {
      reads.push(async () => {
        gets++;
        const item = await kube.get(group.apiVersion, key);
        if (item !== undefined) found(keyString(key), item);
      });
    }
  }
  await runLimited(reads, options.concurrency ?? 8);
  return { objects, listed, lists, gets };
}
