/**
 * Turns what isomorphic-git and the network throw into DriftlessErrors: 401/403 → GIT_AUTH
 * (saying whether credentials were sent, never what they were), 404 → GIT_NOT_FOUND, 5xx and
 * socket failures → GIT_TRANSPORT (retryable). Messages name the sanitised repository URL.
 */
import { DriftlessError, isDriftlessError, messageOf } from '../errors/index.js';

export interface RemoteFailureContext {
  /** Sanitised repository URL. */
  readonly url: string;
  /** What was being done, e.g. `listing refs` or `fetching 1a2b3c`. */
  readonly operation: string;
  /** Name of the secret whose credentials were sent, if any. */
  readonly credentialName?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

export function toRemoteError(e: unknown, context: RemoteFailureContext): DriftlessError {
  if (isDriftlessError(e)) return e;
  const where = `repository ${context.url}`;
  const details = { url: context.url, operation: context.operation };
  const status = httpStatusOf(e);
  if (status === 401 || status === 403) {
    const sent = context.credentialName
      ? `credentials from secret "${context.credentialName}" were refused`
      : 'no credentials were sent (no repository or repo-creds secret matches this URL)';
    return new DriftlessError('GIT_AUTH', `${where}: ${context.operation}: HTTP ${status}: ${sent}`, {
      context: { ...details, status, credentialsSent: context.credentialName !== undefined },
    });
  }
  if (status === 404) {
    return new DriftlessError(
      'GIT_NOT_FOUND',
      `${where}: ${context.operation}: repository not found (HTTP 404)`,
      {
        context: { ...details, status },
      },
    );
  }
  if (status !== undefined) {
    return new DriftlessError('GIT_TRANSPORT', `${where}: ${context.operation}: HTTP ${status}`, {
      retryable: status >= 500 || status === 429 || status === 408,
      context: { ...details, status },
    });
  }
  const code = (e as { code?: unknown } | undefined)?.code;
  const causeCode = (e as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  const network = [code, causeCode].find((c): c is string => typeof c === 'string' && NETWORK_CODES.has(c));
  return new DriftlessError(
    'GIT_TRANSPORT',
    `${where}: ${context.operation}: ${network ?? stripUserInfo(messageOf(e))}`,
    { retryable: true, cause: e, context: { ...details, ...(network ? { errno: network } : {}) } },
  );
}

function httpStatusOf(e: unknown): number | undefined {
  const err = e as { code?: unknown; data?: { statusCode?: unknown } } | undefined;
  if (err?.code === 'HttpError' && typeof err.data?.statusCode === 'number') return err.data.statusCode;
  return undefined;
}

/** Foreign messages may echo a URL with credentials in it. */
function stripUserInfo(message: string): string {
  return message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1');
}
