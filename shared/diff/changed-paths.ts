/**
 * Names the fields that differ between two normalised objects, for humans and for logs:
 * `spec.replicas`, `metadata.labels["app.kubernetes.io/name"]`,
 * `spec.template.spec.containers[name=web].image`, `spec.args[1]`. Lists of keyed objects are
 * addressed by key so a path stays meaningful when items move.
 */
import { isJsonObject, type JsonValue, jsonEqual } from './json-value.js';
import { keyValueOf, listKeyOf } from './list-pairing.js';

export function changedPaths(desired: JsonValue | undefined, live: JsonValue | undefined): readonly string[] {
  const out: string[] = [];
  walk(desired, live, '', out);
  return out;
}

function walk(a: JsonValue | undefined, b: JsonValue | undefined, path: string, out: string[]): void {
  if (jsonEqual(a, b)) return;
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) walk(a[k], b[k], join(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = listKeyOf(a, b);
    if (key !== undefined) {
      const ids = [...new Set([...a, ...b].map((item) => keyValueOf(item, key)!))];
      const before = out.length;
      for (const id of ids) {
        const x = a.find((item) => keyValueOf(item, key) === id);
        const y = b.find((item) => keyValueOf(item, key) === id);
        walk(x, y, `${path}[${key}=${id}]`, out);
      }
      // Same items, different order: the list itself differs.
      if (out.length === before) out.push(path);
      return;
    }
    if (a.length === b.length) {
      for (let i = 0; i < a.length; i++) walk(a[i], b[i], `${path}[${i}]`, out);
      return;
    }
  }
  out.push(path === '' ? '.' : path);
}

function join(path: string, key: string): string {
  const step = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
  if (path === '') return step;
  return step.startsWith('[') ? `${path}${step}` : `${path}.${step}`;
}
