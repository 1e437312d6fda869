/** Label and field selectors in the apiserver's string syntax. */
import { badRequest } from './status-errors.js';
import { isObject, type JsonObject } from './types.js';

type Requirement =
  | { readonly op: 'eq' | 'neq'; readonly key: string; readonly value: string }
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'exists' | 'notexists'; readonly key: string }
  | { readonly op: 'gt' | 'lt'; readonly key: string; readonly value: number };

export type Selector = (labels: Readonly<Record<string, string>>) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^([a-z0-9A-Z]([a-z0-9A-Z._/-]*[a-z0-9A-Z])?)$/;

function parseRequirement(text: string): Requirement {
  const fail = (why: string) => badRequest(`unable to parse requirement: ${why}`);
  let m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(text);
  if (m) {
    const values = (m[3] ?? '').split(',').map((v) => v.trim());
    return { op: m[2] === 'in' ? 'in' : 'notin', key: m[1] ?? '', values };
  }
  m = /^!\s*(\S+)$/.exec(text);
  if (m) return { op: 'notexists', key: m[1] ?? '' };
  m = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(\S*)$/.exec(text);
  if (m) {
    const key = m[1] ?? '';
    const value = m[3] ?? '';
    if (!KEY.test(key)) throw fail(`invalid label key "${key}"`);
    if (m[2] === '<' || m[2] === '>') {
      const n = Number(value);
      if (!Number.isInteger(n)) throw fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
      return { op: m[2] === '<' ? 'lt' : 'gt', key, value: n };
    }
    return { op: m[2] === '!=' ? 'neq' : 'eq', key, value };
  }
  if (KEY.test(text)) return { op: 'exists', key: text };
  throw fail(`found '${text}', expected: !, identifier, or 'end of string'`);
}

function matches(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const v = labels[r.key];
  switch (r.op) {
    case 'eq':
      return v === r.value;
    case 'neq':
      return v !== r.value;
    case 'in':
      return v !== undefined && r.values.includes(v);
    case 'notin':
      return v === undefined || !r.values.includes(v);
    case 'exists':
      return v !== undefined;
    case 'notexists':
      return v === undefined;
    case 'gt':
      return v !== undefined && Number(v) > r.value;
    case 'lt':
      return v !== undefined && Number(v) < r.value;
  }
}

export function parseLabelSelector(text: string | undefined): Selector {
  if (!text) return () => true;
  const reqs = splitTop(text).map(parseRequirement);
  return (labels) => reqs.every((r) => matches(r, labels));
}

/** Field selectors: metadata.name, metadata.namespace and a few per-kind fields, with =, ==, !=. */
export function parseFieldSelector(text: string | undefined): (obj: JsonObject) => boolean {
  if (!text) return () => true;
  const reqs = splitTop(text).map((part) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    return { field: (m[1] ?? '').trim(), negate: m[2] === '!=', value: (m[3] ?? '').trim() };
  });
  return (obj) =>
    reqs.every((r) => {
      let cur: unknown = obj;
      for (const seg of r.field.split('.')) cur = isObject(cur) ? cur[seg] : undefined;
      const actual = cur === undefined ? '' : String(cur);
      return r.negate ? actual !== r.value : actual === r.value;
    });
}

export function labelsOf(obj: JsonObject): Record<string, string> {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  return isObject(meta.labels) ? (meta.labels as Record<string, string>) : {};
}
