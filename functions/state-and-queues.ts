/**
 * The state table and the two queues, the adapters every function uses. SDK clients are created
 * here but connect on their first request, so building them costs no network.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../shared/ports/clock.js';
import type { Queue } from '../shared/ports/queue.js';
// Direct module paths: the preview index also brings the model and yaml into the light bundles.
import { DynamoPullRequestStore } from '../shared/preview/dynamo-pull-request-store.js';
import type { PullRequestStore } from '../shared/preview/pull-request-store.js';
import { createSqsClient, SqsQueue } from '../shared/queue/index.js';
import { DynamoStateStore, type StateStore } from '../shared/state/index.js';
import { ENV, type Environment, requiredSetting } from './environment.js';

export interface StateAndQueues {
  readonly state: StateStore;
  /** FIFO, group = app: refresh and sync messages. */
  readonly intake: Queue;
  /** Delayed continue messages of running operations. */
  readonly continuation: Queue;
  /**
   * Open pull requests as webhooks announced them, in the state table: the webhook records them
   * and the worker's pull request generators read them, in different containers.
   */
  readonly pullRequests: PullRequestStore;
}

export function stateAndQueues(options: {
  readonly env: Environment;
  readonly clock: Clock;
}): StateAndQueues {
  const { env, clock } = options;
  const sqs = createSqsClient();
  const dynamo = new DynamoDBClient({});
  const tableName = requiredSetting(env, ENV.tableName);
  return {
    state: new DynamoStateStore({ client: dynamo, tableName, clock }),
    pullRequests: new DynamoPullRequestStore({ client: dynamo, tableName }),
    intake: new SqsQueue({ client: sqs, queueUrl: requiredSetting(env, ENV.intakeQueueUrl) }),
    continuation: new SqsQueue({ client: sqs, queueUrl: requiredSetting(env, ENV.continuationQueueUrl) }),
  };
}
