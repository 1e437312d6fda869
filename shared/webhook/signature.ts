/**
 * Authenticating a hook. Every comparison runs in constant time so an attacker cannot learn a
 * secret byte by byte from response times, and lengths are settled before `timingSafeEqual`
 * (which throws on unequal lengths) by comparing fixed-size digests.
 *
 * GitHub: Argo CD (through go-playground/webhooks v6) checks only `X-Hub-Signature-256`, the
 * HMAC-SHA256 of the raw body, optionally prefixed `sha256=`; the SHA-1 `X-Hub-Signature` is not
 * accepted on its own, and neither is it here.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Verdict = { ok: true };
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export interface GitHubSignatureCheck {
  readonly secret: string;
  readonly rawBody: Uint8Array;
  /** The `X-Hub-Signature-256` header as received. */
  readonly header: string | undefined;
  /** The SHA-1 `X-Hub-Signature` header, only to explain a refusal. */
  readonly legacyHeader?: string | undefined;
}

export function verifyGitHubSignature(check: GitHubSignatureCheck): Verdict {
  const { header } = check;
  if (header === undefined || header === '') {
    const legacy = check.legacyHeader ? ' (the SHA-1 X-Hub-Signature header is not accepted)' : '';
    return { ok: false, reason: `missing X-Hub-Signature-256 header${legacy}` };
  }
  const hex = header.startsWith('sha256=') ? header.slice('sha256='.length) : header;
  if (!HEX_SHA256.test(hex)) {
    return { ok: false, reason: 'X-Hub-Signature-256 is not "sha256=" followed by 64 hex digits' };
  }
  const expected = createHmac('sha256', check.secret).update(check.rawBody).digest();
  const presented = Buffer.from(hex, 'hex');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
  }
  return OK;
}

/** `sha256=<hex>` for a body, as GitHub computes it; for tests and for replaying deliveries. */
export function signGitHubBody(secret: string, rawBody: Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export interface TokenCheck {
  readonly expected: string;
  readonly presented: string | undefined;
  /** Names the header in the refusal. */
  readonly header: string;
}

/**
 * Shared-token equality (GitLab's `X-Gitlab-Token`, the refresh bearer token). Both sides are
 * hashed first so the comparison has a fixed length and reveals nothing about the token's length.
 */
export function verifyToken(check: TokenCheck): Verdict {
  if (check.presented === undefined || check.presented === '') {
    return { ok: false, reason: `missing ${check.header}` };
  }
  const expected = createHash('sha256').update(check.expected).digest();
  const presented = createHash('sha256').update(check.presented).digest();
  return timingSafeEqual(presented, expected) ? OK : { ok: false, reason: `${check.header} does not match` };
}

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}
