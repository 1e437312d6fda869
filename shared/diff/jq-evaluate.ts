/**
 * Evaluates a parsed jq subset expression, lazily like jq itself (generators), in two modes:
 * values (for conditions inside `select`) and paths (what `del(expr)` removes, which is how Argo CD
 * applies a jqPathExpression). Runtime errors are JqRuntimeError; the ignore-rule layer treats a
 * failed expression as not matching that object, as Argo CD does.
 */
import type { JqCompareOp, JqNode } from './jq-parser.js';
import { type FieldPath, isJsonObject, type JsonValue, jsonEqual } from './json-value.js';

export class JqRuntimeError extends Error {
  override readonly name = 'JqRuntimeError';
}

export interface PathValue {
  readonly path: FieldPath;
  readonly value: JsonValue;
}

export function* evaluatePaths(node: JqNode, input: PathValue): Generator<PathValue> {
  switch (node.type) {
    case 'identity':
      yield input;
      return;
    case 'recurse':
      yield* descendants(input);
      return;
    case 'field':
      for (const target of evaluatePaths(node.target, input)) {
        yield* optionally(node.optional, () => [stepField(target, node.name)]);
      }
      return;
    case 'index':
      for (const target of evaluatePaths(node.target, input)) {
        for (const key of evaluateValues(node.index, input.value)) {
          yield* optionally(node.optional, () => [stepIndex(target, key)]);
        }
      }
      return;
    case 'iterate':
      for (const target of evaluatePaths(node.target, input)) {
        yield* optionally(node.optional, () => stepIterate(target));
      }
      return;
    case 'try':
      yield* tryGenerator(evaluatePaths(node.body, input));
      return;
    case 'pipe':
      for (const left of evaluatePaths(node.left, input)) yield* evaluatePaths(node.right, left);
      return;
    case 'comma':
      yield* evaluatePaths(node.left, input);
      yield* evaluatePaths(node.right, input);
      return;
    case 'call':
      if (node.name === 'select') {
        for (const verdict of evaluateValues(node.args[0]!, input.value)) if (truthy(verdict)) yield input;
        return;
      }
      if (node.name === 'empty') return;
      throw new JqRuntimeError(`Invalid path expression with result of ${node.name}`);
    case 'literal':
    case 'and':
    case 'or':
    case 'compare':
      throw new JqRuntimeError(`Invalid path expression with result of ${node.type}`);
  }
}

export function* evaluateValues(node: JqNode, input: JsonValue): Generator<JsonValue> {
  switch (node.type) {
    case 'literal':
      yield node.value;
      return;
    case 'and':
      for (const left of evaluateValues(node.left, input)) {
        if (!truthy(left)) yield false;
        else for (const right of evaluateValues(node.right, input)) yield truthy(right);
      }
      return;
    case 'or':
      for (const left of evaluateValues(node.left, input)) {
        if (truthy(left)) yield true;
        else for (const right of evaluateValues(node.right, input)) yield truthy(right);
      }
      return;
    case 'compare':
      for (const right of evaluateValues(node.right, input)) {
        for (const left of evaluateValues(node.left, input)) yield compare(node.op, left, right);
      }
      return;
    case 'pipe':
      for (const left of evaluateValues(node.left, input)) yield* evaluateValues(node.right, left);
      return;
    case 'comma':
      yield* evaluateValues(node.left, input);
      yield* evaluateValues(node.right, input);
      return;
    case 'try':
      yield* tryGenerator(evaluateValues(node.body, input));
      return;
    case 'call':
      yield* callFunction(node, input);
      return;
    default:
      for (const pv of evaluatePaths(node, { path: [], value: input })) yield pv.value;
  }
}

function* callFunction(node: Extract<JqNode, { type: 'call' }>, input: JsonValue): Generator<JsonValue> {
  const arg = node.args[0];
  const argValues = (): Generator<JsonValue> => evaluateValues(arg!, input);
  switch (node.name) {
    case 'select':
      for (const verdict of argValues()) if (truthy(verdict)) yield input;
      return;
    case 'not':
      yield !truthy(input);
      return;
    case 'empty':
      return;
    case 'length':
      if (input === null) yield 0;
      else if (typeof input === 'string' || Array.isArray(input)) yield input.length;
      else if (isJsonObject(input)) yield Object.keys(input).length;
      else if (typeof input === 'number') yield Math.abs(input);
      else throw new JqRuntimeError(`${typeName(input)} (${JSON.stringify(input)}) has no length`);
      return;
    case 'type':
      yield typeName(input);
      return;
    case 'tostring':
      yield typeof input === 'string' ? input : JSON.stringify(input);
      return;
    case 'ascii_downcase':
    case 'ascii_upcase':
      if (typeof input !== 'string') throw new JqRuntimeError(`${node.name} input must be a string`);
      yield node.name === 'ascii_downcase' ? input.toLowerCase() : input.toUpperCase();
      return;
    case 'startswith':
    case 'endswith':
      for (const affix of argValues()) {
        if (typeof input !== 'string' || typeof affix !== 'string') {
          throw new JqRuntimeError(`${node.name}() requires string inputs`);
        }
        yield node.name === 'startswith' ? input.startsWith(affix) : input.endsWith(affix);
      }
      return;
    case 'contains':
      for (const part of argValues()) yield contains(input, part);
      return;
    case 'has':
      for (const key of argValues()) {
        if (isJsonObject(input) && typeof key === 'string') yield Object.hasOwn(input, key);
        else if (Array.isArray(input) && typeof key === 'number') yield key >= 0 && key < input.length;
        else throw new JqRuntimeError(`Cannot check whether ${typeName(input)} has a ${typeName(key)} key`);
      }
      return;
    case 'test': {
      const flagsNode = node.args[1];
      const flagSets = flagsNode === undefined ? [null] : [...evaluateValues(flagsNode, input)];
      for (const pattern of argValues()) {
        for (const flags of flagSets) {
          if (typeof input !== 'string' || typeof pattern !== 'string') {
            throw new JqRuntimeError('test() requires a string input and pattern');
          }
          yield regexOf(pattern, flags).test(input);
        }
      }
      return;
    }
    default:
      throw new JqRuntimeError(`${node.name} is not defined`);
  }
}

function regexOf(pattern: string, flags: JsonValue): RegExp {
  let jsFlags = 'u';
  if (typeof flags === 'string') {
    for (const f of flags) {
      if (f === 'i' || f === 's') jsFlags += f;
      else if (f === 'x') pattern = pattern.replace(/\s+|#.*$/gm, '');
      else if (f !== 'g' && f !== 'n' && f !== 'l' && f !== 'p')
        throw new JqRuntimeError(`${f} is not a valid modifier`);
    }
  }
  try {
    return new RegExp(pattern, jsFlags);
  } catch (e) {
    throw new JqRuntimeError(`${pattern} (at offset 0) is not a valid regex: ${String(e)}`);
  }
}

function stepField(target: PathValue, name: string): PathValue {
  if (target.value === null) return { path: [...target.path, name], value: null };
  if (isJsonObject(target.value)) return { path: [...target.path, name], value: target.value[name] ?? null };
  throw new JqRuntimeError(`Cannot index ${typeName(target.value)} with "${name}"`);
}

function stepIndex(target: PathValue, key: JsonValue): PathValue {
  if (typeof key === 'string') return stepField(target, key);
  if (typeof key === 'number') {
    if (target.value === null) return { path: [...target.path, key], value: null };
    if (Array.isArray(target.value)) {
      const i = Math.floor(key);
      const resolved = i < 0 ? target.value.length + i : i;
      if (resolved < 0) throw new JqRuntimeError('Out of bounds negative array index');
      return { path: [...target.path, resolved], value: target.value[resolved] ?? null };
    }
  }
  throw new JqRuntimeError(`Cannot index ${typeName(target.value)} with ${typeName(key)}`);
}

function stepIterate(target: PathValue): PathValue[] {
  const v = target.value;
  if (Array.isArray(v)) return v.map((item, i) => ({ path: [...target.path, i], value: item }));
  if (isJsonObject(v))
    return Object.entries(v).map(([k, item]) => ({ path: [...target.path, k], value: item }));
  throw new JqRuntimeError(
    `Cannot iterate over ${typeName(v)}${v === null ? '' : ` (${JSON.stringify(v)})`}`,
  );
}

function* descendants(input: PathValue): Generator<PathValue> {
  yield input;
  const v = input.value;
  if (Array.isArray(v) || isJsonObject(v)) for (const child of stepIterate(input)) yield* descendants(child);
}

function* optionally(optional: boolean, step: () => PathValue[]): Generator<PathValue> {
  if (!optional) {
    yield* step();
    return;
  }
  let results: PathValue[];
  try {
    results = step();
  } catch (e) {
    if (e instanceof JqRuntimeError) return;
    throw e;
  }
  yield* results;
}

/** jq's `try`: outputs before the first error are kept, the error ends the stream quietly. */
function* tryGenerator<T>(source: Generator<T>): Generator<T> {
  try {
    for (const item of source) yield item;
  } catch (e) {
    if (!(e instanceof JqRuntimeError)) throw e;
  }
}

export function truthy(v: JsonValue): boolean {
  return v !== null && v !== false;
}

function typeName(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

const TYPE_RANK: Readonly<Record<string, number>> = {
  null: 0,
  boolean: 1,
  number: 2,
  string: 3,
  array: 4,
  object: 5,
};

/** jq's total order: null < false < true < numbers < strings < arrays < objects. */
function order(a: JsonValue, b: JsonValue): number {
  const ta = TYPE_RANK[typeName(a)]!;
  const tb = TYPE_RANK[typeName(b)]!;
  if (ta !== tb) return ta - tb;
  if (typeof a === 'boolean' || typeof a === 'number') return Number(a) - Number(b);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = order(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    const byKeys = order(ka, kb);
    if (byKeys !== 0) return byKeys;
    for (const k of ka) {
      const c = order(a[k]!, b[k]!);
      if (c !== 0) return c;
    }
  }
  return 0;
}

function compare(op: JqCompareOp, a: JsonValue, b: JsonValue): boolean {
  switch (op) {
    case '==':
      return jsonEqual(a, b);
    case '!=':
      return !jsonEqual(a, b);
    case '<':
      return order(a, b) < 0;
    case '<=':
      return order(a, b) <= 0;
    case '>':
      return order(a, b) > 0;
    case '>=':
      return order(a, b) >= 0;
  }
}

function contains(a: JsonValue, b: JsonValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
  if (Array.isArray(a) && Array.isArray(b)) return b.every((x) => a.some((y) => contains(y, x)));
  if (isJsonObject(a) && isJsonObject(b)) {
    return Object.entries(b).every(([k, v]) => Object.hasOwn(a, k) && contains(a[k]!, v));
  }
  if (typeName(a) !== typeName(b)) {
    throw new JqRuntimeError(`${typeName(a)} and ${typeName(b)} cannot have their containment checked`);
  }
  return jsonEqual(a, b);
}
