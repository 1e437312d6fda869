/**
 * `driftless serve`: the platform of the Lambda functions in one local process. The same Platform
 * (shared/pipeline) and HTTP routes (shared/api) run on embedded parts: dynalite on disk for the
 * table, in-process queues with SQS's FIFO semantics and dead-letter queues, a worker loop and a
 * drift loop instead of event sources and schedules, node:http instead of API Gateway, and the
 * current kubeconfig context or, without one, the Kubernetes API emulator as a sandbox cluster.
 * local-platform.ts composes them; event-lines.ts says what happened. The other side of the HTTP
 * API, for `driftless app`, is cli/app-client.
 */
export * from './event-lines.js';
export * from './local-platform.js';
export * from './target-cluster.js';
export type { HandledMessage } from './worker-loop.js';
