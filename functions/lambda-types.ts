/** The parts of Lambda's event and context shapes the handlers read (no @types/aws-lambda needed). */
import type { SqsEventRecord } from '../shared/queue/index.js';

export interface LambdaContext {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis(): number;
}

/** API Gateway HTTP API, payload format 2.0. */
export interface HttpApiEvent {
  readonly rawPath: string;
  readonly rawQueryString?: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext: {
    readonly http: { readonly method: string; readonly sourceIp?: string };
    readonly requestId?: string;
    readonly authorizer?: { readonly iam?: { readonly userArn?: string } };
  };
}

export interface HttpApiResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface SqsEvent {
  readonly Records: readonly (SqsEventRecord & { readonly eventSourceARN?: string })[];
}

/** EventBridge Scheduler or a schedule rule; the handler reads nothing from it. */
export type ScheduledEvent = Readonly<Record<string, unknown>>;

export function jsonResult(statusCode: number, body: unknown): HttpApiResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The raw request bytes: signatures are checked on exactly what the provider sent. */
export function rawBodyOf(event: HttpApiEvent): Uint8Array {
  if (event.body === undefined) return new Uint8Array();
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

export function lowerCaseHeaders(headers: HttpApiEvent['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/** The HTTP request the engine's routers take, from an API Gateway HTTP API event. */
export function httpRequestOf(event: HttpApiEvent, now: Date) {
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    headers: lowerCaseHeaders(event.headers),
    rawBody: rawBodyOf(event),
    now,
  };
}
