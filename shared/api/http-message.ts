/**
 * One HTTP request and its answer, free of any server: API Gateway events and node:http requests
 * are both turned into an ApiRequest, and an ApiResponse back into what each one sends.
 */
export interface ApiRequest {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  /** The raw query string, without the leading `?`. */
  readonly query: string;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The exact bytes sent: webhook signatures cover them. */
  readonly rawBody: Uint8Array;
  /** Who the caller is, where the front door authenticated one (IAM on API Gateway). */
  readonly user?: string;
  readonly now: Date;
}

export interface ApiResponse {
  readonly status: number;
  /** Sent as JSON. */
  readonly body: unknown;
}

export function jsonAnswer(status: number, body: unknown): ApiResponse {
  return { status, body };
}
