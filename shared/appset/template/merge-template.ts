/**
 * A generator's own `template` over the ApplicationSet's `spec.template`, the way Argo CD merges
 * them (mergo without override): whatever the generator's template sets wins, whatever it leaves
 * empty (missing, "", 0, false, empty lists) comes from the base; objects merge key by key.
 */
import { isPlainObject } from '../params.js';

export function mergeTemplates(override: unknown, base: unknown): unknown {
  if (isEmpty(override)) return structuredClone(base);
  if (isPlainObject(override) && isPlainObject(base)) {
    const out: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(override), ...Object.keys(base)])) {
      const merged = mergeTemplates(override[key], base[key]);
      if (merged !== undefined) out[key] = merged;
    }
    return out;
  }
  return structuredClone(override);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}
