/**
 * Optimistic concurrency for single items. A versioned item is written only while it is new or
 * still at the version its writer read; a failed condition becomes the writer's own
 * STATE_CONFLICT, because the SDK's ConditionalCheckFailedException names neither the item nor
 * the reason.
 */
import { PutItemCommand, type PutItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { DriftlessError } from '../errors/index.js';
import { KEY, VERSION_ATTRIBUTE } from './schema.js';
import { call, type Item, isConditionFailure, type TableContext } from './table-context.js';

export type VersionCondition = Pick<
  PutItemCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
>;

/**
 * The item must not exist yet (no expected version) or must be at the expected version; a missing
 * version attribute compares unequal, so the second form also fails on a deleted item.
 */
export function versionCondition(expectedVersion: number | undefined): VersionCondition {
  return expectedVersion === undefined
    ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': KEY.partition } }
    : {
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#v': VERSION_ATTRIBUTE },
        ExpressionAttributeValues: { ':v': { N: String(expectedVersion) } },
      };
}

export interface ConditionalWriteOptions<T> {
  /** Names the request in errors. */
  readonly what: string;
  readonly send: () => Promise<T>;
  readonly conflict: () => DriftlessError;
}

/** Sends one conditional write and counts it; a failed condition throws the caller's conflict. */
export async function conditionalWrite<T>(
  ctx: TableContext,
  options: ConditionalWriteOptions<T>,
): Promise<T> {
  let out: T;
  try {
    out = await call(ctx, options.what, options.send);
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
    throw options.conflict();
  }
  ctx.tally.itemsWritten++;
  return out;
}

export interface VersionedPutOptions {
  readonly item: Item;
  /** The version the writer read; undefined when it found no item. */
  readonly expectedVersion: number | undefined;
  readonly conflict: () => DriftlessError;
  /** Return the item this put replaced (costs response bytes, so only when wanted). */
  readonly returnOld?: boolean;
}

/** Puts a whole item under the version condition; returns the replaced item when asked for it. */
export async function versionedPut(
  ctx: TableContext,
  options: VersionedPutOptions,
): Promise<Item | undefined> {
  const { item } = options;
  const out = await conditionalWrite(ctx, {
    what: `PutItem ${item[KEY.partition]?.S ?? '?'} ${item[KEY.sort]?.S ?? '?'}`,
    send: () =>
      ctx.client.send(
        new PutItemCommand({
          TableName: ctx.tableName,
          Item: item,
          ...versionCondition(options.expectedVersion),
          ...(options.returnOld ? { ReturnValues: 'ALL_OLD' } : {}),
        }),
      ),
    conflict: options.conflict,
  });
  return out.Attributes;
}
