/**
 * The current operation of an app (one OP item) and its history (HIST# items).
 *
 * One operation at a time is guarded by a lease on the OP item: `owner` and `leaseUntil` (epoch
 * ms). Beginning reads the item and writes it back conditionally on the version it read, so of
 * any number of concurrent workers exactly one wins; a Running operation blocks new ones until
 * its lease expires, after which the next begin takes over (its worker is presumed dead). A
 * released lease (the operation waits for a delayed message) still blocks new operations until it
 * expires, but resumeOperation may take it at once. Every update is conditional on owner and
 * version. Finishing updates the OP item first and then appends history, so a crash in between
 * loses one history line, never the lease.
 */
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DriftlessError } from '../errors/index.js';
import { conditionalWrite, versionedPut } from './conditional-write.js';
import { appName, appPartition, historySortKey } from './keys.js';
import { gunzipJson, gzipJson } from './manifest-codec.js';
import { DEFAULT_HISTORY_LIMIT, ITEM, KEY, SIZE, VERSION_ATTRIBUTE } from './schema.js';
import type {
  AppRef,
  BeginOperationOptions,
  BeginOutcome,
  FinishOperationOptions,
  HistoryEntry,
  OperationLease,
  OperationSummary,
  ResumeOperationOptions,
  StoredOperation,
  UpdateOperationOptions,
} from './state-store.js';
import {
  batchWrite,
  call,
  deleteRequest,
  getItem,
  type Item,
  keyOfItem,
  queryAll,
  readNumber,
  readString,
  requireBinary,
  requireNumber,
  requireString,
  type TableContext,
} from './table-context.js';

const ACTIVE_PHASES: ReadonlySet<string> = new Set(['Running', 'Terminating']);

/** Retryable: the operation in the way will end or expire. A lost lease is final for its holder. */
function conflict(
  app: AppRef,
  message: string,
  context: Record<string, unknown> = {},
  retryable = true,
): DriftlessError {
  return new DriftlessError('STATE_CONFLICT', `operation of application ${appName(app)}: ${message}`, {
    retryable,
    context: { app: appName(app), ...context },
  });
}

function encodeBody(app: AppRef, operation: OperationSummary): Uint8Array {
  const body = gzipJson(operation);
  // Operation state is small per resource; an app so large its plan does not fit is refused loudly.
  if (body.length > SIZE.inlineManifestBytes * 2) {
    throw new DriftlessError(
      'LIMIT_EXCEEDED',
      `operation of application ${appName(app)}: compressed state is ${body.length} bytes, over ${SIZE.inlineManifestBytes * 2}`,
      { context: { app: appName(app) } },
    );
  }
  return body;
}

function summaryAttributes(operation: OperationSummary): Item {
  return {
    phase: { S: operation.phase },
    revision: { S: operation.revision },
    startedAt: { S: operation.startedAt },
    ...(operation.finishedAt ? { finishedAt: { S: operation.finishedAt } } : {}),
  };
}

function decodeOperation<T extends OperationSummary>(item: Item): StoredOperation<T> {
  return {
    operation: gunzipJson(requireBinary(item, 'body')) as T,
    owner: readString(item, 'owner'),
    leaseExpiresAt: readNumber(item, 'leaseUntil'),
    version: requireNumber(item, VERSION_ATTRIBUTE),
  };
}

export async function getOperation<T extends OperationSummary>(
  ctx: TableContext,
  app: AppRef,
): Promise<StoredOperation<T> | undefined> {
  const item = await getItem(ctx, appPartition(app), ITEM.operation);
  return item ? decodeOperation<T>(item) : undefined;
}

export async function beginOperation<T extends OperationSummary>(
  ctx: TableContext,
  options: BeginOperationOptions<T>,
): Promise<BeginOutcome> {
  const { app, operation, owner, leaseMs } = options;
  const now = ctx.clock.now().getTime();
  const current = await getItem(ctx, appPartition(app), ITEM.operation);
  const previous = current ? decodeOperation(current) : undefined;
  const active = previous !== undefined && ACTIVE_PHASES.has(previous.operation.phase);
  if (active && (previous.leaseExpiresAt ?? 0) > now) {
    throw conflict(
      app,
      `another operation is ${previous.operation.phase} until ${new Date(previous.leaseExpiresAt ?? 0).toISOString()}`,
      {
        holder: previous.owner,
        revision: previous.operation.revision,
      },
    );
  }
  const version = (previous?.version ?? 0) + 1;
  const lease: OperationLease = { app, owner, version, expiresAt: now + leaseMs };
  await versionedPut(ctx, {
    item: {
      ...keyOfItem(appPartition(app), ITEM.operation),
      ...summaryAttributes(operation),
      body: { B: encodeBody(app, operation) },
      owner: { S: owner },
      leaseUntil: { N: String(lease.expiresAt) },
      nextHistoryId: { N: String(current ? requireNumber(current, 'nextHistoryId') : 1) },
      [VERSION_ATTRIBUTE]: { N: String(version) },
    },
    expectedVersion: previous?.version,
    conflict: () => conflict(app, 'another worker began an operation at the same time'),
  });
  return active && previous ? { kind: 'took-over', lease, abandoned: previous } : { kind: 'started', lease };
}

export async function resumeOperation<T extends OperationSummary>(
  ctx: TableContext,
  options: ResumeOperationOptions,
): Promise<{ readonly lease: OperationLease; readonly operation: T }> {
  const { app, owner, leaseMs } = options;
  const now = ctx.clock.now().getTime();
  const item = await getItem(ctx, appPartition(app), ITEM.operation);
  const current = item ? decodeOperation<T>(item) : undefined;
  if (!current || !ACTIVE_PHASES.has(current.operation.phase)) {
    throw new DriftlessError(
      'NOT_FOUND',
      `operation of application ${appName(app)}: none is running to resume`,
      {
        context: { app: appName(app), phase: current?.operation.phase },
      },
    );
  }
  if (current.owner !== undefined && (current.leaseExpiresAt ?? 0) > now) {
    throw conflict(
      app,
      `held by another worker until ${new Date(current.leaseExpiresAt ?? 0).toISOString()}`,
      {
        holder: current.owner,
      },
    );
  }
  const lease: OperationLease = { app, owner, version: current.version + 1, expiresAt: now + leaseMs };
  await conditionalUpdate(ctx, app, {
    expected: { version: current.version },
    set: { owner: { S: owner }, leaseUntil: { N: String(lease.expiresAt) } },
    remove: [],
    version: lease.version,
  });
  return { lease, operation: current.operation };
}

export async function updateOperation<T extends OperationSummary>(
  ctx: TableContext,
  options: UpdateOperationOptions<T>,
): Promise<OperationLease> {
  const { lease, operation } = options;
  const now = ctx.clock.now().getTime();
  const expiresAt = options.leaseMs === undefined ? lease.expiresAt : now + options.leaseMs;
  const next: OperationLease = { ...lease, version: lease.version + 1, expiresAt };
  await conditionalUpdate(ctx, lease.app, {
    expected: { version: lease.version, owner: lease.owner },
    set: {
      ...summaryAttributes(operation),
      body: { B: encodeBody(lease.app, operation) },
      leaseUntil: { N: String(expiresAt) },
      ...(options.release ? {} : { owner: { S: lease.owner } }),
    },
    remove: [...(operation.finishedAt ? [] : ['finishedAt']), ...(options.release ? ['owner'] : [])],
    version: next.version,
  });
  return next;
}

export async function finishOperation<T extends OperationSummary>(
  ctx: TableContext,
  options: FinishOperationOptions<T>,
): Promise<HistoryEntry<T>> {
  const { lease, operation } = options;
  const app = lease.app;
  const body = encodeBody(app, operation);
  const updated = await conditionalUpdate(ctx, app, {
    expected: { version: lease.version, owner: lease.owner },
    set: { ...summaryAttributes(operation), body: { B: body } },
    remove: ['owner', 'leaseUntil', ...(operation.finishedAt ? [] : ['finishedAt'])],
    version: lease.version + 1,
    bumpHistoryId: true,
  });
  const id = requireNumber(updated, 'nextHistoryId') - 1;
  const pk = appPartition(app);
  await call(ctx, `PutItem ${pk} ${historySortKey(id)}`, () =>
    ctx.client.send(
      new PutItemCommand({
        TableName: ctx.tableName,
        Item: {
          ...keyOfItem(pk, historySortKey(id)),
          ...summaryAttributes(operation),
          id: { N: String(id) },
          body: { B: body },
        },
      }),
    ),
  );
  ctx.tally.itemsWritten++;
  await trimHistory(ctx, app, Math.max(1, options.historyLimit ?? DEFAULT_HISTORY_LIMIT));
  return { id, ...historyFields(operation), operation };
}

function historyFields(operation: OperationSummary): Omit<HistoryEntry, 'id' | 'operation'> {
  return {
    revision: operation.revision,
    phase: operation.phase,
    startedAt: operation.startedAt,
    ...(operation.finishedAt ? { finishedAt: operation.finishedAt } : {}),
  };
}

async function trimHistory(ctx: TableContext, app: AppRef, limit: number): Promise<void> {
  const pk = appPartition(app);
  const keys = await queryAll(ctx, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :h)',
    ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
    ExpressionAttributeValues: { ':pk': { S: pk }, ':h': { S: ITEM.history } },
    ProjectionExpression: '#sk',
    ScanIndexForward: false,
    ConsistentRead: true,
  });
  await batchWrite(
    ctx,
    keys.slice(limit).map((item) => deleteRequest(pk, requireString(item, KEY.sort))),
  );
}

export async function listHistory<T extends OperationSummary>(
  ctx: TableContext,
  app: AppRef,
): Promise<HistoryEntry<T>[]> {
  const items = await queryAll(ctx, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :h)',
    ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
    ExpressionAttributeValues: { ':pk': { S: appPartition(app) }, ':h': { S: ITEM.history } },
    ScanIndexForward: false,
    ConsistentRead: true,
  });
  return items.map((item) => {
    const operation = gunzipJson(requireBinary(item, 'body')) as T;
    return { id: requireNumber(item, 'id'), ...historyFields(operation), operation };
  });
}

interface ConditionalUpdate {
  readonly expected: { readonly version: number; readonly owner?: string };
  readonly set: Item;
  readonly remove: readonly string[];
  readonly version: number;
  readonly bumpHistoryId?: boolean;
}

async function conditionalUpdate(ctx: TableContext, app: AppRef, update: ConditionalUpdate): Promise<Item> {
  const names: Record<string, string> = { '#v': VERSION_ATTRIBUTE };
  const values: Item = {
    ':v': { N: String(update.expected.version) },
    ':next': { N: String(update.version) },
  };
  const sets = ['#v = :next'];
  Object.entries(update.set).forEach(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    sets.push(`#s${i} = :s${i}`);
  });
  if (update.bumpHistoryId) {
    names['#h'] = 'nextHistoryId';
    values[':one'] = { N: '1' };
    sets.push('#h = #h + :one');
  }
  const removes = update.remove.map((name, i) => {
    names[`#r${i}`] = name;
    return `#r${i}`;
  });
  let condition = '#v = :v';
  if (update.expected.owner !== undefined) {
    names['#o'] = 'owner';
    values[':o'] = { S: update.expected.owner };
    condition += ' AND #o = :o';
  }
  const out = await conditionalWrite(ctx, {
    what: `UpdateItem ${appPartition(app)} ${ITEM.operation}`,
    send: () =>
      ctx.client.send(
        new UpdateItemCommand({
          TableName: ctx.tableName,
          Key: keyOfItem(appPartition(app), ITEM.operation),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      ),
    conflict: () =>
      conflict(
        app,
        `lease lost: the operation changed since version ${update.expected.version}`,
        { owner: update.expected.owner, expectedVersion: update.expected.version },
        false,
      ),
  });
  return out.Attributes ?? {};
}
