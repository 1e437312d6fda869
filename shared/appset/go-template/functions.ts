/**
 * The functions a goTemplate ApplicationSet may call: text/template's builtins and the Sprig
 * functions people use, plus Argo CD's `normalize`, `slugify`, `toYaml`. Arguments are checked
 * the way Go checks them against a function's signature, so `{{ .missing | lower }}` fails here
 * as it fails in Argo CD ("invalid value; expected string").
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import { kebabCase, sanitizeName, slugify } from '../names.js';
import { compareBytes, formatGoValue, goTypeName, sprintf } from './go-format.js';

export type TemplateFunction = (args: readonly unknown[]) => unknown;
export type FunctionTable = ReadonlyMap<string, TemplateFunction>;

type ParamType = 'string' | 'int' | 'bool' | 'any';

interface Signature {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
}

function typed(signature: Signature, body: (args: readonly unknown[]) => unknown): TemplateFunction {
  return (args) => {
    const fixed = signature.params.length;
    if (signature.variadic ? args.length < fixed : args.length !== fixed) {
      throw new Error(
        `wrong number of args: want ${signature.variadic ? 'at least ' : ''}${fixed} got ${args.length}`,
      );
    }
    return body(args.map((arg, i) => checkType(arg, signature.params[i] ?? signature.variadic ?? 'any')));
  };
}

function checkType(value: unknown, type: ParamType): unknown {
  if (type === 'any') return value === undefined ? null : value;
  if (value === undefined || value === null) throw new Error(`invalid value; expected ${type}`);
  const actual = goTypeName(value);
  if (actual !== type) throw new Error(`wrong type for value; expected ${type}; got ${actual}`);
  return value;
}

/** Go's notion of truth: false, 0, nil, and empty strings, lists and maps are false. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** How an action prints its value: `<no value>` for nothing, otherwise Go's `%v`. */
export function printValue(value: unknown): string {
  if (value === undefined || value === null) return '<no value>';
  return formatGoValue(value);
}

/** Sprig's `strval`/`toString`. */
function toText(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  return formatGoValue(value);
}

/** Go's `json.Marshal`: sorted map keys, HTML characters escaped. */
export function toGoJson(value: unknown): string {
  const json = JSON.stringify(sortedCopy(value)) ?? 'null';
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortedCopy(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort(compareBytes)
        .map((k) => [k, sortedCopy(record[k])]),
    );
  }
  return value;
}

function compare(name: string, a: unknown, b: unknown): number {
  const kind = (v: unknown) => (typeof v === 'bigint' ? 'int' : typeof v === 'number' ? 'float' : typeof v);
  if (kind(a) !== kind(b) || !['int', 'float', 'string'].includes(kind(a))) {
    throw new Error(`incompatible types for comparison (${name} ${goTypeName(a)} ${goTypeName(b)})`);
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null) {
    return (a === undefined || a === null) && (b === undefined || b === null);
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof a !== typeof b) throw new Error('incompatible types for comparison');
    return a === b;
  }
  if (typeof a === 'object' || typeof b === 'object') throw new Error('non-comparable type');
  return compare('eq', a, b) === 0;
}

function indexInto(item: unknown, keys: readonly unknown[]): unknown {
  let value = item;
  for (const key of keys) {
    if (value === undefined || value === null) throw new Error('index of untyped nil');
    if (Array.isArray(value) || typeof value === 'string') {
      if (typeof key !== 'bigint') throw new Error(`cannot index slice/array with type ${goTypeName(key)}`);
      const i = Number(key);
      if (i < 0 || i >= value.length) throw new Error(`index out of range: ${i}`);
      value = typeof value === 'string' ? BigInt(Buffer.from(value)[i] ?? 0) : value[i];
      continue;
    }
    if (typeof value === 'object') {
      if (typeof key !== 'string') throw new Error(`value has type ${goTypeName(key)}; should be string`);
      const record = value as Record<string, unknown>;
      value = Object.hasOwn(record, key) ? record[key] : undefined;
      continue;
    }
    throw new Error(`can't index item of type ${goTypeName(value)}`);
  }
  return value;
}

function lengthOf(value: unknown): bigint {
  if (typeof value === 'string') return BigInt(Buffer.byteLength(value));
  if (Array.isArray(value)) return BigInt(value.length);
  if (value !== null && typeof value === 'object') return BigInt(Object.keys(value).length);
  throw new Error(`len of type ${goTypeName(value)}`);
}

/** Sprig's `strslice`: a list's elements as strings, nils dropped. */
function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(toText);
  if (value === undefined || value === null) return [];
  return [toText(value)];
}

function goPrint(args: readonly unknown[], spaces: 'between-non-strings' | 'always'): string {
  let out = '';
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    const prevString = typeof args[i - 1] === 'string';
    if (i > 0 && (spaces === 'always' || (!isString && !prevString))) out += ' ';
    out += toText(arg);
  });
  return out;
}

function truncate(count: bigint, text: string): string {
  const n = Number(count);
  if (n < 0 && text.length + n > 0) return text.slice(text.length + n);
  if (n >= 0 && text.length > n) return text.slice(0, n);
  return text;
}

const s = 'string' as const;

const ENTRIES: ReadonlyArray<readonly [string, TemplateFunction]> = [
  // text/template builtins (`and`/`or` are evaluated lazily by the evaluator)
  ['and', () => undefined],
  ['or', () => undefined],
  ['not', typed({ params: ['any'] }, ([v]) => !isTruthy(v))],
  ['len', typed({ params: ['any'] }, ([v]) => lengthOf(v))],
  ['index', typed({ params: ['any'], variadic: 'any' }, ([item, ...keys]) => indexInto(item, keys))],
  ['print', typed({ params: [], variadic: 'any' }, (args) => goPrint(args, 'between-non-strings'))],
  ['println', typed({ params: [], variadic: 'any' }, (args) => `${goPrint(args, 'always')}\n`)],
  ['printf', typed({ params: [s], variadic: 'any' }, ([format, ...rest]) => sprintf(format as string, rest))],
  ['eq', typed({ params: ['any'], variadic: 'any' }, ([a, ...rest]) => rest.some((b) => equal(a, b)))],
  ['ne', typed({ params: ['any', 'any'] }, ([a, b]) => !equal(a, b))],
  ['lt', typed({ params: ['any', 'any'] }, ([a, b]) => compare('lt', a, b) < 0)],
  ['le', typed({ params: ['any', 'any'] }, ([a, b]) => compare('le', a, b) <= 0)],
  ['gt', typed({ params: ['any', 'any'] }, ([a, b]) => compare('gt', a, b) > 0)],
  ['ge', typed({ params: ['any', 'any'] }, ([a, b]) => compare('ge', a, b) >= 0)],
  // Sprig
  [
    'default',
    typed({ params: ['any'], variadic: 'any' }, ([d, ...given]) => (isTruthy(given[0]) ? given[0] : d)),
  ],
  ['empty', typed({ params: ['any'] }, ([v]) => !isTruthy(v))],
  ['coalesce', typed({ params: [], variadic: 'any' }, (args) => args.find(isTruthy) ?? null)],
  ['ternary', typed({ params: ['any', 'any', 'bool'] }, ([t, f, test]) => (test ? t : f))],
  ['toString', typed({ params: ['any'] }, ([v]) => toText(v))],
  ['list', typed({ params: [], variadic: 'any' }, (args) => [...args])],
  ['lower', typed({ params: [s] }, ([v]) => (v as string).toLowerCase())],
  ['upper', typed({ params: [s] }, ([v]) => (v as string).toUpperCase())],
  [
    'replace',
    typed({ params: [s, s, s] }, ([from, to, src]) =>
      (src as string).replaceAll(from as string, to as string),
    ),
  ],
  ['trunc', typed({ params: ['int', s] }, ([n, v]) => truncate(n as bigint, v as string))],
  ['trim', typed({ params: [s] }, ([v]) => (v as string).trim())],
  ['trimAll', typed({ params: [s, s] }, ([cut, v]) => trimChars(v as string, cut as string))],
  [
    'trimPrefix',
    typed({ params: [s, s] }, ([p, v]) =>
      (v as string).startsWith(p as string) ? (v as string).slice((p as string).length) : v,
    ),
  ],
  [
    'trimSuffix',
    typed({ params: [s, s] }, ([x, v]) =>
      (v as string).endsWith(x as string) && (x as string) !== ''
        ? (v as string).slice(0, -(x as string).length)
        : v,
    ),
  ],
  ['contains', typed({ params: [s, s] }, ([sub, v]) => (v as string).includes(sub as string))],
  ['hasPrefix', typed({ params: [s, s] }, ([p, v]) => (v as string).startsWith(p as string))],
  ['hasSuffix', typed({ params: [s, s] }, ([x, v]) => (v as string).endsWith(x as string))],
  ['splitList', typed({ params: [s, s] }, ([sep, v]) => splitGo(v as string, sep as string))],
  ['join', typed({ params: [s, 'any'] }, ([sep, list]) => stringList(list).join(sep as string))],
  ['quote', typed({ params: [], variadic: 'any' }, (args) => quoteAll(args, '"'))],
  ['squote', typed({ params: [], variadic: 'any' }, (args) => quoteAll(args, "'"))],
  ['b64enc', typed({ params: [s] }, ([v]) => Buffer.from(v as string, 'utf8').toString('base64'))],
  ['b64dec', typed({ params: [s] }, ([v]) => decodeBase64(v as string))],
  [
    'sha256sum',
    typed({ params: [s] }, ([v]) =>
      createHash('sha256')
        .update(v as string)
        .digest('hex'),
    ),
  ],
  ['toJson', typed({ params: ['any'] }, ([v]) => toGoJson(v))],
  ['toYaml', typed({ params: ['any'] }, ([v]) => toYaml(v))],
  ['kebabcase', typed({ params: [s] }, ([v]) => kebabCase(v as string))],
  // Argo CD's additions
  ['normalize', typed({ params: [s] }, ([v]) => sanitizeName(v as string))],
  ['slugify', typed({ params: [], variadic: 'any' }, (args) => slugifyArgs(args))],
];

export const TEMPLATE_FUNCTIONS: FunctionTable = new Map(ENTRIES);

function trimChars(text: string, cut: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && cut.includes(text[start] as string)) start++;
  while (end > start && cut.includes(text[end - 1] as string)) end--;
  return text.slice(start, end);
}

/** Go's `strings.Split`: an empty separator splits into characters. */
function splitGo(text: string, sep: string): string[] {
  return sep === '' ? Array.from(text) : text.split(sep);
}

function quoteAll(args: readonly unknown[], quote: '"' | "'"): string {
  return args
    .filter((a) => a !== null && a !== undefined)
    .map((a) => (quote === '"' ? JSON.stringify(toText(a)) : `'${toText(a)}'`))
    .join(' ');
}

function decodeBase64(text: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    return 'illegal base64 data at input byte 0';
  }
  return Buffer.from(text, 'base64').toString('utf8');
}

function toYaml(value: unknown): string {
  const text = stringify(sortedCopy(value), { lineWidth: 0 });
  return text.replace(/\n$/, '');
}

function slugifyArgs(args: readonly unknown[]): string {
  let maxLength = 50;
  let smart = true;
  let name = '';
  args.forEach((arg, i) => {
    if (i === args.length - 1) name = typeof arg === 'string' ? arg : toText(arg);
    else if (i === 0 && typeof arg === 'bigint') maxLength = Number(arg);
    else if (i === 1 && typeof arg === 'boolean') smart = arg;
    else throw new Error(`bad argument ${toText(arg)}`);
  });
  return slugify(name, maxLength, smart);
}
