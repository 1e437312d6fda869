/**
 * Every failure Driftless reports is a DriftlessError: a stable `code` callers can branch on,
 * `retryable` to tell transient faults (throttling, 5xx, timeouts) from terminal ones (bad input,
 * policy), and a message that says what failed and where. Per-resource failures during a sync are
 * results, not exceptions; this class is for failures of a whole step.
 */
export type ErrorCode =
  | 'INVALID_MANIFEST' // an Argo CD object or a rendered manifest is malformed
  | 'INVALID_INPUT' // a command-line option, request or configuration value is malformed
  | 'YAML_PARSE' // a file is not valid YAML/JSON
  | 'GIT_AUTH' // credentials missing or refused
  | 'GIT_NOT_FOUND' // repository or revision does not exist
  | 'GIT_TRANSPORT' // network or server failure talking to git
  | 'RENDER_FAILED' // kustomize/helm/directory rendering failed
  | 'LIMIT_EXCEEDED' // a hostile or oversized repository breached a limit
  | 'TOOL_MISSING' // kubectl/helm binary not found
  | 'KUBE_API' // the Kubernetes API answered with an error
  | 'CLUSTER_NOT_FOUND'
  | 'STATE_CONFLICT' // an optimistic write lost a race
  | 'UNAVAILABLE' // a backing service (DynamoDB, SQS, STS) failed or throttled; usually retryable
  | 'NOT_FOUND'
  | 'POLICY_DENIED'
  | 'SYNC_FAILED'
  | 'WEBHOOK_REJECTED'
  | 'INTERNAL';

export interface DriftlessErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
  /** Structured context (file, field, app, revision...) for logs; never secrets. */
  readonly context?: Readonly<Record<string, unknown>>;
}

export class DriftlessError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: DriftlessErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DriftlessError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.context = options.context ?? {};
  }
}

export function isDriftlessError(e: unknown, code?: ErrorCode): e is DriftlessError {
  return e instanceof DriftlessError && (code === undefined || e.code === code);
}

/** The message of anything thrown, for wrapping foreign errors with context. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
