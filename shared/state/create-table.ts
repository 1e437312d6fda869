/**
 * Creates the state table from the schema on any DynamoDB-compatible endpoint (for `driftless
 * serve` and tests; in AWS the CDK stack owns the table). Idempotent: an existing table is kept.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DriftlessError, messageOf } from '../errors/index.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { DEFAULT_TABLE_NAME, TABLE_DEFINITION } from './schema.js';

export interface CreateStateTableOptions {
  readonly client: DynamoDBClient;
  readonly tableName?: string;
  readonly clock?: Clock;
}

export type CreateStateTableOutcome = {
  readonly kind: 'created' | 'existed';
  /** False where the server has no TTL support (dynalite): expired deliveries are then ignored, not deleted. */
  readonly ttl: boolean;
};

export async function createStateTable(options: CreateStateTableOptions): Promise<CreateStateTableOutcome> {
  const { client } = options;
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const clock = options.clock ?? systemClock;
  const def = TABLE_DEFINITION;
  const attributes = new Map<string, 'S' | 'N' | 'B'>([
    [def.partitionKey.name, def.partitionKey.type],
    [def.sortKey.name, def.sortKey.type],
  ]);
  for (const index of def.globalSecondaryIndexes) {
    attributes.set(index.partitionKey.name, index.partitionKey.type);
    attributes.set(index.sortKey.name, index.sortKey.type);
  }
  let kind: CreateStateTableOutcome['kind'] = 'created';
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: def.billing,
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        })),
        KeySchema: [
          { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.projection },
        })),
      }),
    );
  } catch (e) {
    if ((e as { name?: string }).name !== 'ResourceInUseException') {
      throw new DriftlessError('INTERNAL', `create state table "${tableName}": ${messageOf(e)}`, {
        retryable: true,
        cause: e,
        context: { table: tableName },
      });
    }
    kind = 'existed';
  }
  await waitActive(client, tableName, clock);
  let ttl = true;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: def.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (e) {
    const name = (e as { name?: string }).name ?? '';
    // Already enabled (ValidationException) is fine; no TTL API at all (dynalite) is reported.
    if (name === 'UnknownOperationException') ttl = false;
    else if (name !== 'ValidationException') {
      throw new DriftlessError('INTERNAL', `enable TTL on state table "${tableName}": ${messageOf(e)}`, {
        retryable: true,
        cause: e,
        context: { table: tableName },
      });
    }
  }
  return { kind, ttl };
}

async function waitActive(client: DynamoDBClient, tableName: string, clock: Clock): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const table = out.Table;
    const ready =
      table?.TableStatus === 'ACTIVE' &&
      (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (ready) return;
    await clock.sleep(50);
  }
  throw new DriftlessError('INTERNAL', `state table "${tableName}" did not become ACTIVE`, {
    retryable: true,
    context: { table: tableName },
  });
}
