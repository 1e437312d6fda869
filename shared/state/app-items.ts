/**
 * Application items and the repo-link items that index them by repository. The app item holds
 * the Application (gzip JSON), its status (JSON) and its repo keys; each repo key also gets a
 * link item in the app's partition, found through GSI2. Links are derived data written after the
 * versioned app item, so a reader may briefly see a stale link: listByRepo re-checks every hit
 * against the app's current repo keys.
 */
import { DeleteItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DriftlessError } from '../errors/index.js';
import type { Application } from '../model/argo-types.js';
import { conditionalWrite, versionCondition, versionedPut } from './conditional-write.js';
import { appName, appPartition, repoLinkSortKey } from './keys.js';
import { gunzipJson, gzipJson } from './manifest-codec.js';
import { repoKey } from './repo-key.js';
import { ALL_APPS_PARTITION, INDEX, ITEM, KEY, SIZE, VERSION_ATTRIBUTE } from './schema.js';
import type {
  ApplicationPage,
  AppRef,
  AppStatus,
  DeleteApplicationOptions,
  ListApplicationsOptions,
  PutApplicationOptions,
  StoredApplication,
  UpdateStatusOptions,
} from './state-store.js';
import {
  batchGet,
  batchWrite,
  call,
  deleteRequest,
  getItem,
  type Item,
  keyOfItem,
  putRequest,
  queryAll,
  requireBinary,
  requireNumber,
  requireString,
  type TableContext,
} from './table-context.js';

/** Argo CD's control namespace, where an Application without a namespace lives. */
export const DEFAULT_APP_NAMESPACE = 'argocd';

export function appRefOf(application: Application): AppRef {
  return {
    namespace: application.metadata.namespace ?? DEFAULT_APP_NAMESPACE,
    name: application.metadata.name,
  };
}

export function repoKeysOf(application: Application): string[] {
  const urls = [application.spec.source, ...(application.spec.sources ?? [])]
    .map((source) => source?.repoURL)
    .filter((url): url is string => typeof url === 'string' && url !== '');
  return [...new Set(urls.map(repoKey))].sort();
}

function encodeApp(ref: AppRef, application: Application, status: AppStatus, version: number): Item {
  const spec = gzipJson(application);
  if (spec.length > SIZE.inlineManifestBytes) {
    throw new DriftlessError(
      'LIMIT_EXCEEDED',
      `application ${appName(ref)}: compressed spec is ${spec.length} bytes, over ${SIZE.inlineManifestBytes}`,
      { context: { app: appName(ref) } },
    );
  }
  return {
    ...keyOfItem(appPartition(ref), ITEM.app),
    [INDEX.apps.partition]: { S: ALL_APPS_PARTITION },
    [INDEX.apps.sort]: { S: appName(ref) },
    namespace: { S: ref.namespace },
    name: { S: ref.name },
    spec: { B: spec },
    status: { S: JSON.stringify(status) },
    repos: { L: repoKeysOf(application).map((r) => ({ S: r })) },
    [VERSION_ATTRIBUTE]: { N: String(version) },
  };
}

function decodeApp(item: Item): StoredApplication {
  return {
    ref: { namespace: requireString(item, 'namespace'), name: requireString(item, 'name') },
    application: gunzipJson(requireBinary(item, 'spec')) as Application,
    status: JSON.parse(requireString(item, 'status')) as AppStatus,
    repos: (item.repos?.L ?? []).map((v) => v.S).filter((s): s is string => s !== undefined),
    version: requireNumber(item, VERSION_ATTRIBUTE),
  };
}

function conflict(ref: AppRef, message: string, extra: Record<string, unknown> = {}): DriftlessError {
  return new DriftlessError('STATE_CONFLICT', `application ${appName(ref)}: ${message}`, {
    retryable: false,
    context: { app: appName(ref), ...extra },
  });
}

export async function putApplication(
  ctx: TableContext,
  options: PutApplicationOptions,
): Promise<StoredApplication> {
  const ref = appRefOf(options.application);
  const expected = options.expectedVersion;
  const item = encodeApp(ref, options.application, options.status ?? {}, (expected ?? 0) + 1);
  const old = await versionedPut(ctx, {
    item,
    expectedVersion: expected,
    returnOld: true,
    conflict: () =>
      expected === undefined
        ? conflict(ref, 'already exists')
        : conflict(ref, `was changed since version ${expected}`, { expectedVersion: expected }),
  });
  const stored = decodeApp(item);
  const oldRepos = old ? decodeApp(old).repos : [];
  await batchWrite(ctx, [
    ...stored.repos.filter((r) => !oldRepos.includes(r)).map((r) => putRequest(repoLink(ref, r))),
    ...oldRepos
      .filter((r) => !stored.repos.includes(r))
      .map((r) => deleteRequest(appPartition(ref), repoLinkSortKey(r))),
  ]);
  return stored;
}

function repoLink(ref: AppRef, repo: string): Item {
  return {
    ...keyOfItem(appPartition(ref), repoLinkSortKey(repo)),
    [INDEX.repos.partition]: { S: repoLinkSortKey(repo) },
    [INDEX.repos.sort]: { S: appName(ref) },
    namespace: { S: ref.namespace },
    name: { S: ref.name },
  };
}

export async function updateStatus(
  ctx: TableContext,
  options: UpdateStatusOptions,
): Promise<StoredApplication> {
  const { ref, expectedVersion } = options;
  const condition = versionCondition(expectedVersion);
  const out = await conditionalWrite(ctx, {
    what: `UpdateItem ${appPartition(ref)}`,
    send: () =>
      ctx.client.send(
        new UpdateItemCommand({
          TableName: ctx.tableName,
          Key: keyOfItem(appPartition(ref), ITEM.app),
          UpdateExpression: 'SET #s = :s, #v = :next',
          ConditionExpression: condition.ConditionExpression,
          ExpressionAttributeNames: { ...condition.ExpressionAttributeNames, '#s': 'status' },
          ExpressionAttributeValues: {
            ...condition.ExpressionAttributeValues,
            ':s': { S: JSON.stringify(options.status) },
            ':next': { N: String(expectedVersion + 1) },
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    conflict: () => conflict(ref, `missing or changed since version ${expectedVersion}`, { expectedVersion }),
  });
  if (!out.Attributes) throw conflict(ref, 'update returned no item');
  return decodeApp(out.Attributes);
}

export async function getApplication(ctx: TableContext, ref: AppRef): Promise<StoredApplication | undefined> {
  const item = await getItem(ctx, appPartition(ref), ITEM.app);
  return item ? decodeApp(item) : undefined;
}

export async function listApplications(
  ctx: TableContext,
  options: ListApplicationsOptions = {},
): Promise<ApplicationPage> {
  const out = await call(ctx, `Query ${INDEX.apps.name}`, () =>
    ctx.client.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: INDEX.apps.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': INDEX.apps.partition },
        ExpressionAttributeValues: { ':p': { S: ALL_APPS_PARTITION } },
        Limit: options.limit ?? 100,
        ExclusiveStartKey: options.cursor === undefined ? undefined : decodeCursor(options.cursor),
      }),
    ),
  );
  ctx.tally.itemsRead += out.Items?.length ?? 0;
  return {
    items: (out.Items ?? []).map(decodeApp),
    cursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : undefined,
  };
}

/** The cursor is the last evaluated key; all its attributes are strings. */
function encodeCursor(key: Item): string {
  const plain = Object.fromEntries(Object.entries(key).map(([name, value]) => [name, value.S ?? '']));
  return Buffer.from(JSON.stringify(plain), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Item {
  let plain: unknown;
  try {
    plain = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    plain = undefined;
  }
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw new DriftlessError(
      'NOT_FOUND',
      `list applications: cursor "${cursor.slice(0, 40)}" is not one this store issued`,
    );
  }
  return Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, { S: String(value) }]));
}

export async function listByRepo(ctx: TableContext, repoUrl: string): Promise<StoredApplication[]> {
  const repo = repoKey(repoUrl);
  const links = await queryAll(ctx, {
    IndexName: INDEX.repos.name,
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: { '#p': INDEX.repos.partition },
    ExpressionAttributeValues: { ':p': { S: repoLinkSortKey(repo) } },
  });
  const keys = links.map((link) =>
    keyOfItem(
      appPartition({ namespace: requireString(link, 'namespace'), name: requireString(link, 'name') }),
      ITEM.app,
    ),
  );
  const apps = (await batchGet(ctx, keys)).map(decodeApp).filter((app) => app.repos.includes(repo));
  return apps.sort((a, b) => appName(a.ref).localeCompare(appName(b.ref)));
}

/** The app item first (so it leaves listings at once), then everything else in its partition. */
export async function deleteApplication(ctx: TableContext, options: DeleteApplicationOptions): Promise<void> {
  const { ref, expectedVersion } = options;
  const pk = appPartition(ref);
  await conditionalWrite(ctx, {
    what: `DeleteItem ${pk}`,
    send: () =>
      ctx.client.send(
        new DeleteItemCommand({
          TableName: ctx.tableName,
          Key: keyOfItem(pk, ITEM.app),
          ...(expectedVersion === undefined ? {} : versionCondition(expectedVersion)),
        }),
      ),
    conflict: () => conflict(ref, `missing or changed since version ${expectedVersion}`, { expectedVersion }),
  });
  const rest = await queryAll(ctx, {
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
    ExpressionAttributeValues: { ':pk': { S: pk } },
    ProjectionExpression: '#pk, #sk',
    ConsistentRead: true,
  });
  await batchWrite(
    ctx,
    rest.map((item) => deleteRequest(pk, requireString(item, KEY.sort))),
  );
}
