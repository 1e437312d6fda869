/**
 * Turns what client-node throws (ApiException with a Status body, or a fetch failure) into the
 * DriftlessError the engine branches on. Retry policy stays with callers; this only says whether a
 * retry could help (429, 5xx, network) and passes the server's Retry-After along.
 */
import { ApiException } from '@kubernetes/client-node';
import { DriftlessError, messageOf } from '../errors/index.js';

/** What the failed call was doing, for the message: `apply Deployment web/api`. */
export interface KubeOperation {
  readonly verb: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

interface StatusBody {
  readonly message?: string;
  readonly reason?: string;
  readonly details?: { readonly causes?: readonly StatusCause[]; readonly retryAfterSeconds?: number };
}

export function describeOperation(op: KubeOperation): string {
  const target = op.namespace ? `${op.namespace}/${op.name ?? ''}` : (op.name ?? '');
  return target === '' ? `${op.verb} ${op.kind}` : `${op.verb} ${op.kind} ${target}`;
}

export function statusCodeOf(e: unknown): number | undefined {
  return e instanceof ApiException ? e.code : undefined;
}

function parseStatus(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : { message: body };
    } catch {
      return { message: body.trim() };
    }
  }
  return typeof body === 'object' && body !== null ? (body as StatusBody) : {};
}

function retryAfterMs(headers: Readonly<Record<string, string>>, status: StatusBody): number | undefined {
  const header = headers['retry-after'];
  const seconds = header !== undefined ? Number(header) : status.details?.retryAfterSeconds;
  return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The chain of causes of a fetch failure, e.g. `fetch failed: connect ECONNREFUSED 127.0.0.1:1`. */
function networkMessage(e: unknown): string {
  const parts: string[] = [];
  let current: unknown = e;
  for (let depth = 0; current !== undefined && depth < 4; depth++) {
    parts.push(messageOf(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(': ');
}

export function kubeApiError(op: KubeOperation, e: unknown): DriftlessError {
  if (e instanceof DriftlessError) return e;
  const where = describeOperation(op);
  if (e instanceof ApiException) {
    const status = parseStatus(e.body);
    const code = e.code;
    const message = status.message ?? `HTTP ${code}`;
    return new DriftlessError('KUBE_API', `${where}: ${message}`, {
      retryable: code === 429 || code >= 500,
      cause: e,
      context: {
        status: code,
        reason: status.reason,
        causes: status.details?.causes ?? [],
        retryAfterMs: retryAfterMs(e.headers, status),
      },
    });
  }
  const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
  // Transport failures arrive as node-fetch's FetchError (client-node 1.x) or undici's
  // TypeError('fetch failed') (2.x), with the socket error inside; anything else thrown before a
  // request left (bad TLS settings, say) will not heal by retrying.
  const transport =
    timedOut ||
    (e instanceof Error && e.name === 'FetchError') ||
    (e instanceof TypeError && e.message === 'fetch failed');
  return new DriftlessError('KUBE_API', `${where}: ${timedOut ? 'request timed out' : networkMessage(e)}`, {
    retryable: transport,
    cause: e,
    context: {
      status: undefined,
      reason: timedOut ? 'Timeout' : transport ? 'NetworkError' : 'ClientError',
      causes: [],
    },
  });
}
