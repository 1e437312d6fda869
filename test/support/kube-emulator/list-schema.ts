/**
 * The few schema markers server-side apply needs, keyed by field path: which lists merge per
 * element (listType=map and their keys), which merge as sets, and which maps are atomic. Built-in
 * kinds follow the upstream Go markers; custom resources (no schema known here) get atomic lists.
 */
import type { JsonObject } from './types.js';

export type ListType =
  | { readonly type: 'map'; readonly keys: readonly string[] }
  | { readonly type: 'set' }
  | { readonly type: 'atomic' };

export interface SchemaContext {
  /** True for custom resources: only metadata lists are granular. */
  readonly custom: boolean;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const BY_NAME = new Set([...CONTAINER_LISTS, 'env', 'volumes', 'imagePullSecrets', 'resourceClaims']);
const ATOMIC = { type: 'atomic' } as const;

/** `path` is the chain of field names from the root to the list's parent (list items omitted). */
export function listTypeOf(ctx: SchemaContext, path: readonly string[], field: string): ListType {
  if (path.length === 1 && path[0] === 'metadata') {
    if (field === 'finalizers') return { type: 'set' };
    if (field === 'ownerReferences') return { type: 'map', keys: ['uid'] };
    return ATOMIC;
  }
  if (ctx.custom) return ATOMIC;
  if (BY_NAME.has(field)) return { type: 'map', keys: ['name'] };
  if (field === 'ports') {
    if (path.some((p) => CONTAINER_LISTS.has(p))) return { type: 'map', keys: ['containerPort', 'protocol'] };
    if (path.length === 1 && path[0] === 'spec') return { type: 'map', keys: ['port', 'protocol'] };
    return ATOMIC;
  }
  if (field === 'volumeMounts') return { type: 'map', keys: ['mountPath'] };
  if (field === 'volumeDevices') return { type: 'map', keys: ['devicePath'] };
  if (field === 'conditions') return { type: 'map', keys: ['type'] };
  if (field === 'hostAliases') return { type: 'map', keys: ['ip'] };
  if (field === 'topologySpreadConstraints')
    return { type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] };
  return ATOMIC;
}

/** Maps replaced whole rather than merged per key (LabelSelectors, nodeSelector). */
export function isAtomicMap(ctx: SchemaContext, path: readonly string[], field: string): boolean {
  if (path[0] === 'metadata') return false;
  if (ctx.custom) return false;
  return field === 'selector' || field === 'nodeSelector';
}

/** Values that identify an element of a map-list; protocol defaults to TCP as upstream does. */
export function elementKey(keys: readonly string[], element: unknown): JsonObject | undefined {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) return undefined;
  const e = element as JsonObject;
  const out: JsonObject = {};
  for (const k of [...keys].sort()) {
    let v = e[k];
    if (v === undefined && k === 'protocol') v = 'TCP';
    if (v === undefined) {
      // An element missing a key field cannot be addressed; upstream rejects it, we keep it atomic.
      return undefined;
    }
    out[k] = v;
  }
  return out;
}
