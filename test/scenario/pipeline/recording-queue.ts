/**
 * A queue that keeps what was sent to it, over a real queue that does the queueing: a scenario can
 * then count the messages the pipeline scheduled (a delayed one included) without receiving them.
 */
import type {
  NackOptions,
  OutgoingMessage,
  Queue,
  QueueDepth,
  ReceivedMessage,
  ReceiveRequest,
} from '../../../shared/ports/queue.js';
import { type PipelineMessage, parsePipelineMessage } from '../../../shared/queue/index.js';

export interface SentMessage {
  readonly message: PipelineMessage;
  readonly delaySeconds?: number;
}

export class RecordingQueue implements Queue {
  readonly #sent: SentMessage[] = [];

  constructor(private readonly inner: Queue) {}

  get name(): string {
    return this.inner.name;
  }

  /** Everything sent so far, in send order. */
  get sent(): readonly SentMessage[] {
    return this.#sent;
  }

  async send(messages: readonly OutgoingMessage[]): Promise<void> {
    await this.inner.send(messages);
    // Recorded only once the queue took them, so a refused batch is not counted.
    for (const m of messages) {
      this.#sent.push({
        message: parsePipelineMessage(m.body),
        ...(m.delaySeconds === undefined ? {} : { delaySeconds: m.delaySeconds }),
      });
    }
  }

  receive(request: ReceiveRequest): Promise<readonly ReceivedMessage[]> {
    return this.inner.receive(request);
  }

  ack(receiptHandle: string): Promise<void> {
    return this.inner.ack(receiptHandle);
  }

  nack(receiptHandle: string, options?: NackOptions): Promise<void> {
    return this.inner.nack(receiptHandle, options);
  }

  depth(): Promise<QueueDepth> {
    return this.inner.depth();
  }
}
