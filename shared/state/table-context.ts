/**
 * What every item module of the DynamoDB store shares: the client, the table, the clock, the
 * tallies of items read and written, and the translation of SDK failures into DriftlessErrors.
 * Multi-item writes go through BatchWriteItem in groups of 25; unprocessed items are retried with
 * backoff on the injected clock.
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  type KeysAndAttributes,
  QueryCommand,
  type QueryCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { DriftlessError, messageOf } from '../errors/index.js';
import type { Clock } from '../ports/clock.js';
import { BATCH, KEY } from './schema.js';
import type { StoreCounters } from './state-store.js';

export type Item = Record<string, AttributeValue>;

export class Tally implements StoreCounters {
  itemsRead = 0;
  itemsWritten = 0;
  requests = 0;
}

export interface TableContext {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly tally: Tally;
}

const MAX_BATCH_ATTEMPTS = 10;

export function isConditionFailure(e: unknown): boolean {
  return (e as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/** Wraps any SDK failure except a failed condition (callers turn that into their own conflict). */
export async function call<T>(ctx: TableContext, what: string, send: () => Promise<T>): Promise<T> {
  ctx.tally.requests++;
  try {
    return await send();
  } catch (e) {
    if (isConditionFailure(e)) throw e;
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const throttled = (e as { $retryable?: unknown }).$retryable !== undefined;
    throw new DriftlessError('INTERNAL', `state table "${ctx.tableName}": ${what}: ${messageOf(e)}`, {
      retryable: throttled || status === undefined || status >= 500,
      cause: e,
      context: { table: ctx.tableName, status },
    });
  }
}

export function keyOfItem(pk: string, sk: string): Item {
  return { [KEY.partition]: { S: pk }, [KEY.sort]: { S: sk } };
}

export async function getItem(ctx: TableContext, pk: string, sk: string): Promise<Item | undefined> {
  const out = await call(ctx, `GetItem ${pk} ${sk}`, () =>
    ctx.client.send(
      new GetItemCommand({ TableName: ctx.tableName, Key: keyOfItem(pk, sk), ConsistentRead: true }),
    ),
  );
  if (out.Item) ctx.tally.itemsRead++;
  return out.Item;
}

/** All pages of a query. */
export async function queryAll(
  ctx: TableContext,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await call(ctx, `Query ${describeQuery(input)}`, () =>
      ctx.client.send(new QueryCommand({ ...input, TableName: ctx.tableName, ExclusiveStartKey: start })),
    );
    ctx.tally.itemsRead += out.Items?.length ?? 0;
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

function describeQuery(input: Omit<QueryCommandInput, 'TableName'>): string {
  const values = Object.values(input.ExpressionAttributeValues ?? {})
    .map((v) => v.S)
    .filter((s) => s !== undefined);
  return `${input.IndexName ?? 'table'} ${values.join(' ')}`;
}

/**
 * Puts and deletes, 25 per request and a few requests in flight (latency, not capacity, is what
 * bounds a large set), retrying unprocessed items with exponential backoff.
 */
export async function batchWrite(ctx: TableContext, requests: readonly WriteRequest[]): Promise<void> {
  const groups: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH.write) groups.push(requests.slice(i, i + BATCH.write));
  let next = 0;
  const lane = async () => {
    while (next < groups.length) {
      const group = groups[next++];
      if (group) await writeGroup(ctx, group);
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH.writeConcurrency, groups.length) }, lane));
}

async function writeGroup(ctx: TableContext, group: WriteRequest[]): Promise<void> {
  let pending = group;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_BATCH_ATTEMPTS) {
      throw new DriftlessError(
        'INTERNAL',
        `state table "${ctx.tableName}": BatchWriteItem left ${pending.length} items unprocessed after ${attempt} attempts`,
        { retryable: true, context: { table: ctx.tableName } },
      );
    }
    if (attempt > 0) await ctx.clock.sleep(backoffMs(attempt));
    const batch = pending;
    const out = await call(ctx, `BatchWriteItem of ${batch.length}`, () =>
      ctx.client.send(new BatchWriteItemCommand({ RequestItems: { [ctx.tableName]: batch } })),
    );
    const unprocessed = out.UnprocessedItems?.[ctx.tableName] ?? [];
    ctx.tally.itemsWritten += batch.length - unprocessed.length;
    pending = unprocessed;
  }
}

/** Consistent reads of many keys, 100 per request, unprocessed keys retried. Order not kept. */
export async function batchGet(ctx: TableContext, keys: readonly Item[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < keys.length; i += BATCH.get) {
    let pending: KeysAndAttributes | undefined = { Keys: keys.slice(i, i + BATCH.get), ConsistentRead: true };
    for (let attempt = 0; pending?.Keys && pending.Keys.length > 0; attempt++) {
      if (attempt >= MAX_BATCH_ATTEMPTS) {
        throw new DriftlessError(
          'INTERNAL',
          `state table "${ctx.tableName}": BatchGetItem left ${pending.Keys.length} keys unprocessed`,
          { retryable: true, context: { table: ctx.tableName } },
        );
      }
      if (attempt > 0) await ctx.clock.sleep(backoffMs(attempt));
      const request: KeysAndAttributes = pending;
      const out = await call(ctx, `BatchGetItem of ${request.Keys?.length ?? 0}`, () =>
        ctx.client.send(new BatchGetItemCommand({ RequestItems: { [ctx.tableName]: request } })),
      );
      const items = out.Responses?.[ctx.tableName] ?? [];
      ctx.tally.itemsRead += items.length;
      found.push(...items);
      pending = out.UnprocessedKeys?.[ctx.tableName];
    }
  }
  return found;
}

function backoffMs(attempt: number): number {
  return Math.min(2_000, 25 * 2 ** attempt);
}

export function putRequest(item: Item): WriteRequest {
  return { PutRequest: { Item: item } };
}

export function deleteRequest(pk: string, sk: string): WriteRequest {
  return { DeleteRequest: { Key: keyOfItem(pk, sk) } };
}

/** Attribute readers that fail loudly on a malformed item instead of returning garbage. */
export function readString(item: Item, name: string): string | undefined {
  return item[name]?.S;
}

export function requireString(item: Item, name: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw malformed(item, name);
  return value;
}

export function readNumber(item: Item, name: string): number | undefined {
  const value = item[name]?.N;
  return value === undefined ? undefined : Number(value);
}

export function requireNumber(item: Item, name: string): number {
  const value = readNumber(item, name);
  if (value === undefined) throw malformed(item, name);
  return value;
}

export function requireBinary(item: Item, name: string): Uint8Array {
  const value = item[name]?.B;
  if (value === undefined) throw malformed(item, name);
  return value;
}

function malformed(item: Item, name: string): DriftlessError {
  const where = `${item[KEY.partition]?.S ?? '?'} ${item[KEY.sort]?.S ?? '?'}`;
  return new DriftlessError(
    'INTERNAL',
    `state item ${where}: attribute "${name}" missing or of the wrong type`,
    {
      context: { item: where, attribute: name },
    },
  );
}
