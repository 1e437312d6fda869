/**
 * Compares one resource, desired against live, the way Argo CD decides Synced or OutOfSync:
 *   1. read field ownership from live `managedFields` (normalisation drops it);
 *   2. normalise both sides (normalize.ts); with `predicted` the target is the dry-run result;
 *   3. managedFieldsManagers: fields those managers own that differ are removed from both sides;
 *   4. jsonPointers and jqPathExpressions remove fields from both sides, then empty maps/lists go;
 *   5. without `predicted`, live is restricted to the fields desired and we manage (project-live.ts);
 *   6. compare, name the differing paths, and mask Secret values in what is returned.
 */
import { DriftlessError } from '../errors/index.js';
import type { KubeObject, ResourceKey } from '../model/index.js';
import { changedPaths } from './changed-paths.js';
import { DEFAULT_FIELD_MANAGER, type DiffResourceOptions, type DiffResult } from './diff-types.js';
import { compileIgnoreRules, hasPathRules, ignoredPathsIn, type MatchedIgnore } from './ignore-rules.js';
import {
  type FieldPath,
  getPath,
  isJsonObject,
  type JsonObject,
  jsonEqual,
  removeEmptyContainersInPlace,
  removePathsInPlace,
} from './json-value.js';
import { type ManagedPath, ownedPaths, resolveManagedPath } from './managed-fields.js';
import { LAST_APPLIED_ANNOTATION, normalizeObject } from './normalize.js';
import { projectLive } from './project-live.js';
import { maskSecretPair } from './secret-mask.js';

export function diffResource(options: DiffResourceOptions): DiffResult {
  const { key, desired, live, predicted } = options;
  if (desired === undefined && live === undefined) {
    throw new DriftlessError('INVALID_MANIFEST', `diff ${describeKey(key)}: neither desired nor live given`, {
      context: { key },
    });
  }
  const matched = compileIgnoreRules(options.ignore).forResource(key);
  const fieldManager = options.fieldManager ?? DEFAULT_FIELD_MANAGER;
  const keepOwnerReferences = Array.isArray(desired?.metadata?.ownerReferences);
  const normalize = (obj: KubeObject) => normalizeObject(obj, { key, keepOwnerReferences });

  const target = predicted ?? desired;
  const normTarget = target === undefined ? undefined : asJson(normalize(target));
  const normLive = live === undefined ? undefined : asJson(normalize(live));

  if (normTarget !== undefined && live !== undefined && normLive !== undefined) {
    removeManagerOwnedDifferences(normTarget, normLive, ownedPaths(live, matched.managers));
  }
  for (const side of [normTarget, normLive]) if (side !== undefined) applyPathRules(side, matched);

  let comparedLive = normLive;
  if (predicted === undefined && normTarget !== undefined && normLive !== undefined && live !== undefined) {
    const guides = [normTarget];
    const lastApplied = lastAppliedOf(live, key);
    if (lastApplied !== undefined) {
      applyPathRules(lastApplied, matched);
      guides.push(lastApplied);
    }
    const owned = ownedPaths(live, [fieldManager])
      .map((p) => resolveManagedPath(normLive, p))
      .filter((p): p is FieldPath => p !== undefined);
    comparedLive = projectLive({ live: normLive, guides, ownedPaths: owned });
  }

  const masked = maskSecretPair({ desired: asKube(normTarget), live: asKube(comparedLive) });
  const base = {
    key,
    comparison: predicted === undefined ? ('desired-fields' as const) : ('predicted' as const),
    ...(masked.desired === undefined ? {} : { normalizedDesired: masked.desired }),
    ...(masked.live === undefined ? {} : { normalizedLive: masked.live }),
  };
  if (comparedLive === undefined) {
    return {
      ...base,
      status: 'OutOfSync',
      modified: true,
      requiresPruning: false,
      change: 'create',
      changedPaths: [],
    };
  }
  if (normTarget === undefined) {
    return {
      ...base,
      status: 'OutOfSync',
      modified: false,
      requiresPruning: true,
      change: 'delete',
      changedPaths: [],
    };
  }
  const paths = changedPaths(normTarget, comparedLive);
  const modified = paths.length > 0;
  return {
    ...base,
    status: modified ? 'OutOfSync' : 'Synced',
    modified,
    requiresPruning: false,
    change: modified ? 'update' : 'none',
    changedPaths: paths,
  };
}

/** Argo CD's managedFieldsManagers: a field owned by a trusted manager whose value differs is not drift. */
function removeManagerOwnedDifferences(
  target: JsonObject,
  live: JsonObject,
  owned: readonly ManagedPath[],
): void {
  const fromTarget: FieldPath[] = [];
  const fromLive: FieldPath[] = [];
  for (const managed of owned) {
    const inLive = resolveManagedPath(live, managed);
    const inTarget = resolveManagedPath(target, managed);
    if (inLive === undefined || inTarget === undefined) continue;
    if (jsonEqual(getPath(live, inLive).value, getPath(target, inTarget).value)) continue;
    fromLive.push(inLive);
    fromTarget.push(inTarget);
  }
  removePathsInPlace(target, fromTarget);
  removePathsInPlace(live, fromLive);
}

function applyPathRules(doc: JsonObject, matched: MatchedIgnore): void {
  if (!hasPathRules(matched)) return;
  removePathsInPlace(doc, ignoredPathsIn(doc, matched));
  removeEmptyContainersInPlace(doc);
}

function lastAppliedOf(live: KubeObject, key: ResourceKey): JsonObject | undefined {
  const raw = live.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isJsonObject(parsed) || typeof parsed.apiVersion !== 'string' || typeof parsed.kind !== 'string') {
      return undefined;
    }
    const obj = {
      ...parsed,
      metadata: isJsonObject(parsed.metadata) ? parsed.metadata : {},
    } as unknown as KubeObject;
    return asJson(normalizeObject(obj, { key, keepOwnerReferences: true }));
  } catch {
    // kubectl writes this annotation; an unreadable one only means no client-side apply history.
    return undefined;
  }
}

function asJson(obj: KubeObject): JsonObject {
  return obj as unknown as JsonObject;
}

function asKube(obj: JsonObject | undefined): KubeObject | undefined {
  return obj as unknown as KubeObject | undefined;
}

function describeKey(key: ResourceKey): string {
  return `${key.group}/${key.kind} ${key.namespace}/${key.name}`;
}
