/**
 * Typed reads of the few fields a health check needs. Argo CD converts the object into the typed
 * Kubernetes struct first, so a field of the wrong type (replicas: "3") fails the check and the
 * resource becomes Unknown. We reproduce that for the fields we read: absent or null means the
 * Go zero value, a wrong type throws. Fields we do not read are not validated.
 */
import { DriftlessError } from '../errors/index.js';

export type FieldPath = readonly (string | number)[];

function pathText(path: FieldPath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A field of the wrong type: the object could not have been converted to its typed struct. */
export class FieldTypeError extends DriftlessError {
  constructor(path: FieldPath, expected: string, value: unknown) {
    super('INVALID_MANIFEST', `${pathText(path)}: expected ${expected}, got ${typeName(value)}`, {
      context: { field: pathText(path) },
    });
  }
}

function wrongType(path: FieldPath, expected: string, value: unknown): FieldTypeError {
  return new FieldTypeError(path, expected, value);
}

/** The value at `path`, or undefined when any step is absent or null. */
export function fieldAt(root: unknown, path: FieldPath): unknown {
  let current: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (current === undefined || current === null) return undefined;
    const step = path[i] as string | number;
    if (typeof step === 'number') {
      if (!Array.isArray(current)) throw wrongType(path.slice(0, i), 'array', current);
      current = current[step];
    } else {
      if (typeof current !== 'object' || Array.isArray(current)) {
        throw wrongType(path.slice(0, i), 'object', current);
      }
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current === null ? undefined : current;
}

export function optionalInt(root: unknown, path: FieldPath): number | undefined {
  const value = fieldAt(root, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(path, 'integer', value);
  return value;
}

export function intField(root: unknown, path: FieldPath): number {
  return optionalInt(root, path) ?? 0;
}

export function stringField(root: unknown, path: FieldPath): string {
  const value = fieldAt(root, path);
  if (value === undefined) return '';
  if (typeof value !== 'string') throw wrongType(path, 'string', value);
  return value;
}

export function boolField(root: unknown, path: FieldPath): boolean {
  const value = fieldAt(root, path);
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw wrongType(path, 'boolean', value);
  return value;
}

export function listField(root: unknown, path: FieldPath): readonly unknown[] {
  const value = fieldAt(root, path);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw wrongType(path, 'array', value);
  return value;
}

/** True when the field is present (not absent, not null): Go's pointer fields. */
export function hasField(root: unknown, path: FieldPath): boolean {
  return fieldAt(root, path) !== undefined;
}

/** Condition entries at `path` with their type, status, reason and message read as strings. */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

export function conditionsAt(root: unknown, path: FieldPath): readonly Condition[] {
  return listField(root, path).map((_, i) => ({
    type: stringField(root, [...path, i, 'type']),
    status: stringField(root, [...path, i, 'status']),
    reason: stringField(root, [...path, i, 'reason']),
    message: stringField(root, [...path, i, 'message']),
  }));
}
