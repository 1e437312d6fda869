/**
 * The predicted live object (a server-side dry-run apply of desired) costs one PATCH per resource.
 * It only changes when desired changes or live changes, so it is cached under both: a content hash
 * of the prepared desired object (with the field manager that would apply it) and the live
 * object's resourceVersion. resourceVersions are only unique within one cluster, so a cache
 * serves one cluster. The in-memory LRU serves a process; the pipeline keeps the same keys in its
 * state table so that a warm comparison makes no dry-run request at all.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../model/kube-object.js';

export interface PredictedCache {
  get(key: string): Promise<KubeObject | undefined>;
  set(key: string, predicted: KubeObject): Promise<void>;
}

export interface PredictedKeyOptions {
  /** The prepared desired object (namespace defaulted, tracking id set). */
  readonly desired: KubeObject;
  /** undefined when there is no live object. */
  readonly liveResourceVersion?: string;
  readonly fieldManager: string;
}

/** `<sha256 of desired and field manager>@<resourceVersion | absent>`. */
export function predictedCacheKey({
  desired,
  liveResourceVersion,
  fieldManager,
}: PredictedKeyOptions): string {
  const hash = createHash('sha256').update(fieldManager).update('\n').update(canonicalJson(desired));
  return `${hash.digest('hex')}@${liveResourceVersion ?? 'absent'}`;
}

/** JSON with object keys sorted, so equal objects hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface MemoryPredictedCacheOptions {
  /** Entries kept; the least recently used go first. Default 10,000. */
  readonly maxEntries?: number;
}

export class MemoryPredictedCache implements PredictedCache {
  readonly #entries = new Map<string, KubeObject>();
  readonly #max: number;

  constructor(options: MemoryPredictedCacheOptions = {}) {
    this.#max = Math.max(1, options.maxEntries ?? 10_000);
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<KubeObject | undefined> {
    const found = this.#entries.get(key);
    if (found === undefined) return undefined;
    // Map keeps insertion order: re-inserting marks the entry most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, found);
    return structuredClone(found);
  }

  async set(key: string, predicted: KubeObject): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, structuredClone(predicted));
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
