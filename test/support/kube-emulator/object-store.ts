/**
 * The emulated etcd: objects per group/resource, one global resourceVersion counter bumped on
 * every write, and a bounded event history so watches can resume from a resourceVersion.
 */
import { clone, isObject, type JsonObject } from './types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: EventType;
  /** `group/resource` */
  readonly groupResource: string;
  readonly resourceVersion: number;
  readonly object: JsonObject;
}

const HISTORY_LIMIT = 5000;

export function metaOf(obj: JsonObject): JsonObject {
  return isObject(obj.metadata) ? obj.metadata : {};
}

function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class ObjectStore {
  private revision = 1000;
  private readonly buckets = new Map<string, Map<string, JsonObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();

  /** The resourceVersion of the latest write. */
  get currentRevision(): number {
    return this.revision;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  get oldestRevision(): number {
    return this.history[0]?.resourceVersion ?? this.revision;
  }

  nextRevision(): number {
    this.revision += 1;
    return this.revision;
  }

  get(groupResource: string, namespace: string, name: string): JsonObject | undefined {
    const o = this.buckets.get(groupResource)?.get(objectKey(namespace, name));
    return o ? clone(o) : undefined;
  }

  /** Objects sorted by namespace then name; `namespace` undefined means all. */
  list(groupResource: string, namespace?: string): JsonObject[] {
    const bucket = this.buckets.get(groupResource);
    if (!bucket) return [];
    return [...bucket.entries()]
      .filter(([, o]) => namespace === undefined || (metaOf(o).namespace ?? '') === namespace)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  groupResources(): string[] {
    return [...this.buckets.keys()];
  }

  /** Stores an object whose metadata.resourceVersion was already set from nextRevision(). */
  put(groupResource: string, obj: JsonObject): void {
    const meta = metaOf(obj);
    const key = objectKey(String(meta.namespace ?? ''), String(meta.name ?? ''));
    let bucket = this.buckets.get(groupResource);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(groupResource, bucket);
    }
    const type: EventType = bucket.has(key) ? 'MODIFIED' : 'ADDED';
    bucket.set(key, clone(obj));
    this.emit({ type, groupResource, resourceVersion: Number(meta.resourceVersion), object: clone(obj) });
  }

  remove(groupResource: string, namespace: string, name: string): JsonObject | undefined {
    const bucket = this.buckets.get(groupResource);
    const key = objectKey(namespace, name);
    const o = bucket?.get(key);
    if (!bucket || !o) return undefined;
    bucket.delete(key);
    // The DELETED event carries the last state with a fresh resourceVersion, as etcd reports it.
    const last = clone(o);
    metaOf(last).resourceVersion = String(this.nextRevision());
    this.emit({ type: 'DELETED', groupResource, resourceVersion: this.revision, object: clone(last) });
    return last;
  }

  /** Events after `resourceVersion`, or undefined if the history no longer reaches back that far. */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.oldestRevision - 1 && this.history.length >= HISTORY_LIMIT) return undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    for (const l of [...this.listeners]) l(e);
  }
}
