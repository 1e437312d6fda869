import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface PipelineQueuesProps {
  /** The worker's timeout; each queue hides a received message for six of them, as Lambda advises. */
  readonly workerTimeout: Duration;
}

/** Deliveries before a message is moved to its dead-letter queue (the worker stores why). */
export const MAX_RECEIVE_COUNT = 5;

// Long enough to read what went wrong after a weekend; SQS's maximum.
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The two queues of the pipeline and their dead-letter queues. Intake is FIFO with the app as
 * message group, so one app's messages run one at a time and in order; deduplication ids come
 * from the sender (app + commit), not from the content. SQS FIFO queues take no per-message
 * delay, so operations that must wait continue through a standard queue with delays of up to 15
 * minutes. All four are encrypted (SSE-SQS) and refuse requests without TLS.
 */
export class PipelineQueues extends Construct {
  readonly intake: Queue;
  readonly intakeDeadLetter: Queue;
  readonly continuation: Queue;
  readonly continuationDeadLetter: Queue;

  constructor(scope: Construct, id: string, props: PipelineQueuesProps) {
    super(scope, id);
    const visibilityTimeout = Duration.seconds(props.workerTimeout.toSeconds() * 6);
    const common = { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true } as const;

    this.intakeDeadLetter = new Queue(this, 'IntakeDeadLetter', {
      ...common,
      fifo: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    this.intake = new Queue(this, 'Intake', {
      ...common,
      fifo: true,
      contentBasedDeduplication: false,
      visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.intakeDeadLetter, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    this.continuationDeadLetter = new Queue(this, 'ContinuationDeadLetter', {
      ...common,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    this.continuation = new Queue(this, 'Continuation', {
      ...common,
      visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.continuationDeadLetter, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }

  get deadLetterQueues(): readonly Queue[] {
    return [this.intakeDeadLetter, this.continuationDeadLetter];
  }
}
