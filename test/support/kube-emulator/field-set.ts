/**
 * Field sets in the FieldsV1 trie format of managedFields: `f:<field>` for struct and map fields,
 * `k:<json>` for an element of a map-list, `v:<json>` for a set element and `.` for "this map or
 * element itself". A node without children is a leaf (an owned field). Sets are computed from
 * objects (what an applier sent, what an update changed) and combined with union/subtract.
 */
import { elementKey, isAtomicMap, listTypeOf, type SchemaContext } from './list-schema.js';
import { deepEqual, isObject, type JsonObject } from './types.js';

export type FieldTree = { [key: string]: FieldTree };

/** Identity and server-owned metadata never enter a field set. */
const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'generateName',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/** Structs that are always present, so an update creating them records no `.` entry. */
const STRUCTS = new Set(['metadata', 'spec', 'status', 'template', 'strategy', 'data']);

function skipField(path: readonly string[], key: string): boolean {
  if (path.length === 0) return key === 'apiVersion' || key === 'kind';
  return path.length === 1 && path[0] === 'metadata' && SERVER_METADATA.has(key);
}

function keyString(key: JsonObject): string {
  return `k:${JSON.stringify(key)}`;
}

function nonEmpty(node: FieldTree): FieldTree | undefined {
  return Object.keys(node).length > 0 ? node : undefined;
}

/**
 * Every field present in `obj`. With `dots`, maps and keyed elements also carry `.` (used to
 * compute what an update removed).
 */
export function fieldSetOf(ctx: SchemaContext, obj: JsonObject, dots = false): FieldTree {
  const walkObject = (value: JsonObject, path: readonly string[], keyed: boolean): FieldTree => {
    const node: FieldTree = {};
    if (keyed || (dots && path.length > 0)) node['.'] = {};
    for (const [key, v] of Object.entries(value)) {
      if (v === null || v === undefined || skipField(path, key)) continue;
      node[`f:${key}`] = walkField(v, path, key);
    }
    return node;
  };
  const walkField = (v: unknown, path: readonly string[], key: string): FieldTree => {
    const childPath = [...path, key];
    if (Array.isArray(v)) {
      const lt = listTypeOf(ctx, path, key);
      if (lt.type === 'set') return Object.fromEntries(v.map((e) => [`v:${JSON.stringify(e)}`, {}]));
      if (lt.type === 'map') {
        const node: FieldTree = {};
        for (const e of v) {
          const k = elementKey(lt.keys, e);
          if (!k || !isObject(e)) return {};
          node[keyString(k)] = walkObject(e, childPath, true);
        }
        return node;
      }
      return {};
    }
    if (isObject(v) && !isAtomicMap(ctx, path, key)) return walkObject(v, childPath, false);
    return {};
  };
  return walkObject(obj, [], false);
}

/** The fields whose value `next` sets differently from `prev` (what an Update takes ownership of). */
export function changedFields(ctx: SchemaContext, prev: JsonObject | undefined, next: JsonObject): FieldTree {
  const walkObject = (
    before: unknown,
    after: JsonObject,
    path: readonly string[],
    keyed: boolean,
  ): FieldTree | undefined => {
    const node: FieldTree = {};
    const created = !isObject(before);
    const last = path[path.length - 1] ?? '';
    if (created && path.length > 0 && (keyed || !STRUCTS.has(last))) node['.'] = {};
    for (const [key, v] of Object.entries(after)) {
      if (v === null || v === undefined || skipField(path, key)) continue;
      const child = walkField(isObject(before) ? before[key] : undefined, v, path, key);
      if (child) node[`f:${key}`] = child;
    }
    return nonEmpty(node);
  };
  const walkField = (
    before: unknown,
    after: unknown,
    path: readonly string[],
    key: string,
  ): FieldTree | undefined => {
    const childPath = [...path, key];
    if (Array.isArray(after)) {
      const lt = listTypeOf(ctx, path, key);
      const old = Array.isArray(before) ? before : [];
      // A list an update creates is itself owned (`.`), as upstream records it.
      const created: FieldTree = Array.isArray(before) ? {} : { '.': {} };
      if (lt.type === 'set') {
        const node: FieldTree = { ...created };
        for (const e of after) if (!old.some((o) => deepEqual(o, e))) node[`v:${JSON.stringify(e)}`] = {};
        return nonEmpty(node);
      }
      if (lt.type === 'map') {
        const node: FieldTree = { ...created };
        for (const e of after) {
          const k = elementKey(lt.keys, e);
          if (!k || !isObject(e)) return deepEqual(before, after) ? undefined : {};
          const oldElement = old.find((o) => deepEqual(elementKey(lt.keys, o), k));
          const child = walkObject(oldElement, e, childPath, true);
          if (child) node[keyString(k)] = child;
        }
        return nonEmpty(node);
      }
      return deepEqual(before, after) ? undefined : {};
    }
    if (isObject(after) && !isAtomicMap(ctx, path, key)) {
      const child = walkObject(before, after, childPath, false);
      if (!child && !isObject(before)) return {};
      return child;
    }
    return deepEqual(before, after) ? undefined : {};
  };
  return (prev ? walkObject(prev, next, [], false) : walkObject(undefined, next, [], false)) ?? {};
}

export function union(a: FieldTree, b: FieldTree): FieldTree {
  const out: FieldTree = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = out[k] ? union(out[k], v) : v;
  return out;
}

/** `a` without the leaves of `b`; inner nodes emptied by the subtraction disappear. */
export function subtract(a: FieldTree, b: FieldTree): FieldTree {
  const out: FieldTree = {};
  for (const [k, v] of Object.entries(a)) {
    const other = b[k];
    if (!other) {
      out[k] = v;
      continue;
    }
    const isLeaf = Object.keys(v).length === 0;
    if (isLeaf) {
      if (Object.keys(other).length > 0) out[k] = v;
      continue;
    }
    const rest = subtract(v, other);
    if (Object.keys(rest).length > 0) out[k] = rest;
  }
  return out;
}

export function isEmpty(t: FieldTree): boolean {
  return Object.keys(t).length === 0;
}

/** Paths to every leaf, each as the list of trie keys from the root. */
export function leaves(t: FieldTree, prefix: readonly string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(t)) {
    const path = [...prefix, k];
    if (isEmpty(v)) out.push(path);
    else out.push(...leaves(v, path));
  }
  return out;
}

export function containsLeaf(t: FieldTree, path: readonly string[]): boolean {
  let node: FieldTree | undefined = t;
  for (const k of path) {
    node = node[k];
    if (!node) return false;
  }
  return isEmpty(node);
}

/** A trie holding exactly the given paths. */
export function fromPaths(paths: readonly (readonly string[])[]): FieldTree {
  const root: FieldTree = {};
  for (const p of paths) {
    let node = root;
    for (const k of p) {
      node[k] ??= {};
      node = node[k];
    }
  }
  return root;
}

function parseKey(k: string): JsonObject {
  return JSON.parse(k.slice(2)) as JsonObject;
}

/** `.spec.template.spec.containers[name="nginx"].image`, as conflict messages print paths. */
export function pathString(path: readonly string[]): string {
  let out = '';
  for (const k of path) {
    if (k === '.') continue;
    if (k.startsWith('f:')) out += `.${k.slice(2)}`;
    else if (k.startsWith('k:')) {
      const parts = Object.entries(parseKey(k)).map(([name, v]) => `${name}=${JSON.stringify(v)}`);
      out += `[${parts.join(',')}]`;
    } else if (k.startsWith('v:')) out += `[=${k.slice(2)}]`;
  }
  return out;
}

function findElement(list: unknown, key: JsonObject): unknown {
  if (!Array.isArray(list)) return undefined;
  const names = Object.keys(key);
  return list.find((e) => deepEqual(elementKey(names, e), key));
}

/** The value a field path addresses in `obj`, or undefined. */
export function valueAt(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === undefined) return undefined;
    if (k === '.') continue;
    if (k.startsWith('f:')) cur = isObject(cur) ? cur[k.slice(2)] : undefined;
    else if (k.startsWith('k:')) cur = findElement(cur, parseKey(k));
    else if (k.startsWith('v:')) {
      const v = JSON.parse(k.slice(2)) as unknown;
      cur = Array.isArray(cur) && cur.some((e) => deepEqual(e, v)) ? v : undefined;
    }
  }
  return cur;
}

/** Removes from `obj` (in place) the fields of `t`; maps emptied by that go too. */
export function removeFields(obj: JsonObject, t: FieldTree): void {
  for (const [k, sub] of Object.entries(t)) {
    if (!k.startsWith('f:')) continue;
    const name = k.slice(2);
    const value = obj[name];
    if (value === undefined) continue;
    if (isEmpty(sub)) {
      delete obj[name];
      continue;
    }
    if (isObject(value)) {
      removeFields(value, sub);
      if (Object.keys(value).length === 0) delete obj[name];
    } else if (Array.isArray(value)) {
      const kept = value.filter((e) => {
        for (const [ek, esub] of Object.entries(sub)) {
          if (ek.startsWith('v:') && deepEqual(JSON.parse(ek.slice(2)), e)) return false;
          if (ek.startsWith('k:') && deepEqual(elementKey(Object.keys(parseKey(ek)), e), parseKey(ek))) {
            if ('.' in esub) return false;
            if (isObject(e)) removeFields(e, esub);
          }
        }
        return true;
      });
      if (kept.length === 0) delete obj[name];
      else obj[name] = kept;
    }
  }
}
