/**
 * Typed reads from a decoded JSON payload. A field of the wrong type is a bad request, reported
 * with the payload it came from and the field's dotted path (`github push payload: repository.
 * html_url: must be a string, not number`), so whoever configured the hook can find the fault.
 */
import { DriftlessError } from '../errors/index.js';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Reads fields of one payload; `what` names the payload in every message. */
export class PayloadFields {
  constructor(
    private readonly what: string,
    private readonly root: JsonObject,
  ) {}

  fail(path: string, message: string): never {
    throw new DriftlessError('WEBHOOK_REJECTED', `${this.what}: ${path}: ${message}`, {
      context: { payload: this.what, field: path },
    });
  }

  /** The value at a dotted path; undefined when any step is missing or null. */
  at(path: string): unknown {
    let value: unknown = this.root;
    for (const step of path.split('.')) {
      if (!isObject(value)) return undefined;
      value = value[step];
    }
    return value ?? undefined;
  }

  string(path: string): string {
    const value = this.at(path);
    if (typeof value !== 'string') this.fail(path, `must be a string, not ${describe(value)}`);
    return value;
  }

  optionalString(path: string): string | undefined {
    const value = this.at(path);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(path, `must be a string, not ${describe(value)}`);
    return value;
  }

  number(path: string): number {
    const value = this.at(path);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, `must be a number, not ${describe(value)}`);
    }
    return value;
  }

  optionalNumber(path: string): number | undefined {
    return this.at(path) === undefined ? undefined : this.number(path);
  }

  optionalBoolean(path: string): boolean | undefined {
    const value = this.at(path);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.fail(path, `must be true or false, not ${describe(value)}`);
    return value;
  }

  /** An array of objects; a missing array reads as empty. */
  objects(path: string): JsonObject[] {
    const value = this.at(path);
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(path, `must be an array, not ${describe(value)}`);
    return value.map((item, index) => {
      if (!isObject(item)) this.fail(`${path}[${index}]`, `must be an object, not ${describe(item)}`);
      return item;
    });
  }

  /** An array of strings; a missing array reads as empty. */
  strings(path: string): string[] {
    const value = this.at(path);
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(path, `must be an array, not ${describe(value)}`);
    return value.map((item, index) => {
      if (typeof item !== 'string') this.fail(`${path}[${index}]`, `must be a string, not ${describe(item)}`);
      return item;
    });
  }

  /** Reads a nested object (an array element, say) with paths named from this payload. */
  child(path: string, value: JsonObject): PayloadFields {
    return new PrefixedFields(this.what, value, path);
  }
}

class PrefixedFields extends PayloadFields {
  constructor(
    what: string,
    root: JsonObject,
    private readonly prefix: string,
  ) {
    super(what, root);
  }

  override fail(path: string, message: string): never {
    return super.fail(`${this.prefix}.${path}`, message);
  }
}
