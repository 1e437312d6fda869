/**
 * Reads `metadata.managedFields` (server-side apply field ownership). Each entry's `fieldsV1` is a
 * trie whose keys are `f:<field>`, `k:<json of the list item's key fields>`, `v:<json of a set
 * member>`, `i:<index>`, and `.` for "the node itself". The trie is turned into paths that can be
 * resolved against any copy of the object (desired, live, predicted): a `k:` step finds the list
 * item with those key values wherever it sits in that copy.
 */
import type { KubeObject } from '../model/index.js';
import { type FieldPath, isJsonObject, type JsonValue, jsonEqual, type PathSegment } from './json-value.js';

export type ManagedStep =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'key'; readonly match: Readonly<Record<string, JsonValue>> }
  | { readonly kind: 'value'; readonly value: JsonValue }
  | { readonly kind: 'index'; readonly index: number };

export type ManagedPath = readonly ManagedStep[];

/** Leaf paths owned by any of `managers` in the object's managedFields (`.` markers excluded). */
export function ownedPaths(obj: KubeObject, managers: readonly string[]): readonly ManagedPath[] {
  const entries = obj.metadata.managedFields;
  if (!Array.isArray(entries) || managers.length === 0) return [];
  const out: ManagedPath[] = [];
  for (const entry of entries) {
    if (!isJsonObject(entry as JsonValue)) continue;
    const manager = entry.manager;
    if (typeof manager !== 'string' || !managers.includes(manager)) continue;
    if (isJsonObject(entry.fieldsV1 as JsonValue)) collectLeaves(entry.fieldsV1 as JsonValue, [], out);
  }
  return out;
}

function collectLeaves(node: JsonValue, prefix: ManagedStep[], out: ManagedPath[]): void {
  if (!isJsonObject(node)) return;
  const children = Object.keys(node).filter((k) => k !== '.');
  if (children.length === 0) {
    if (prefix.length > 0) out.push([...prefix]);
    return;
  }
  for (const key of children) {
    const step = parseStep(key);
    if (step === undefined) continue;
    collectLeaves(node[key]!, [...prefix, step], out);
  }
}

function parseStep(key: string): ManagedStep | undefined {
  const colon = key.indexOf(':');
  if (colon < 0) return undefined;
  const tag = key.slice(0, colon);
  const body = key.slice(colon + 1);
  try {
    switch (tag) {
      case 'f':
        return { kind: 'field', name: body };
      case 'k': {
        const match = JSON.parse(body) as JsonValue;
        return isJsonObject(match) ? { kind: 'key', match } : undefined;
      }
      case 'v':
        return { kind: 'value', value: JSON.parse(body) as JsonValue };
      case 'i':
        return /^[0-9]+$/.test(body) ? { kind: 'index', index: Number(body) } : undefined;
      default:
        return undefined;
    }
  } catch {
    // A malformed key cannot name a field of ours; the server would not have written it.
    return undefined;
  }
}

/** The concrete path a managed path names in `doc`, or undefined when `doc` lacks it. */
export function resolveManagedPath(doc: unknown, path: ManagedPath): FieldPath | undefined {
  const out: PathSegment[] = [];
  let cur: unknown = doc;
  for (const step of path) {
    if (step.kind === 'field') {
      if (!isJsonObject(cur) || !Object.hasOwn(cur, step.name)) return undefined;
      out.push(step.name);
      cur = cur[step.name];
      continue;
    }
    if (!Array.isArray(cur)) return undefined;
    const list: readonly unknown[] = cur;
    let index = -1;
    if (step.kind === 'index') index = step.index < list.length ? step.index : -1;
    else if (step.kind === 'value') index = list.findIndex((item) => jsonEqual(item, step.value));
    else {
      index = list.findIndex(
        (item) => isJsonObject(item) && Object.entries(step.match).every(([k, v]) => jsonEqual(item[k], v)),
      );
    }
    if (index < 0) return undefined;
    out.push(index);
    cur = list[index];
  }
  return out;
}
