/**
 * Queues of the pipeline, behind the Queue port (shared/ports/queue.ts).
 *
 * Two queues carry the work. The intake queue is FIFO with the app as message group: webhooks,
 * the drift scan and manual requests send refresh and sync messages; the worker gets an app's
 * messages in order and never two of one app at once; a refresh of one app at one commit is
 * deduplicated for five minutes. SQS FIFO queues take no per-message delay, so an operation that
 * must wait (a wave rolling out, a hook Job running) sends a continue message to a second,
 * standard queue, the delayed continuation queue, with delaySeconds up to 15 minutes. Both queues
 * redrive a message that keeps failing to a dead-letter queue after maxReceiveCount deliveries.
 *
 * - MemoryQueue keeps these semantics in process (`driftless serve`, tests, benchmarks), with all
 *   time from an injected Clock; its dead-letter queue records why each message arrived.
 * - SqsQueue is the same port over Amazon SQS, the production path.
 * - toBatchItemFailures runs a Lambda SQS batch and answers with a partial batch response.
 * - messages.ts defines the message kinds and their queue envelope (group, deduplication id).
 */
export * from './batch-failures.js';
export * from './memory-queue.js';
export * from './messages.js';
export * from './sqs-limits.js';
export * from './sqs-queue.js';
