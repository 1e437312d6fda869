import { createHash } from 'node:crypto';
import { DriftlessError, messageOf } from '../errors/index.js';
import type { OutgoingMessage } from '../ports/queue.js';

/**
 * The messages of the pipeline. The intake FIFO queue carries refresh and sync (group = app, so an
 * app's messages are handled one at a time and in order); the standard continuation queue carries
 * continue, delayed until a wave or a hook has had time to progress.
 */
/** `follow-up`: one of the delayed refreshes that watch a rollout after an operation. */
export type RefreshReason = 'webhook' | 'drift-scan' | 'manual' | 'config-reload' | 'follow-up';

export const REFRESH_REASONS: readonly RefreshReason[] = [
  'webhook',
  'drift-scan',
  'manual',
  'config-reload',
  'follow-up',
];

/** Compare the app with git and its cluster; sync if its policy is automated. */
export interface RefreshMessage {
  readonly kind: 'refresh';
  readonly app: string;
  readonly reason: RefreshReason;
  /** The pushed commit, when the trigger knows it. */
  readonly revision?: string;
  /** The webhook delivery id, for tracing a sync back to its push. */
  readonly deliveryId?: string;
  /** ISO 8601; the start of WebhookToSyncLatency. */
  readonly receivedAt: string;
  /** A `follow-up` refresh: the operation whose rollout it watches (only that series continues). */
  readonly operationId?: string;
}

/** Run an operation that was requested explicitly (`driftless app sync`). */
export interface SyncMessage {
  readonly kind: 'sync';
  readonly app: string;
  readonly operationId: string;
  readonly revision: string;
  readonly receivedAt: string;
  /** Who asked, as Argo CD records it in operation.initiatedBy.username. */
  readonly initiatedBy?: string;
  readonly prune?: boolean;
  readonly dryRun?: boolean;
}

/** Take the next step of a running operation. */
export interface ContinueMessage {
  readonly kind: 'continue';
  readonly app: string;
  readonly operationId: string;
  /** The step the operation expects next; a stale step (already taken) is dropped by the worker. */
  readonly step: number;
}

export type PipelineMessage = RefreshMessage | SyncMessage | ContinueMessage;

export interface EncodeOptions {
  /** Only for the standard continuation queue; FIFO queues reject it. */
  readonly delaySeconds?: number;
}

/**
 * The queue envelope of a message: the group is the app; the deduplication id collapses what is
 * truly the same request (a refresh of one app at one commit, from whichever event announced it).
 */
export function encodePipelineMessage(
  message: PipelineMessage,
  options: EncodeOptions = {},
): OutgoingMessage {
  return {
    body: JSON.stringify(message),
    groupId: queueId(message.app),
    deduplicationId: queueId(deduplicationKey(message)),
    ...(options.delaySeconds === undefined ? {} : { delaySeconds: options.delaySeconds }),
  };
}

function deduplicationKey(message: PipelineMessage): string {
  switch (message.kind) {
    case 'refresh':
      if (message.reason === 'webhook' && message.revision !== undefined) {
        return `refresh:${message.app}@${message.revision}`;
      }
      return `refresh:${message.reason}:${message.app}:${message.deliveryId ?? message.receivedAt}`;
    case 'sync':
      return `sync:${message.app}:${message.operationId}`;
    case 'continue':
      return `continue:${message.app}:${message.operationId}:${message.step}`;
  }
}

/** SQS ids allow 128 printable ASCII characters; longer or other text is replaced by its hash. */
function queueId(text: string): string {
  if (/^[\x21-\x7e]{1,128}$/.test(text)) return text;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Reads a message body; the error names the message and the field at fault. */
export function parsePipelineMessage(body: string, messageId = 'unknown'): PipelineMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    throw bad(messageId, `body is not JSON: ${messageOf(e)}`);
  }
  if (!isRecord(value)) throw bad(messageId, 'body must be a JSON object');
  const fields = new FieldReader(value, messageId);
  const kind = fields.string('kind');
  switch (kind) {
    case 'refresh': {
      const reason = fields.string('reason');
      if (!(REFRESH_REASONS as readonly string[]).includes(reason)) {
        throw bad(messageId, `field "reason" must be one of ${REFRESH_REASONS.join(', ')}, got "${reason}"`);
      }
      const revision = fields.optionalString('revision');
      const deliveryId = fields.optionalString('deliveryId');
      const operationId = fields.optionalString('operationId');
      if (reason === 'follow-up' && operationId === undefined) {
        throw bad(messageId, 'field "operationId" is required when "reason" is follow-up');
      }
      return {
        kind,
        app: fields.string('app'),
        reason: reason as RefreshReason,
        receivedAt: fields.timestamp('receivedAt'),
        ...(revision === undefined ? {} : { revision }),
        ...(deliveryId === undefined ? {} : { deliveryId }),
        ...(operationId === undefined ? {} : { operationId }),
      };
    }
    case 'sync': {
      const initiatedBy = fields.optionalString('initiatedBy');
      const prune = fields.optionalBoolean('prune');
      const dryRun = fields.optionalBoolean('dryRun');
      return {
        kind,
        app: fields.string('app'),
        operationId: fields.string('operationId'),
        revision: fields.string('revision'),
        receivedAt: fields.timestamp('receivedAt'),
        ...(initiatedBy === undefined ? {} : { initiatedBy }),
        ...(prune === undefined ? {} : { prune }),
        ...(dryRun === undefined ? {} : { dryRun }),
      };
    }
    case 'continue':
      return {
        kind,
        app: fields.string('app'),
        operationId: fields.string('operationId'),
        step: fields.step('step'),
      };
    default:
      throw bad(messageId, `field "kind" must be one of refresh, sync, continue, got "${kind}"`);
  }
}

function bad(messageId: string, message: string): DriftlessError {
  // A malformed message never gets better by retrying: terminal, so it is acked and recorded.
  return new DriftlessError('INTERNAL', `queue message ${messageId}: ${message}`, {
    retryable: false,
    context: { messageId },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class FieldReader {
  constructor(
    private readonly value: Record<string, unknown>,
    private readonly messageId: string,
  ) {}

  string(field: string): string {
    const v = this.value[field];
    if (typeof v !== 'string' || v.length === 0) {
      throw bad(this.messageId, `field "${field}" must be a non-empty string`);
    }
    return v;
  }

  optionalString(field: string): string | undefined {
    return this.value[field] === undefined ? undefined : this.string(field);
  }

  optionalBoolean(field: string): boolean | undefined {
    const v = this.value[field];
    if (v === undefined || typeof v === 'boolean') return v;
    throw bad(this.messageId, `field "${field}" must be a boolean`);
  }

  timestamp(field: string): string {
    const v = this.string(field);
    if (Number.isNaN(Date.parse(v)))
      throw bad(this.messageId, `field "${field}" must be an ISO 8601 time, got "${v}"`);
    return v;
  }

  step(field: string): number {
    const v = this.value[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw bad(this.messageId, `field "${field}" must be a non-negative integer`);
    }
    return v;
  }
}
