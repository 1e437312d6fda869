import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { type Clock, systemClock } from '../../shared/ports/clock.js';
import type { AwsCredentials } from './aws-credentials.js';

/** One HTTP request of the API client: a JSON body is already serialised. */
export interface ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Sends a request; where signing happens, so the client itself knows nothing of AWS. */
export type RequestSender = (request: ApiRequest) => Promise<Response>;

export const plainSender: RequestSender = (request) =>
  fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });

export interface SigV4SenderOptions {
  readonly region: string;
  readonly service: string;
  /** Called once, on the first request: a list that fails on credentials fails before any I/O. */
  readonly credentials: () => Promise<AwsCredentials>;
  readonly clock?: Clock;
  readonly send?: RequestSender;
}

/**
 * Signs each request with SigV4 (Authorization, X-Amz-Date, X-Amz-Content-Sha256 and, for
 * temporary credentials, X-Amz-Security-Token) and hands it to `send`. The Host header is signed
 * as fetch will send it (host and any non-default port). The path is signed as it goes on the
 * wire; the signer escapes it once more, as SigV4 asks of every service but S3.
 */
export function sigv4Sender(options: SigV4SenderOptions): RequestSender {
  const clock = options.clock ?? systemClock;
  const send = options.send ?? plainSender;
  let credentials: Promise<AwsCredentials> | undefined;
  const signer = new SignatureV4({
    service: options.service,
    region: options.region,
    sha256: Sha256,
    credentials: () => {
      credentials ??= options.credentials();
      return credentials;
    },
  });
  return async (request) => {
    const url = new URL(request.url);
    const query: Record<string, string | string[]> = {};
    for (const [key, value] of url.searchParams) {
      const seen = query[key];
      query[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query,
        headers: { ...request.headers, host: url.host },
        ...(request.body === undefined ? {} : { body: request.body }),
      },
      { signingDate: clock.now() },
    );
    // fetch sets Host itself from the URL, to the same value that was signed.
    const { host: _host, ...headers } = signed.headers as Record<string, string>;
    return send({ ...request, headers });
  };
}
