/**
 * A message queue with Amazon SQS semantics: at-least-once delivery, a visibility timeout while a
 * consumer works on a message, explicit ack (delete) or nack (make visible again). On a FIFO queue
 * messages of one group are delivered in order and a group with a message in flight delivers
 * nothing else; a deduplication id seen within five minutes is accepted but not delivered again.
 */
export interface OutgoingMessage {
  /** JSON text; see shared/queue/messages.ts for the pipeline's message kinds. */
  readonly body: string;
  /** FIFO ordering key (the app); carried as a message attribute on standard queues. */
  readonly groupId: string;
  /** Ignored by standard queues. */
  readonly deduplicationId: string;
  /** Standard queues only: SQS FIFO queues reject a per-message delay. */
  readonly delaySeconds?: number;
}

export interface ReceiveRequest {
  /** 1 to 10, as SQS allows. */
  readonly max: number;
  /** Long polling, 0 to 20 seconds: answer as soon as a message is available or the time is up. */
  readonly waitSeconds?: number;
  /** Overrides the queue's visibility timeout for the messages of this receive. */
  readonly visibilityTimeoutSeconds?: number;
  /** Ends a long poll early (shutdown); the receive then answers with what it has, usually nothing. */
  readonly signal?: AbortSignal;
}

export interface ReceivedMessage {
  readonly id: string;
  /** Valid for this delivery only; a later delivery of the same message gets a new one. */
  readonly receiptHandle: string;
  readonly body: string;
  readonly groupId: string;
  /** How many times the message has been delivered, this delivery included (ApproximateReceiveCount). */
  readonly attempt: number;
  readonly sentAt: Date;
}

export interface NackOptions {
  /** When the message becomes visible again; 0 (the default) means at once. */
  readonly delaySeconds?: number;
  /** Why processing failed; kept with the message where the queue can (the in-process dead-letter queue). */
  readonly reason?: string;
}

export interface QueueDepth {
  /** Ready to be received (SQS ApproximateNumberOfMessages). */
  readonly visible: number;
  /** Received and neither acked nor visible again (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  /** Sent with a delay that has not yet passed (ApproximateNumberOfMessagesDelayed). */
  readonly delayed: number;
}

export interface Queue {
  /** For logs and metrics. */
  readonly name: string;
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  receive(request: ReceiveRequest): Promise<readonly ReceivedMessage[]>;
  /** Deletes the message. A stale handle (the message was delivered again since) deletes nothing, as in SQS. */
  ack(receiptHandle: string): Promise<void>;
  /** Makes an in-flight message visible again, now or after a delay. */
  nack(receiptHandle: string, options?: NackOptions): Promise<void>;
  depth(): Promise<QueueDepth>;
}
