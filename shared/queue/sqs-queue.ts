import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  type QueueAttributeName,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  SQSClient,
  type SQSClientConfig,
} from '@aws-sdk/client-sqs';
import { DriftlessError, messageOf } from '../errors/index.js';
import type {
  NackOptions,
  OutgoingMessage,
  Queue,
  QueueDepth,
  ReceivedMessage,
  ReceiveRequest,
} from '../ports/queue.js';
import { GROUP_ATTRIBUTE } from './batch-failures.js';
import { checkNack, checkOutgoing, checkReceive, SQS_LIMITS } from './sqs-limits.js';

/** The one method of SQSClient the adapter uses; tests pass a double of it. */
export type SqsSender = Pick<SQSClient, 'send'>;

export interface SqsQueueOptions {
  readonly client: SqsSender;
  readonly queueUrl: string;
  /** Defaults to whether the queue name ends in `.fifo`, as SQS requires of FIFO queues. */
  readonly fifo?: boolean;
}

/**
 * An SQS client for the current environment. The SDK reads AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_SQS itself; when either is set the queue URL's host must not replace that
 * endpoint (the SDK's default), so a LocalStack or other emulator set by the user stays in use.
 */
export function createSqsClient(config: SQSClientConfig = {}): SQSClient {
  const endpointFromEnvironment =
    process.env.AWS_ENDPOINT_URL_SQS !== undefined || process.env.AWS_ENDPOINT_URL !== undefined;
  return new SQSClient({
    ...(endpointFromEnvironment ? { useQueueUrlAsEndpoint: false } : {}),
    ...config,
  });
}

const THROTTLING = new Set([
  'ThrottlingException',
  'RequestThrottled',
  'Throttling',
  'KmsThrottled',
  'ServiceUnavailable',
  'InternalError',
  'InternalFailure',
]);

/** Amazon SQS behind the queue port: the production path. */
export class SqsQueue implements Queue {
  readonly name: string;
  readonly fifo: boolean;
  readonly #client: SqsSender;
  readonly #queueUrl: string;

  constructor(options: SqsQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.name = options.queueUrl.replace(/\/+$/, '').split('/').pop() ?? options.queueUrl;
    this.fifo = options.fifo ?? this.name.endsWith('.fifo');
  }

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    messages.forEach((message, index) => {
      checkOutgoing(this.name, this.fifo, message, index);
    });
    for (const chunk of batches(messages)) {
      const entries = chunk.map((message, index) => this.#entry(message, index));
      const output = await this.#call('SendMessageBatch', () =>
        this.#client.send(new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: entries })),
      );
      const failures = output.Failed ?? [];
      if (failures.length > 0) {
        const described = failures.map((f) => {
          const message = chunk[Number(f.Id)];
          return `group "${message?.groupId}" deduplication "${message?.deduplicationId}": ${f.Code}${f.Message === undefined ? '' : ` ${f.Message}`}`;
        });
        // A sender fault will fail again; anything else is SQS's and worth a retry (FIFO deduplication
        // makes resending the whole batch safe).
        throw new DriftlessError(
          'INTERNAL',
          `SQS SendMessageBatch on queue "${this.name}": ${failures.length} of ${entries.length} messages refused: ${described.join('; ')}`,
          { retryable: failures.every((f) => f.SenderFault !== true), context: { queue: this.name } },
        );
      }
    }
  }

  async receive(request: ReceiveRequest): Promise<readonly ReceivedMessage[]> {
    checkReceive(this.name, request);
    if (aborted(request.signal)) return [];
    const command = new ReceiveMessageCommand({
      QueueUrl: this.#queueUrl,
      MaxNumberOfMessages: request.max,
      WaitTimeSeconds: request.waitSeconds ?? 0,
      ...(request.visibilityTimeoutSeconds === undefined
        ? {}
        : { VisibilityTimeout: request.visibilityTimeoutSeconds }),
      // The deprecated AttributeNames still asked of servers that predate MessageSystemAttributeNames.
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'MessageGroupId'],
      MessageAttributeNames: [GROUP_ATTRIBUTE],
    });
    try {
      const output = await this.#call('ReceiveMessage', () =>
        this.#client.send(command, request.signal === undefined ? {} : { abortSignal: request.signal }),
      );
      return (output.Messages ?? []).map((m) => this.#received(m));
    } catch (e) {
      // Shutdown: an aborted long poll has simply received nothing.
      if (aborted(request.signal)) return [];
      throw e;
    }
  }

  async ack(receiptHandle: string): Promise<void> {
    await this.#call('DeleteMessage', () =>
      this.#client.send(new DeleteMessageCommand({ QueueUrl: this.#queueUrl, ReceiptHandle: receiptHandle })),
    );
  }

  /** SQS keeps no failure reason with a message: the caller records it (on the app) itself. */
  async nack(receiptHandle: string, options: NackOptions = {}): Promise<void> {
    checkNack(this.name, options);
    await this.#call('ChangeMessageVisibility', () =>
      this.#client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.#queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: options.delaySeconds ?? 0,
        }),
      ),
    );
  }

  async depth(): Promise<QueueDepth> {
    const output = await this.#call('GetQueueAttributes', () =>
      this.#client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.#queueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      ),
    );
    const count = (name: QueueAttributeName): number => Number(output.Attributes?.[name] ?? '0') || 0;
    return {
      visible: count('ApproximateNumberOfMessages'),
      inFlight: count('ApproximateNumberOfMessagesNotVisible'),
      delayed: count('ApproximateNumberOfMessagesDelayed'),
    };
  }

  #entry(message: OutgoingMessage, index: number): SendMessageBatchRequestEntry {
    if (this.fifo) {
      return {
        Id: String(index),
        MessageBody: message.body,
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      };
    }
    return {
      Id: String(index),
      MessageBody: message.body,
      MessageAttributes: { [GROUP_ATTRIBUTE]: { DataType: 'String', StringValue: message.groupId } },
      ...((message.delaySeconds ?? 0) > 0 ? { DelaySeconds: message.delaySeconds } : {}),
    };
  }

  #received(message: Message): ReceivedMessage {
    const attributes = message.Attributes ?? {};
    const id = message.MessageId ?? '';
    const sent = Number(attributes.SentTimestamp);
    return {
      id,
      receiptHandle: message.ReceiptHandle ?? '',
      body: message.Body ?? '',
      groupId: attributes.MessageGroupId ?? message.MessageAttributes?.[GROUP_ATTRIBUTE]?.StringValue ?? id,
      attempt: Number(attributes.ApproximateReceiveCount ?? '1') || 1,
      sentAt: new Date(Number.isFinite(sent) ? sent : 0),
    };
  }

  async #call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (e) {
      throw new DriftlessError('INTERNAL', `SQS ${operation} on queue "${this.name}": ${messageOf(e)}`, {
        retryable: isTransient(e),
        cause: e,
        context: { queue: this.name, operation },
      });
    }
  }
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function isTransient(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return true;
  const fault = e as {
    name?: string;
    $fault?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (fault.$retryable !== undefined) return true;
  if (fault.name !== undefined && THROTTLING.has(fault.name)) return true;
  if (fault.$fault === 'server') return true;
  const status = fault.$metadata?.httpStatusCode;
  // No HTTP status at all: the request never got an answer (connection refused, reset, timeout).
  return status === undefined ? fault.$fault === undefined : status >= 500;
}

/** SendMessageBatch takes 10 entries and, like a single message, 256 KiB of bodies at most. */
function batches(messages: readonly OutgoingMessage[]): OutgoingMessage[][] {
  const out: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body, 'utf8');
    if (
      current.length === SQS_LIMITS.maxBatchEntries ||
      (current.length > 0 && bytes + size > SQS_LIMITS.maxBodyBytes)
    ) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
