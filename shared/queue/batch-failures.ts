import type { ReceivedMessage } from '../ports/queue.js';

/** The fields of a Lambda SQS event record this module reads. */
export interface SqsEventRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: {
    readonly ApproximateReceiveCount?: string;
    readonly SentTimestamp?: string;
    readonly MessageGroupId?: string;
  };
  readonly messageAttributes?: Readonly<Record<string, { readonly stringValue?: string }>>;
}

/** Lambda's partial batch response (the event source mapping needs ReportBatchItemFailures). */
export interface BatchItemFailures {
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
}

export interface BatchOptions {
  /** Told of each record that threw, to log it or record the reason on the app. */
  readonly onFailure?: (message: ReceivedMessage, error: unknown) => void | Promise<void>;
}

/**
 * Standard queues carry the group as this message attribute: SQS keeps MessageGroupId for FIFO
 * queues, and older SQS-compatible servers refuse it on standard ones.
 */
export const GROUP_ATTRIBUTE = 'DriftlessGroup';

/** A Lambda record in the shape the queue port delivers, so one handler serves Lambda and `serve`. */
export function fromSqsRecord(record: SqsEventRecord): ReceivedMessage {
  const sent = Number(record.attributes.SentTimestamp);
  return {
    id: record.messageId,
    receiptHandle: record.receiptHandle,
    body: record.body,
    groupId:
      record.attributes.MessageGroupId ??
      record.messageAttributes?.[GROUP_ATTRIBUTE]?.stringValue ??
      record.messageId,
    attempt: Number(record.attributes.ApproximateReceiveCount ?? '1') || 1,
    sentAt: new Date(Number.isFinite(sent) ? sent : 0),
  };
}

/**
 * Runs the handler over a Lambda SQS batch and reports which records must come back. Records of
 * one group run one after another, in batch order; groups run side by side. A record that throws
 * fails itself and, to keep FIFO order, every later record of its group, which is then not run.
 */
export async function toBatchItemFailures(
  records: readonly SqsEventRecord[],
  handler: (message: ReceivedMessage) => Promise<void>,
  options: BatchOptions = {},
): Promise<BatchItemFailures> {
  const messages = records.map(fromSqsRecord);
  const groups = new Map<string, ReceivedMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.groupId);
    if (group === undefined) groups.set(message.groupId, [message]);
    else group.push(message);
  }
  const failed = new Set<string>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      for (const [index, message] of group.entries()) {
        try {
          await handler(message);
        } catch (error) {
          for (const rest of group.slice(index)) failed.add(rest.id);
          try {
            await options.onFailure?.(message, error);
          } catch {
            // The record is already reported failed; a failing observer must not fail the others.
          }
          return;
        }
      }
    }),
  );
  return {
    batchItemFailures: messages.filter((m) => failed.has(m.id)).map((m) => ({ itemIdentifier: m.id })),
  };
}
