/**
 * Redaction for anything that leaves the process as a log line: values under keys that name a
 * secret, credentials inside URLs, Authorization-style tokens and signed query parameters.
 * It errs on the side of hiding: a redacted harmless value costs little, a leaked token a lot.
 */
export const REDACTED = '[redacted]';

const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|authori[sz]ation|api[-_]?key|private[-_]?key|credential|cookie|signature|session[-_]?id|ssh[-_]?key/i;

// scheme://user:password@host or scheme://token@host
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
// A credential has digits; requiring one keeps prose such as "token refreshed" readable.
const AUTH_SCHEME = /\b(bearer|basic|token)\s+(?=[A-Za-z0-9._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{8,}/gi;
const SECRET_QUERY =
  /([?&](?:access_token|token|password|secret|sig|signature|x-amz-signature|x-amz-security-token|x-amz-credential|private_token)=)[^&#\s"']+/gi;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Hides credentials that appear inside free text (messages, URLs, error strings). */
export function redactText(text: string): string {
  return text
    .replace(URL_USERINFO, `$1${REDACTED}@`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(SECRET_QUERY, `$1${REDACTED}`);
}

const MAX_DEPTH = 8;

/** A JSON-safe copy of a value with every secret replaced; cycles and deep nesting are cut. */
export function redactValue(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return errorFields(value, depth, seen);
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen));
    if (value instanceof Map)
      return walkEntries(
        [...value.entries()].map(([k, v]) => [String(k), v]),
        depth,
        seen,
      );
    if (value instanceof Set) return [...value].map((item) => walk(item, depth + 1, seen));
    return walkEntries(Object.entries(value), depth, seen);
  } finally {
    seen.delete(value);
  }
}

function walkEntries(
  entries: [string, unknown][],
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    // Booleans and absent values say only whether a secret exists, which is worth logging.
    if (isSecretKey(key) && item !== undefined && item !== null && typeof item !== 'boolean') {
      out[key] = REDACTED;
    } else {
      out[key] = walk(item, depth + 1, seen);
    }
  }
  return out;
}

function errorFields(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const extra = error as Error & { code?: unknown; retryable?: unknown; context?: unknown };
  return {
    name: error.name,
    message: redactText(error.message),
    ...(extra.code === undefined ? {} : { code: walk(extra.code, depth + 1, seen) }),
    ...(typeof extra.retryable === 'boolean' ? { retryable: extra.retryable } : {}),
    ...(extra.context === undefined ? {} : { context: walk(extra.context, depth + 1, seen) }),
    ...(error.stack === undefined ? {} : { stack: redactText(error.stack) }),
    ...(error.cause === undefined ? {} : { cause: walk(error.cause, depth + 1, seen) }),
  };
}
