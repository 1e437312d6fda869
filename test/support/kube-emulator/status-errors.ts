/**
 * Status bodies as kube-apiserver writes them (field order included): every failed request ends
 * as an ApiError thrown by the handlers and serialised by the router.
 */
import { qualifiedResource, type ResourceType } from './resource-registry.js';
import type { JsonObject } from './types.js';

export interface StatusCause {
  readonly reason?: string;
  readonly message: string;
  readonly field?: string;
}

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string | undefined;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: string | undefined, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  body(): JsonObject {
    return failureStatus(this.code, this.reason, this.message, this.details);
  }
}

function cleanDetails(d: StatusDetails): JsonObject | undefined {
  const out: JsonObject = {};
  if (d.name) out.name = d.name;
  if (d.group) out.group = d.group;
  if (d.kind) out.kind = d.kind;
  if (d.uid) out.uid = d.uid;
  if (d.causes && d.causes.length > 0) {
    out.causes = d.causes.map((c) => ({
      ...(c.reason ? { reason: c.reason } : {}),
      message: c.message,
      ...(c.field ? { field: c.field } : {}),
    }));
  }
  if (d.retryAfterSeconds) out.retryAfterSeconds = d.retryAfterSeconds;
  return Object.keys(out).length > 0 ? out : undefined;
}

export function failureStatus(
  code: number,
  reason: string | undefined,
  message: string,
  details?: StatusDetails,
): JsonObject {
  const out: JsonObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message };
  if (reason) out.reason = reason;
  const d = details ? cleanDetails(details) : undefined;
  if (d) out.details = d;
  out.code = code;
  return out;
}

export function deleteSuccess(rt: ResourceType, name: string, uid: string): JsonObject {
  const details: JsonObject = { name };
  if (rt.group) details.group = rt.group;
  details.kind = rt.resource;
  details.uid = uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

type Resourceish = Pick<ResourceType, 'group' | 'resource'>;

export function notFound(rt: Resourceish, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(rt)} "${name}" not found`, {
    name,
    group: rt.group,
    kind: rt.resource,
  });
}

export function namespaceNotFound(namespace: string): ApiError {
  return notFound({ group: '', resource: 'namespaces' }, namespace);
}

export function alreadyExists(rt: Resourceish, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(rt)} "${name}" already exists`, {
    name,
    group: rt.group,
    kind: rt.resource,
  });
}

export function resourceVersionConflict(rt: Resourceish, name: string): ApiError {
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: rt.group, kind: rt.resource },
  );
}

export interface FieldError {
  readonly type: 'Invalid' | 'Required' | 'NotSupported' | 'Duplicate' | 'Forbidden' | 'TooLong';
  readonly field: string;
  /** For Invalid/NotSupported: the offending value, rendered as the server does. */
  readonly value?: unknown;
  readonly detail?: string;
}

const CAUSE_REASON: Record<FieldError['type'], string> = {
  Invalid: 'FieldValueInvalid',
  Required: 'FieldValueRequired',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
};

const TYPE_TEXT: Record<FieldError['type'], string> = {
  Invalid: 'Invalid value',
  Required: 'Required value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
};

function fieldErrorText(e: FieldError): string {
  let text = TYPE_TEXT[e.type];
  if (
    e.value !== undefined &&
    (e.type === 'Invalid' || e.type === 'NotSupported' || e.type === 'Duplicate')
  ) {
    text += `: ${typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value)}`;
  }
  if (e.detail) text += `: ${e.detail}`;
  return text;
}

/** 422 Invalid against the object's Kind (`Deployment.apps "web" is invalid: ...`). */
export function invalid(
  target: { readonly group: string; readonly kind: string },
  name: string,
  errors: readonly FieldError[],
): ApiError {
  const qualified = target.group ? `${target.kind}.${target.group}` : target.kind;
  const parts = errors.map((e) => `${e.field}: ${fieldErrorText(e)}`);
  const joined = parts.length === 1 ? (parts[0] ?? '') : `[${parts.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${qualified} "${name}" is invalid: ${joined}`, {
    name,
    group: target.group,
    kind: target.kind,
    causes: errors.map((e) => ({ reason: CAUSE_REASON[e.type], message: fieldErrorText(e), field: e.field })),
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function internalError(cause: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${cause}`, {
    causes: [{ message: cause }],
  });
}

/** A plain error surfaced by the apiserver as a reason-less 500. */
export function plainError(message: string): ApiError {
  return new ApiError(500, undefined, message);
}

export function methodNotAllowed(rt: Resourceish, action: string): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    `${action} is not supported on resources of kind "${qualifiedResource(rt)}"`,
    {
      group: rt.group,
      kind: rt.resource,
    },
  );
}

export function tooManyRequests(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'TooManyRequests', message, { retryAfterSeconds });
}

export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
  );
}
