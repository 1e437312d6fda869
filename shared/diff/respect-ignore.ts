/**
 * `RespectIgnoreDifferences=true`: at apply time, the fields ignoreDifferences selects keep their
 * live values instead of being overwritten from git. The desired object loses every ignored field,
 * then receives the live value of every ignored field live has (Argo CD's normalizeTargetResources
 * does the same with a merge patch). List items are matched by merge key (containers by name), so
 * an ignored sidecar image lands on the sidecar even if the lists are ordered differently; a whole
 * ignored item that desired lacks (an injected container) is appended. A resource that does not
 * exist yet is applied as desired.
 */
import { type KubeObject, keyOf } from '../model/index.js';
import type { IgnoreDifferences } from './diff-types.js';
import { compileIgnoreRules, ignoredPathsIn } from './ignore-rules.js';
import {
  cloneJson,
  comparePaths,
  type FieldPath,
  getPath,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  removePathsInPlace,
} from './json-value.js';
import { keyValueOf, listKeyOf } from './list-pairing.js';
import { ownedPaths, resolveManagedPath } from './managed-fields.js';

export interface RespectIgnoreOptions {
  readonly desired: KubeObject;
  readonly live?: KubeObject;
  readonly ignore?: IgnoreDifferences;
}

/** A copy of desired with ignored fields taken from live; inputs are not touched. */
export function applyRespectIgnoreDifferences(options: RespectIgnoreOptions): KubeObject {
  const out = cloneJson(options.desired) as unknown as JsonObject;
  const live = options.live;
  if (live === undefined) return out as unknown as KubeObject;
  const liveJson = live as unknown as JsonObject;
  const matched = compileIgnoreRules(options.ignore).forResource(keyOf(options.desired));

  removePathsInPlace(out, ignoredPathsIn(out, matched));

  const fromLive: FieldPath[] = [...ignoredPathsIn(liveJson, matched)];
  for (const managed of ownedPaths(live, matched.managers)) {
    const path = resolveManagedPath(liveJson, managed);
    if (path !== undefined) fromLive.push(path);
  }
  for (const path of [...fromLive].sort(comparePaths)) {
    const found = getPath(liveJson, path);
    if (found.found) setTranslated(out, liveJson, path, found.value as JsonValue);
  }
  return out as unknown as KubeObject;
}

/** Writes `value` at the place in `target` that corresponds to `path` in `live`. */
function setTranslated(target: JsonObject, live: JsonObject, path: FieldPath, value: JsonValue): void {
  let t: JsonValue = target;
  let l: JsonValue = live;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (typeof seg === 'string') {
      if (!isJsonObject(t) || !isJsonObject(l)) return;
      if (last) {
        t[seg] = cloneJson(value);
        return;
      }
      if (!Object.hasOwn(t, seg)) t[seg] = Array.isArray(l[seg]) ? [] : {};
      t = t[seg]!;
      l = l[seg]!;
      continue;
    }
    if (!Array.isArray(t) || !Array.isArray(l)) return;
    const liveItem: JsonValue | undefined = l[seg];
    const key = listKeyOf(l);
    const id = key === undefined ? undefined : keyValueOf(liveItem, key);
    const index: number =
      key !== undefined && id !== undefined
        ? t.findIndex((item) => keyValueOf(item, key) === id)
        : seg < t.length
          ? seg
          : -1;
    if (last) {
      if (index >= 0) t[index] = cloneJson(value);
      else t.push(cloneJson(value));
      return;
    }
    if (index < 0) return;
    t = t[index]!;
    l = liveItem!;
  }
}
