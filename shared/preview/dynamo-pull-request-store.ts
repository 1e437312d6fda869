/**
 * The PullRequestStore in the state table, beside the Applications: one item per pull request,
 * partition `PULLS#<provider>:<repository>`, sort `PULL#<number>`. A closed one stays as a
 * tombstone (with the table's TTL attribute) so a late, older event cannot reopen it. Writes are
 * conditional on the time of the event they record, so concurrent webhook invocations keep the
 * newest.
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { PullRequest, PullRequestRepository } from '../appset/index.js';
import { DriftlessError, messageOf } from '../errors/index.js';
import { DEFAULT_TABLE_NAME, KEY, TTL_ATTRIBUTE } from '../state/index.js';
import {
  type ClosePullRequestOptions,
  emptyPull,
  type PullRequestStore,
  type RecordedPullRequest,
  type RecordPullRequestOptions,
  repositoryKey,
} from './pull-request-store.js';

export interface DynamoPullRequestStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName?: string;
  /** How long a closed pull request's tombstone is kept; default 30 days. */
  readonly tombstoneSeconds?: number;
}

const PARTITION_PREFIX = 'PULLS#';
const SORT_PREFIX = 'PULL#';

export class DynamoPullRequestStore implements PullRequestStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #tombstoneSeconds: number;

  constructor(options: DynamoPullRequestStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName ?? DEFAULT_TABLE_NAME;
    this.#tombstoneSeconds = options.tombstoneSeconds ?? 30 * 24 * 3600;
  }

  async record(options: RecordPullRequestOptions): Promise<'recorded' | 'stale'> {
    const written = await this.#put(
      options.repository,
      { ...options.pull, updatedAt: options.at.toISOString() },
      true,
    );
    return written ? 'recorded' : 'stale';
  }

  async close(options: ClosePullRequestOptions): Promise<'closed' | 'stale'> {
    const pull: RecordedPullRequest = { ...emptyPull(options.number), updatedAt: options.at.toISOString() };
    return (await this.#put(options.repository, pull, false)) ? 'closed' : 'stale';
  }

  async listOpen(repository: PullRequestRepository): Promise<readonly PullRequest[]> {
    return (await this.listRecorded(repository)).map(({ updatedAt: _u, ...pull }) => pull);
  }

  async listRecorded(repository: PullRequestRepository): Promise<readonly RecordedPullRequest[]> {
    const pulls: RecordedPullRequest[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.#call('list pull requests', () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': KEY.partition },
            ExpressionAttributeValues: { ':pk': { S: partitionOf(repository) } },
            ConsistentRead: true,
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        if (item.open?.BOOL !== true || item.body?.S === undefined) continue;
        pulls.push(JSON.parse(item.body.S) as RecordedPullRequest);
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return pulls.sort((a, b) => a.number - b.number);
  }

  async #put(repository: PullRequestRepository, pull: RecordedPullRequest, open: boolean): Promise<boolean> {
    const at = Date.parse(pull.updatedAt);
    const item: Record<string, AttributeValue> = {
      [KEY.partition]: { S: partitionOf(repository) },
      [KEY.sort]: { S: `${SORT_PREFIX}${String(pull.number).padStart(10, '0')}` },
      open: { BOOL: open },
      updatedAtMs: { N: String(at) },
      body: { S: JSON.stringify(pull) },
      ...(open ? {} : { [TTL_ATTRIBUTE]: { N: String(Math.floor(at / 1000) + this.#tombstoneSeconds) } }),
    };
    try {
      await this.#call('record a pull request', () =>
        this.#client.send(
          new PutItemCommand({
            TableName: this.#table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#pk) OR updatedAtMs <= :at',
            ExpressionAttributeNames: { '#pk': KEY.partition },
            ExpressionAttributeValues: { ':at': { N: String(at) } },
          }),
        ),
      );
      return true;
    } catch (e) {
      if ((e as { name?: unknown }).name === 'ConditionalCheckFailedException') return false;
      throw e;
    }
  }

  async #call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if ((e as { name?: unknown }).name === 'ConditionalCheckFailedException') throw e;
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new DriftlessError('UNAVAILABLE', `state table "${this.#table}": ${what}: ${messageOf(e)}`, {
        retryable: status === undefined || status >= 500 || status === 429,
        cause: e,
        context: { table: this.#table },
      });
    }
  }
}

function partitionOf(repository: PullRequestRepository): string {
  return `${PARTITION_PREFIX}${repositoryKey(repository)}`;
}
