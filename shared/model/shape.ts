/**
 * A small declarative description of the fields Argo CD's CRDs define, and one walker that checks
 * a value against it. The shapes play the role of the CRD's OpenAPI schema: each field a type, an
 * optional enum or format rule, required fields per object. Fields a shape does not list are
 * accepted untouched, as Argo CD preserves them too (`x-kubernetes-preserve-unknown-fields`
 * aside, users rely on newer fields passing through older tools).
 */
import { childPath, type ProblemList } from './problems.js';

export type Shape =
  | {
      readonly type: 'string';
      readonly oneOf?: readonly string[];
      readonly rule?: (value: string) => string | undefined;
    }
  | { readonly type: 'boolean' }
  | { readonly type: 'integer' }
  | { readonly type: 'number' }
  /** Kubernetes IntOrString: replicas counts, ports. */
  | { readonly type: 'int-or-string' }
  | { readonly type: 'array'; readonly items: Shape }
  | {
      readonly type: 'object';
      readonly fields: Readonly<Record<string, Shape>>;
      readonly required?: readonly string[];
    }
  /** A map whose keys are free (labels, annotations) and values share one shape. */
  | { readonly type: 'map'; readonly values: Shape }
  | { readonly type: 'any' };

export const str: Shape = { type: 'string' };
export const bool: Shape = { type: 'boolean' };
export const int: Shape = { type: 'integer' };
export const num: Shape = { type: 'number' };
export const any: Shape = { type: 'any' };
export const strings: Shape = { type: 'array', items: str };
export const stringMap: Shape = { type: 'map', values: str };
export const anyMap: Shape = { type: 'map', values: any };

export function obj(fields: Readonly<Record<string, Shape>>, required?: readonly string[]): Shape {
  return required ? { type: 'object', fields, required } : { type: 'object', fields };
}

export function arrayOf(items: Shape): Shape {
  return { type: 'array', items };
}

export function oneOf(...values: string[]): Shape {
  return { type: 'string', oneOf: values };
}

/** Describes a value for messages: `a string`, `an array`, `null`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reports every mismatch between `value` and `shape` under `path`. `null` counts as absent, as
 * Kubernetes drops null fields of typed objects when it decodes them.
 */
export function checkShape(value: unknown, shape: Shape, path: string, problems: ProblemList): void {
  if (value === null || value === undefined) return;
  const wrong = (expected: string): void => {
    problems.add(path, `must be ${expected}, not ${describe(value)}`);
  };
  switch (shape.type) {
    case 'any':
      return;
    case 'string': {
      if (typeof value !== 'string') {
        wrong('a string');
        return;
      }
      if (shape.oneOf && !shape.oneOf.includes(value)) {
        problems.add(path, `must be one of ${shape.oneOf.join(', ')}, not "${value}"`);
        return;
      }
      const issue = shape.rule?.(value);
      if (issue) problems.add(path, issue);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') wrong('a boolean');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) wrong('an integer');
      return;
    case 'number':
      if (typeof value !== 'number') wrong('a number');
      return;
    case 'int-or-string':
      if (typeof value === 'string') return;
      if (typeof value !== 'number' || !Number.isInteger(value)) wrong('an integer or a string');
      return;
    case 'array':
      if (!Array.isArray(value)) {
        wrong('an array');
        return;
      }
      value.forEach((item, i) => {
        if (item === null && shape.items.type !== 'any') problems.add(childPath(path, i), 'must not be null');
        else checkShape(item, shape.items, childPath(path, i), problems);
      });
      return;
    case 'map':
      if (!isRecord(value)) {
        wrong('an object');
        return;
      }
      for (const [key, item] of Object.entries(value))
        checkShape(item, shape.values, childPath(path, key), problems);
      return;
    case 'object':
      if (!isRecord(value)) {
        wrong('an object');
        return;
      }
      for (const field of shape.required ?? []) {
        const present = value[field];
        if (present === undefined || present === null || present === '') {
          problems.add(childPath(path, field), 'is required');
        }
      }
      for (const [field, fieldShape] of Object.entries(shape.fields)) {
        checkShape(value[field], fieldShape, childPath(path, field), problems);
      }
      return;
  }
}
