/**
 * ApplicationSet status items: one per ApplicationSet in the `APPSETS` partition, holding what its
 * last reconcile concluded (conditions, generated apps, time) with the ApplicationSet itself, so a
 * Lambda or a restarted server knows a generator's error and what it generated, and the API can
 * answer from the table alone. Writes are conditional on `version` like every other item.
 */
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { DriftlessError } from '../errors/index.js';
import { versionedPut } from './conditional-write.js';
import { gunzipJson, gzipJson } from './manifest-codec.js';
import { APPSETS_PARTITION, ITEM, KEY, SIZE, VERSION_ATTRIBUTE } from './schema.js';
import type {
  AppSetStatusRecord,
  DeleteAppSetStatusOptions,
  PutAppSetStatusOptions,
  StoredAppSetStatus,
} from './state-store.js';
import {
  call,
  getItem,
  type Item,
  keyOfItem,
  queryAll,
  requireBinary,
  requireNumber,
  requireString,
  type TableContext,
} from './table-context.js';

function sortKey(name: string): string {
  return `${ITEM.appSet}${name}`;
}

function encode(options: PutAppSetStatusOptions, version: number): Item {
  const spec = gzipJson(options.applicationSet);
  if (spec.length > SIZE.inlineManifestBytes) {
    throw new DriftlessError(
      'LIMIT_EXCEEDED',
      `applicationset ${options.name}: compressed manifest is ${spec.length} bytes, over ${SIZE.inlineManifestBytes}`,
      { context: { applicationSet: options.name } },
    );
  }
  return {
    ...keyOfItem(APPSETS_PARTITION, sortKey(options.name)),
    name: { S: options.name },
    spec: { B: spec },
    status: { S: JSON.stringify(options.status) },
    [VERSION_ATTRIBUTE]: { N: String(version) },
  };
}

function decode(item: Item): StoredAppSetStatus {
  return {
    name: requireString(item, 'name'),
    applicationSet: gunzipJson(requireBinary(item, 'spec')),
    status: JSON.parse(requireString(item, 'status')) as AppSetStatusRecord,
    version: requireNumber(item, VERSION_ATTRIBUTE),
  };
}

export async function putAppSetStatus(
  ctx: TableContext,
  options: PutAppSetStatusOptions,
): Promise<StoredAppSetStatus> {
  const expected = options.expectedVersion;
  const item = encode(options, (expected ?? 0) + 1);
  await versionedPut(ctx, {
    item,
    expectedVersion: expected,
    conflict: () =>
      new DriftlessError(
        'STATE_CONFLICT',
        expected === undefined
          ? `applicationset ${options.name}: status already exists`
          : `applicationset ${options.name}: status was changed since version ${expected}`,
        { retryable: false, context: { applicationSet: options.name, expectedVersion: expected } },
      ),
  });
  return decode(item);
}

export async function getAppSetStatus(
  ctx: TableContext,
  name: string,
): Promise<StoredAppSetStatus | undefined> {
  const item = await getItem(ctx, APPSETS_PARTITION, sortKey(name));
  return item === undefined ? undefined : decode(item);
}

export async function listAppSetStatuses(ctx: TableContext): Promise<readonly StoredAppSetStatus[]> {
  const items = await queryAll(ctx, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
    ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
    ExpressionAttributeValues: { ':pk': { S: APPSETS_PARTITION }, ':prefix': { S: ITEM.appSet } },
    ConsistentRead: true,
  });
  return items.map(decode);
}

export async function deleteAppSetStatus(
  ctx: TableContext,
  options: DeleteAppSetStatusOptions,
): Promise<void> {
  await call(ctx, `DeleteItem ${APPSETS_PARTITION} ${sortKey(options.name)}`, () =>
    ctx.client.send(
      new DeleteItemCommand({
        TableName: ctx.tableName,
        Key: keyOfItem(APPSETS_PARTITION, sortKey(options.name)),
      }),
    ),
  );
  ctx.tally.itemsWritten++;
}
