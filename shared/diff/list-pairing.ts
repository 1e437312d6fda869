/**
 * Which item of one list corresponds to which item of another. Kubernetes merges most object
 * lists by a key field (containers and env by `name`, ports by `containerPort` or `port`, volume
 * mounts by `mountPath`); when every item on both sides carries the same unique key, items are
 * paired by it, otherwise positionally when the lengths agree, otherwise not at all.
 */
import { isJsonObject, type JsonValue } from './json-value.js';

const MERGE_KEYS = ['name', 'containerPort', 'mountPath', 'devicePath', 'port'] as const;

export type ListPairing =
  | { readonly kind: 'keyed'; readonly key: string; readonly pairs: readonly (readonly [number, number])[] }
  | { readonly kind: 'positional'; readonly pairs: readonly (readonly [number, number])[] }
  | { readonly kind: 'none' };

/** The merge key every item of every given list carries with a unique scalar value, if any. */
export function listKeyOf(...lists: readonly (readonly JsonValue[])[]): string | undefined {
  if (lists.every((l) => l.length === 0)) return undefined;
  return MERGE_KEYS.find((key) =>
    lists.every((list) => {
      const seen = new Set<string>();
      for (const item of list) {
        if (!isJsonObject(item)) return false;
        const v = item[key];
        if (typeof v !== 'string' && typeof v !== 'number') return false;
        const id = JSON.stringify(v);
        if (seen.has(id)) return false;
        seen.add(id);
      }
      return true;
    }),
  );
}

export function keyValueOf(item: JsonValue | undefined, key: string): string | number | undefined {
  if (!isJsonObject(item)) return undefined;
  const v = item[key];
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/** Pairs of [index in `a`, index in `b`]. */
export function pairLists(a: readonly JsonValue[], b: readonly JsonValue[]): ListPairing {
  const key = listKeyOf(a, b);
  if (key !== undefined) {
    const pairs: (readonly [number, number])[] = [];
    a.forEach((item, i) => {
      const j = b.findIndex((other) => keyValueOf(other, key) === keyValueOf(item, key));
      if (j >= 0) pairs.push([i, j]);
    });
    return { kind: 'keyed', key, pairs };
  }
  if (a.length === b.length) return { kind: 'positional', pairs: a.map((_, i) => [i, i] as const) };
  return { kind: 'none' };
}
