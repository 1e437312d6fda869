/**
 * Plain JSON values and the few structural operations the diff needs. Objects from the cluster and
 * from rendering are JSON trees; every operation here returns new trees so callers' inputs are
 * never mutated.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;
export interface JsonObject {
  [key: string]: JsonValue;
}
export type JsonArray = JsonValue[];

/** One step into a tree: an object key or an array index. */
export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy that also drops `undefined` members, the way a JSON round trip would. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = cloneJson(v);
    return out as T;
  }
  return value;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

export function getPath(root: unknown, path: FieldPath): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg < 0 || seg >= cur.length) return { found: false, value: undefined };
      cur = cur[seg];
    } else {
      if (!isJsonObject(cur) || !Object.hasOwn(cur, seg)) return { found: false, value: undefined };
      cur = cur[seg];
    }
  }
  return { found: true, value: cur };
}

/** Removes one path in place; returns whether something was removed. */
export function removePathInPlace(root: unknown, path: FieldPath): boolean {
  if (path.length === 0) return false;
  const parent = getPath(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (!parent.found) return false;
  if (typeof last === 'number') {
    if (!Array.isArray(parent.value) || last < 0 || last >= parent.value.length) return false;
    parent.value.splice(last, 1);
    return true;
  }
  if (!isJsonObject(parent.value) || !Object.hasOwn(parent.value, last)) return false;
  delete parent.value[last];
  return true;
}

/**
 * Removes many paths in place. Paths are removed deepest-and-last first so that removing an array
 * element does not shift the indexes of paths still to be removed (jq's `delpaths` order).
 */
export function removePathsInPlace(root: unknown, paths: readonly FieldPath[]): number {
  const ordered = [...paths].sort(comparePaths).reverse();
  let removed = 0;
  let previous: FieldPath | undefined;
  for (const p of ordered) {
    if (previous !== undefined && comparePaths(previous, p) === 0) continue;
    previous = p;
    if (removePathInPlace(root, p)) removed++;
  }
  return removed;
}

/** Orders paths element by element; numbers before strings, a prefix before its extensions. */
export function comparePaths(a: FieldPath, b: FieldPath): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Drops maps and lists left empty (recursively), as Argo CD does after applying ignore rules. */
export function removeEmptyContainersInPlace(obj: JsonObject): void {
  for (const [key, value] of Object.entries(obj)) {
    if (isJsonObject(value)) {
      removeEmptyContainersInPlace(value);
      if (Object.keys(value).length === 0) delete obj[key];
    } else if (Array.isArray(value)) {
      const kept = value.filter((item) => {
        if (!isJsonObject(item)) return true;
        removeEmptyContainersInPlace(item);
        return Object.keys(item).length > 0;
      });
      if (kept.length === 0) delete obj[key];
      else if (kept.length !== value.length) obj[key] = kept;
    }
  }
}
