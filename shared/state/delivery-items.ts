/**
 * Webhook delivery ids, remembered for a day so a redelivered or replayed hook is acknowledged
 * without being queued again. DynamoDB's TTL deletes expired items lazily (up to two days late),
 * so an expired item still present counts as unseen.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { deliveryPartition } from './keys.js';
import { DELIVERY_TTL_SECONDS, ITEM, KEY, TTL_ATTRIBUTE } from './schema.js';
import type { RecordDeliveryOptions } from './state-store.js';
import { call, isConditionFailure, keyOfItem, type TableContext } from './table-context.js';

export async function recordDelivery(
  ctx: TableContext,
  options: RecordDeliveryOptions,
): Promise<'new' | 'duplicate'> {
  const now = Math.floor(ctx.clock.now().getTime() / 1000);
  const pk = deliveryPartition(options.id);
  try {
    await call(ctx, `PutItem ${pk}`, () =>
      ctx.client.send(
        new PutItemCommand({
          TableName: ctx.tableName,
          Item: {
            ...keyOfItem(pk, ITEM.delivery),
            [TTL_ATTRIBUTE]: { N: String(now + (options.ttlSeconds ?? DELIVERY_TTL_SECONDS)) },
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #exp < :now',
          ExpressionAttributeNames: { '#pk': KEY.partition, '#exp': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': { N: String(now) } },
        }),
      ),
    );
    ctx.tally.itemsWritten++;
    return 'new';
  } catch (e) {
    if (isConditionFailure(e)) return 'duplicate';
    throw e;
  }
}
