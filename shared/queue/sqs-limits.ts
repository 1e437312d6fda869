import { DriftlessError } from '../errors/index.js';
import type { NackOptions, OutgoingMessage, ReceiveRequest } from '../ports/queue.js';

/**
 * The limits Amazon SQS enforces, checked before a request leaves the process so the in-process
 * queue refuses exactly what production would refuse.
 */
export const SQS_LIMITS = {
  /** The historical 256 KiB; SQS now takes more, but every SQS-compatible server takes this. */
  maxBodyBytes: 256 * 1024,
  maxBatchEntries: 10,
  maxDelaySeconds: 900,
  maxWaitSeconds: 20,
  maxVisibilityTimeoutSeconds: 43_200,
  maxReceive: 10,
  /** FIFO deduplication interval, fixed by SQS. */
  deduplicationWindowSeconds: 300,
  defaultVisibilityTimeoutSeconds: 30,
} as const;

// Group and deduplication ids: 1-128 of alphanumerics and punctuation (printable ASCII, no space).
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
// Message bodies: the XML character ranges SQS accepts (lone surrogates fall outside them).
const BODY_FORBIDDEN = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function invalid(queue: string, message: string, context: Record<string, unknown> = {}): DriftlessError {
  return new DriftlessError('INTERNAL', `queue "${queue}": ${message}`, { context: { queue, ...context } });
}

function checkSeconds(queue: string, field: string, value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw invalid(queue, `${field} must be an integer from 0 to ${max}, got ${value}`);
  }
}

export function checkOutgoing(queue: string, fifo: boolean, message: OutgoingMessage, index: number): void {
  const at = `message ${index}`;
  if (typeof message.body !== 'string' || message.body.length === 0) {
    throw invalid(queue, `${at}: body must be a non-empty string`);
  }
  const bytes = Buffer.byteLength(message.body, 'utf8');
  if (bytes > SQS_LIMITS.maxBodyBytes) {
    throw new DriftlessError(
      'LIMIT_EXCEEDED',
      `queue "${queue}": ${at}: body of ${bytes} bytes exceeds ${SQS_LIMITS.maxBodyBytes}`,
      { context: { queue, bytes } },
    );
  }
  if (BODY_FORBIDDEN.test(message.body)) {
    throw invalid(queue, `${at}: body contains characters SQS does not accept`);
  }
  if (!ID_PATTERN.test(message.groupId)) {
    throw invalid(queue, `${at}: groupId must be 1-128 printable ASCII characters, got "${message.groupId}"`);
  }
  // Standard queues never see the deduplication id (SqsQueue leaves it out).
  if (fifo && !ID_PATTERN.test(message.deduplicationId)) {
    throw invalid(
      queue,
      `${at}: deduplicationId must be 1-128 printable ASCII characters, got "${message.deduplicationId}"`,
    );
  }
  checkSeconds(queue, `${at}: delaySeconds`, message.delaySeconds, SQS_LIMITS.maxDelaySeconds);
  if (fifo && (message.delaySeconds ?? 0) > 0) {
    throw invalid(
      queue,
      `${at}: a FIFO queue takes no per-message delay (SQS allows it only per queue); send delayed messages to the standard continuation queue`,
      { groupId: message.groupId },
    );
  }
}

export function checkReceive(queue: string, request: ReceiveRequest): void {
  if (!Number.isInteger(request.max) || request.max < 1 || request.max > SQS_LIMITS.maxReceive) {
    throw invalid(
      queue,
      `receive max must be an integer from 1 to ${SQS_LIMITS.maxReceive}, got ${request.max}`,
    );
  }
  checkSeconds(queue, 'receive waitSeconds', request.waitSeconds, SQS_LIMITS.maxWaitSeconds);
  checkSeconds(
    queue,
    'receive visibilityTimeoutSeconds',
    request.visibilityTimeoutSeconds,
    SQS_LIMITS.maxVisibilityTimeoutSeconds,
  );
}

export function checkNack(queue: string, options: NackOptions): void {
  checkSeconds(queue, 'nack delaySeconds', options.delaySeconds, SQS_LIMITS.maxVisibilityTimeoutSeconds);
}
