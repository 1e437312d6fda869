/**
 * Field ownership: the managedFields entries of an object, how an Update operation (POST, PUT,
 * non-apply PATCH) moves ownership of the fields it changed to its manager, and how a
 * server-side apply merges a configuration, detects conflicts and drops fields its manager no
 * longer sends.
 */
import {
  changedFields,
  containsLeaf,
  type FieldTree,
  fieldSetOf,
  fromPaths,
  isEmpty,
  leaves,
  pathString,
  removeFields,
  subtract,
  union,
  valueAt,
} from './field-set.js';
import { elementKey, isAtomicMap, listTypeOf, type SchemaContext } from './list-schema.js';
import { ApiError } from './status-errors.js';
import { clone, deepEqual, isObject, type JsonObject } from './types.js';

export interface ManagedEntry {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  readonly apiVersion: string;
  readonly time: string;
  readonly subresource?: string;
  readonly fields: FieldTree;
}

export function readEntries(obj: JsonObject | undefined): ManagedEntry[] {
  const meta = obj && isObject(obj.metadata) ? obj.metadata : {};
  const list = Array.isArray(meta.managedFields) ? meta.managedFields.filter(isObject) : [];
  return list.map((e) => ({
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: String(e.apiVersion ?? ''),
    time: String(e.time ?? ''),
    ...(typeof e.subresource === 'string' && e.subresource ? { subresource: e.subresource } : {}),
    fields: (isObject(e.fieldsV1) ? e.fieldsV1 : {}) as FieldTree,
  }));
}

/** Apply entries first, then by time, then by manager name, as the server sorts them. */
export function renderEntries(entries: readonly ManagedEntry[]): JsonObject[] {
  return entries
    .filter((e) => !isEmpty(e.fields))
    .sort((a, b) => {
      if (a.operation !== b.operation) return a.operation === 'Apply' ? -1 : 1;
      if (a.time !== b.time) return a.time < b.time ? -1 : 1;
      return a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0;
    })
    .map((e) => ({
      manager: e.manager,
      operation: e.operation,
      apiVersion: e.apiVersion,
      time: e.time,
      fieldsType: 'FieldsV1',
      fieldsV1: e.fields,
      ...(e.subresource ? { subresource: e.subresource } : {}),
    }));
}

function sameIdentity(a: ManagedEntry, b: Omit<ManagedEntry, 'fields' | 'time'>): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

export interface UpdateOwnershipOptions {
  readonly ctx: SchemaContext;
  readonly entries: readonly ManagedEntry[];
  readonly before: JsonObject | undefined;
  readonly after: JsonObject;
  readonly manager: string;
  readonly apiVersion: string;
  readonly subresource?: string;
  readonly now: string;
}

/** Ownership after an Update: the manager gains what it changed, everyone loses what it changed or removed. */
export function recordUpdate(o: UpdateOwnershipOptions): ManagedEntry[] {
  const changed = changedFields(o.ctx, o.before, o.after);
  const removed = o.before
    ? subtract(fieldSetOf(o.ctx, o.before, true), fieldSetOf(o.ctx, o.after, true))
    : {};
  const identity = {
    manager: o.manager,
    operation: 'Update' as const,
    apiVersion: o.apiVersion,
    ...(o.subresource ? { subresource: o.subresource } : {}),
  };
  const out: ManagedEntry[] = [];
  let own: ManagedEntry | undefined;
  for (const e of o.entries) {
    if (sameIdentity(e, identity)) own = e;
    else out.push({ ...e, fields: subtract(subtract(e.fields, changed), removed) });
  }
  if (isEmpty(changed) && !own) return out;
  const fields = subtract(union(own?.fields ?? {}, changed), removed);
  const time = own && deepEqual(own.fields, fields) ? own.time : o.now;
  out.push({ ...identity, time, fields });
  return out;
}

export interface ApplyOptions {
  readonly ctx: SchemaContext;
  readonly live: JsonObject | undefined;
  readonly applied: JsonObject;
  readonly manager: string;
  readonly force: boolean;
  readonly apiVersion: string;
  readonly subresource?: string;
  readonly now: string;
}

export interface ApplyResult {
  readonly object: JsonObject;
  readonly entries: ManagedEntry[];
}

interface Conflict {
  readonly entry: ManagedEntry;
  readonly path: string[];
}

function conflictSuffix(e: ManagedEntry): string {
  let s = '';
  if (e.subresource) s += ` with subresource "${e.subresource}"`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function conflictError(unsorted: readonly Conflict[]): ApiError {
  // Upstream reports conflicts in field path order; the message groups them by manager.
  const conflicts = [...unsorted].sort((a, b) => {
    const pa = pathString(a.path);
    const pb = pathString(b.path);
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
  const label = (e: ManagedEntry) => `"${e.manager}"${conflictSuffix(e)}`;
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${label(c.entry)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, Conflict[]>();
    for (const c of conflicts) {
      const k = label(c.entry);
      byManager.set(k, [...(byManager.get(k) ?? []), c]);
    }
    const blocks = [...byManager.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, cs]) => [`conflicts with ${k}:`, ...cs.map((c) => `- ${pathString(c.path)}`)].join('\n'));
    message = `Apply failed with ${conflicts.length} conflicts: ${blocks.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${label(c.entry)}`,
      field: pathString(c.path),
    })),
  });
}

/** Merges an applied configuration into the live object along the schema's merge rules. */
function mergeApplied(
  ctx: SchemaContext,
  live: unknown,
  applied: unknown,
  path: readonly string[],
  key: string,
): unknown {
  if (Array.isArray(applied)) {
    const lt = listTypeOf(ctx, path, key);
    const old = Array.isArray(live) ? live : [];
    if (lt.type === 'set') return [...old, ...applied.filter((e) => !old.some((o) => deepEqual(o, e)))];
    if (lt.type === 'map' && applied.every((e) => elementKey(lt.keys, e))) {
      const out = [...old];
      for (const e of applied) {
        const k = elementKey(lt.keys, e);
        const i = out.findIndex((o) => deepEqual(elementKey(lt.keys, o), k));
        if (i < 0) out.push(clone(e));
        else out[i] = mergeObject(ctx, out[i], e as JsonObject, [...path, key]);
      }
      return out;
    }
    return clone(applied);
  }
  if (isObject(applied) && !isAtomicMap(ctx, path, key))
    return mergeObject(ctx, live, applied, [...path, key]);
  return clone(applied);
}

function mergeObject(
  ctx: SchemaContext,
  live: unknown,
  applied: JsonObject,
  path: readonly string[],
): JsonObject {
  const out: JsonObject = isObject(live) ? { ...live } : {};
  for (const [k, v] of Object.entries(applied)) {
    if (v === null || v === undefined) continue;
    out[k] = mergeApplied(ctx, out[k], v, path, k);
  }
  return out;
}

/**
 * Server-side apply of `applied` by `manager`. Throws the 409 conflict Status unless `force`.
 * Returns the merged object (before defaulting) and the new ownership.
 */
export function serverSideApply(o: ApplyOptions): ApplyResult {
  const appliedSet = fieldSetOf(o.ctx, o.applied);
  const entries = readEntries(o.live);
  const isOwn = (e: ManagedEntry) =>
    e.manager === o.manager && e.operation === 'Apply' && (e.subresource ?? '') === (o.subresource ?? '');
  const conflicts: Conflict[] = [];
  if (o.live) {
    for (const path of leaves(appliedSet)) {
      if (path[path.length - 1] === '.') continue;
      const mine = valueAt(o.applied, path);
      const theirs = valueAt(o.live, path);
      // An empty granular map only asserts that the map exists; its keys are merged, not replaced.
      const emptyMap = isObject(mine) && Object.keys(mine).length === 0 && isObject(theirs);
      const differs = !emptyMap && !deepEqual(mine, theirs);
      if (!differs) continue;
      for (const e of entries)
        if (!isOwn(e) && containsLeaf(e.fields, path)) conflicts.push({ entry: e, path });
    }
  }
  if (conflicts.length > 0 && !o.force) throw conflictError(conflicts);

  let others = entries.filter((e) => !isOwn(e));
  if (conflicts.length > 0) {
    others = others.map((e) => ({
      ...e,
      fields: subtract(e.fields, fromPaths(conflicts.filter((c) => c.entry === e).map((c) => c.path))),
    }));
  }
  const previous = entries.find(isOwn);
  const live = o.live ? clone(o.live) : {};
  const merged = mergeObject(o.ctx, live, o.applied, []);
  if (previous) {
    const dropped = subtract(previous.fields, appliedSet);
    const ownedByOthers = others.reduce<FieldTree>((acc, e) => union(acc, e.fields), {});
    removeFields(merged, subtract(dropped, ownedByOthers));
  }
  const own: ManagedEntry = {
    manager: o.manager,
    operation: 'Apply',
    apiVersion: o.apiVersion,
    ...(o.subresource ? { subresource: o.subresource } : {}),
    time: previous && deepEqual(previous.fields, appliedSet) ? previous.time : o.now,
    fields: appliedSet,
  };
  return { object: merged, entries: [own, ...others] };
}
