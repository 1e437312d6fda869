/**
 * Flattening of a git file's content for fasttemplate: nested objects and lists become dotted
 * keys (`cluster.address`, `regions.0`), values are printed as Go's `%v` prints them (numbers
 * from YAML are float64 there, so 1000000 is `1e+06`), empty objects and lists vanish.
 */
import { formatGoValue } from './go-template/index.js';
import { isPlainObject } from './params.js';

export function flattenParams(object: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  visit(object, '', out);
  return out;
}

function visit(value: unknown, prefix: string, out: Record<string, string>): void {
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isPlainObject(child) || Array.isArray(child)) visit(child, name, out);
    else out[name] = formatGoValue(child);
  }
}
