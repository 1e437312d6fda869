/**
 * The non-apply PATCH flavours: JSON merge patch (RFC 7386), strategic merge patch (merge
 * patch that merges map-lists such as containers by key and honours `$patch: delete`) and JSON
 * patch (RFC 6902).
 */
import { elementKey, listTypeOf, type SchemaContext } from './list-schema.js';
import { ApiError, badRequest } from './status-errors.js';
import { clone, deepEqual, isObject, type JsonObject } from './types.js';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function strategicMergePatch(ctx: SchemaContext, target: unknown, patch: unknown): unknown {
  return smpValue(ctx, target, patch, [], undefined);
}

function smpValue(
  ctx: SchemaContext,
  target: unknown,
  patch: unknown,
  path: readonly string[],
  key: string | undefined,
): unknown {
  if (Array.isArray(patch) && key !== undefined) {
    const lt = listTypeOf(ctx, path, key);
    if (lt.type === 'map' && Array.isArray(target)) {
      const out = [...target];
      for (const e of patch) {
        const directive = isObject(e) ? e.$patch : undefined;
        const k = elementKey(lt.keys, e);
        if (!k) return clone(patch);
        const i = out.findIndex((o) => deepEqual(elementKey(lt.keys, o), k));
        if (directive === 'delete') {
          if (i >= 0) out.splice(i, 1);
        } else if (i >= 0) out[i] = smpObject(ctx, out[i], e as JsonObject, [...path, key]);
        else out.push(smpObject(ctx, undefined, e as JsonObject, [...path, key]));
      }
      return out;
    }
    if (lt.type === 'set' && Array.isArray(target)) {
      return [...target, ...patch.filter((e) => !target.some((t) => deepEqual(t, e)))];
    }
    return clone(patch);
  }
  if (isObject(patch)) {
    if (patch.$patch === 'replace') {
      const { $patch: _, ...rest } = patch;
      return clone(rest);
    }
    if (patch.$patch === 'delete') return undefined;
    return smpObject(ctx, target, patch, key === undefined ? [] : [...path, key]);
  }
  return clone(patch);
}

function smpObject(
  ctx: SchemaContext,
  target: unknown,
  patch: JsonObject,
  path: readonly string[],
): JsonObject {
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys') continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      const list = out[field];
      if (Array.isArray(list) && Array.isArray(v))
        out[field] = list.filter((e) => !v.some((d) => deepEqual(d, e)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const merged = smpValue(ctx, out[k], v, path, k);
    if (merged === undefined) delete out[k];
    else out[k] = merged;
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, tokens: readonly string[], op: string): { parent: unknown; last: string } {
  let cur = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined)
      throw new ApiError(
        422,
        'Invalid',
        `${op} operation does not apply: doc is missing path: "/${tokens.join('/')}": missing value`,
      );
  }
  return { parent: cur, last: tokens[tokens.length - 1] ?? '' };
}

function getAt(doc: unknown, tokens: readonly string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else return undefined;
  }
  return cur;
}

function removeAt(doc: unknown, tokens: readonly string[], op: string): unknown {
  const { parent, last } = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!(i >= 0 && i < parent.length))
      throw new ApiError(
        422,
        'Invalid',
        `${op} operation does not apply: doc is missing path: "/${tokens.join('/')}"`,
      );
    return parent.splice(i, 1)[0];
  }
  if (isObject(parent) && last in parent) {
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw new ApiError(
    422,
    'Invalid',
    `${op} operation does not apply: doc is missing path: "/${tokens.join('/')}": missing value`,
  );
}

function addAt(doc: unknown, tokens: readonly string[], value: unknown, op: string): unknown {
  if (tokens.length === 0) return clone(value);
  const { parent, last } = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!(i >= 0 && i <= parent.length))
      throw new ApiError(422, 'Invalid', `${op} operation does not apply: index out of bounds`);
    parent.splice(i, 0, clone(value));
  } else if (isObject(parent)) parent[last] = clone(value);
  else
    throw new ApiError(
      422,
      'Invalid',
      `${op} operation does not apply: doc is missing path: "/${tokens.join('/')}"`,
    );
  return doc;
}

export function jsonPatch(target: JsonObject, operations: unknown): JsonObject {
  if (!Array.isArray(operations)) throw badRequest('json patch must be a list of operations');
  let doc: unknown = clone(target);
  for (const raw of operations) {
    if (!isObject(raw)) throw badRequest('json patch operation must be an object');
    const op = String(raw.op ?? '');
    const path = pointer(String(raw.path ?? ''));
    switch (op) {
      case 'add':
        doc = addAt(doc, path, raw.value, op);
        break;
      case 'remove':
        removeAt(doc, path, op);
        break;
      case 'replace':
        removeAt(doc, path, op);
        doc = addAt(doc, path, raw.value, op);
        break;
      case 'move': {
        const v = removeAt(doc, pointer(String(raw.from ?? '')), op);
        doc = addAt(doc, path, v, op);
        break;
      }
      case 'copy':
        doc = addAt(doc, path, getAt(doc, pointer(String(raw.from ?? ''))), op);
        break;
      case 'test':
        if (!deepEqual(getAt(doc, path), raw.value)) {
          throw new ApiError(422, 'Invalid', `testing value /${path.join('/')} failed: test failed`);
        }
        break;
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  if (!isObject(doc)) throw badRequest('json patch replaced the whole object with a non-object');
  return doc;
}
