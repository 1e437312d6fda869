/**
 * Per-resource desired and live state of an app. One RES# item per resource, holding content
 * hashes, sync status, health, drifted fields and the two manifests gzip-compressed; a manifest
 * too large to sit inline goes to CHUNK# items named after its hash.
 *
 * Writing the set: read the RESSET version and the stored hashes, compute what changed, bump the
 * RESSET version conditionally (BatchWriteItem carries no conditions, so the set's version guards
 * every item in it), then write in three passes so a reader never meets a resource whose chunks
 * are missing: new chunks, then resource items and deletions, then chunks no longer referenced.
 * Unchanged resources cost no write at all.
 */
import { DriftlessError } from '../errors/index.js';
import { keyString, type ResourceKey } from '../model/kube-object.js';
import { versionedPut } from './conditional-write.js';
import {
  appName,
  appPartition,
  chunkPrefix,
  chunkSortKey,
  type ManifestSide,
  resourceSortKey,
} from './keys.js';
import {
  canonicalJson,
  type EncodedManifest,
  encodeManifest,
  gunzipJson,
  gzipJson,
  sha256,
} from './manifest-codec.js';
import { ITEM, KEY, SIZE, VERSION_ATTRIBUTE } from './schema.js';
import type {
  AppRef,
  PutResourcesOptions,
  PutResourcesResult,
  ResourceSet,
  ResourceState,
  StoredResource,
} from './state-store.js';
import {
  batchWrite,
  deleteRequest,
  getItem,
  type Item,
  keyOfItem,
  putRequest,
  queryAll,
  readNumber,
  readString,
  requireBinary,
  requireString,
  type TableContext,
} from './table-context.js';

const SIDES: readonly ManifestSide[] = ['desired', 'live'];

/** Where a stored manifest's bytes are: which chunk items, if any. */
interface StoredChunks {
  readonly prefix: string;
  readonly count: number;
}

/** A resource hashed; its item (with compressed manifests) is only built when it changed. */
interface HashedResource {
  readonly resource: ResourceState;
  readonly sortKey: string;
  readonly hash: string;
  readonly manifests: Partial<Record<ManifestSide, EncodedManifest>>;
}

interface EncodedResource {
  readonly sortKey: string;
  readonly item: Item;
  readonly chunkItems: readonly Item[];
  readonly chunks: readonly StoredChunks[];
}

function hashResource(resource: ResourceState): HashedResource {
  const manifests: Partial<Record<ManifestSide, EncodedManifest>> = {};
  for (const side of SIDES) {
    const obj = resource[side];
    if (obj) manifests[side] = encodeManifest(obj);
  }
  const hash = sha256(
    canonicalJson({
      desired: manifests.desired?.hash ?? null,
      live: manifests.live?.hash ?? null,
      syncStatus: resource.syncStatus,
      health: resource.health ?? null,
      drift: resource.driftedFields ?? [],
    }),
  );
  return { resource, sortKey: resourceSortKey(resource.key), hash, manifests };
}

function encodeResource(app: AppRef, hashed: HashedResource): EncodedResource {
  const { resource, sortKey, manifests } = hashed;
  const pk = appPartition(app);
  const item: Item = {
    ...keyOfItem(pk, sortKey),
    key: { S: JSON.stringify(resource.key) },
    syncStatus: { S: resource.syncStatus },
    hash: { S: hashed.hash },
  };
  if (resource.health) item.health = { S: JSON.stringify(resource.health) };
  if (resource.driftedFields && resource.driftedFields.length > 0) {
    item.drift = { S: JSON.stringify(resource.driftedFields) };
  }
  const chunkItems: Item[] = [];
  const chunks: StoredChunks[] = [];
  for (const side of SIDES) {
    const encoded = manifests[side];
    if (!encoded) continue;
    item[`${side}Hash`] = { S: encoded.hash };
    if (encoded.secretHash) item[`${side}SecretHash`] = { S: encoded.secretHash };
    const bytes = gzipJson(encoded.object);
    if (bytes.length <= SIZE.inlineManifestBytes) {
      item[side] = { B: bytes };
      continue;
    }
    const prefix = chunkPrefix(resource.key, side, encoded.hash);
    const count = Math.ceil(bytes.length / SIZE.chunkBytes);
    for (let i = 0; i < count; i++) {
      chunkItems.push({
        ...keyOfItem(pk, chunkSortKey(prefix, i)),
        part: { B: bytes.subarray(i * SIZE.chunkBytes, (i + 1) * SIZE.chunkBytes) },
      });
    }
    item[`${side}Chunks`] = { S: `${prefix}|${count}` };
    chunks.push({ prefix, count });
  }
  return { sortKey, item, chunkItems, chunks };
}

function storedChunks(item: Item): StoredChunks[] {
  return SIDES.flatMap((side) => {
    const value = readString(item, `${side}Chunks`);
    if (value === undefined) return [];
    const bar = value.lastIndexOf('|');
    return [{ prefix: value.slice(0, bar), count: Number(value.slice(bar + 1)) }];
  });
}

function chunkKeys(chunks: readonly StoredChunks[]): string[] {
  return chunks.flatMap((c) => Array.from({ length: c.count }, (_, i) => chunkSortKey(c.prefix, i)));
}

function conflict(app: AppRef, message: string, context: Record<string, unknown> = {}): DriftlessError {
  return new DriftlessError('STATE_CONFLICT', `resources of application ${appName(app)}: ${message}`, {
    retryable: true,
    context: { app: appName(app), ...context },
  });
}

export async function putResources(
  ctx: TableContext,
  options: PutResourcesOptions,
): Promise<PutResourcesResult> {
  const { app } = options;
  const pk = appPartition(app);
  const header = await getItem(ctx, pk, ITEM.resourceSet);
  const version = header ? (readNumber(header, VERSION_ATTRIBUTE) ?? 0) : 0;
  if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
    throw conflict(app, `set is at version ${version}, not ${options.expectedVersion}`, {
      expectedVersion: options.expectedVersion,
      version,
    });
  }
  const stored = await queryAll(ctx, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :r)',
    ExpressionAttributeNames: {
      '#pk': KEY.partition,
      '#sk': KEY.sort,
      '#h': 'hash',
      '#dc': 'desiredChunks',
      '#lc': 'liveChunks',
    },
    ExpressionAttributeValues: { ':pk': { S: pk }, ':r': { S: ITEM.resource } },
    ProjectionExpression: '#sk, #h, #dc, #lc',
    ConsistentRead: true,
  });
  const before = new Map(stored.map((item) => [requireString(item, KEY.sort), item]));

  const seen = new Set<string>();
  const changed: EncodedResource[] = [];
  for (const resource of options.resources) {
    const hashed = hashResource(resource);
    if (seen.has(hashed.sortKey)) {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `resources of application ${appName(app)}: ${keyString(resource.key)} is listed twice`,
        { context: { app: appName(app), resource: keyString(resource.key) } },
      );
    }
    seen.add(hashed.sortKey);
    const old = before.get(hashed.sortKey);
    if (!old || readString(old, 'hash') !== hashed.hash) changed.push(encodeResource(app, hashed));
  }
  const removed = [...before.keys()].filter((sk) => !seen.has(sk));
  if (changed.length === 0 && removed.length === 0) {
    return { version, written: 0, deleted: 0, unchanged: options.resources.length };
  }

  await bumpSetVersion(ctx, app, version);
  const keep = new Set(changed.flatMap((c) => chunkKeys(c.chunks)));
  const existing = new Set(
    [...changed.map((c) => c.sortKey), ...removed].flatMap((sk) =>
      chunkKeys(storedChunks(before.get(sk) ?? {})),
    ),
  );
  const staleChunks = [...existing].filter((sk) => !keep.has(sk));
  // Chunks are named by content hash: ones already stored (only status or health changed) stay.
  const newChunks = changed
    .flatMap((c) => c.chunkItems)
    .filter((item) => !existing.has(item[KEY.sort]?.S ?? ''));
  await batchWrite(ctx, newChunks.map(putRequest));
  await batchWrite(ctx, [
    ...changed.map((c) => putRequest(c.item)),
    ...removed.map((sk) => deleteRequest(pk, sk)),
  ]);
  await batchWrite(
    ctx,
    staleChunks.map((sk) => deleteRequest(pk, sk)),
  );
  return {
    version: version + 1,
    written: changed.length,
    deleted: removed.length,
    unchanged: options.resources.length - changed.length,
  };
}

async function bumpSetVersion(ctx: TableContext, app: AppRef, version: number): Promise<void> {
  await versionedPut(ctx, {
    item: {
      ...keyOfItem(appPartition(app), ITEM.resourceSet),
      [VERSION_ATTRIBUTE]: { N: String(version + 1) },
    },
    expectedVersion: version === 0 ? undefined : version,
    conflict: () => conflict(app, `another writer changed the set after version ${version}`, { version }),
  });
}

export async function getResources(ctx: TableContext, app: AppRef): Promise<ResourceSet> {
  const pk = appPartition(app);
  const header = await getItem(ctx, pk, ITEM.resourceSet);
  const items = await queryAll(ctx, {
    KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :r)',
    ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
    ExpressionAttributeValues: { ':pk': { S: pk }, ':r': { S: ITEM.resource } },
    ConsistentRead: true,
  });
  const resources: StoredResource[] = [];
  for (const item of items) resources.push(await decodeResource(ctx, app, item));
  return { version: header ? (readNumber(header, VERSION_ATTRIBUTE) ?? 0) : 0, resources };
}

async function decodeResource(ctx: TableContext, app: AppRef, item: Item): Promise<StoredResource> {
  const key = JSON.parse(requireString(item, 'key')) as ResourceKey;
  const manifests: Partial<Record<ManifestSide, unknown>> = {};
  for (const side of SIDES) {
    if (item[side]) {
      manifests[side] = gunzipJson(requireBinary(item, side));
    } else if (readString(item, `${side}Chunks`) !== undefined) {
      manifests[side] = gunzipJson(await readChunks(ctx, app, key, side, item));
    }
  }
  const health = readString(item, 'health');
  const drift = readString(item, 'drift');
  const desiredSecret = readString(item, 'desiredSecretHash');
  const liveSecret = readString(item, 'liveSecretHash');
  return {
    key,
    ...(manifests.desired ? { desired: manifests.desired as StoredResource['desired'] } : {}),
    ...(manifests.live ? { live: manifests.live as StoredResource['live'] } : {}),
    syncStatus: requireString(item, 'syncStatus') as StoredResource['syncStatus'],
    ...(health ? { health: JSON.parse(health) as StoredResource['health'] } : {}),
    ...(drift ? { driftedFields: JSON.parse(drift) as string[] } : {}),
    desiredHash: readString(item, 'desiredHash') ?? '',
    liveHash: readString(item, 'liveHash') ?? '',
    ...(desiredSecret || liveSecret
      ? {
          secretHash: {
            ...(desiredSecret ? { desired: desiredSecret } : {}),
            ...(liveSecret ? { live: liveSecret } : {}),
          },
        }
      : {}),
  };
}

async function readChunks(
  ctx: TableContext,
  app: AppRef,
  key: ResourceKey,
  side: ManifestSide,
  item: Item,
): Promise<Uint8Array> {
  const [chunks] = storedChunks({ [`${side}Chunks`]: item[`${side}Chunks`] ?? { S: '' } });
  const pk = appPartition(app);
  const parts = chunks
    ? await queryAll(ctx, {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :c)',
        ExpressionAttributeNames: { '#pk': KEY.partition, '#sk': KEY.sort },
        ExpressionAttributeValues: { ':pk': { S: pk }, ':c': { S: chunks.prefix } },
        ConsistentRead: true,
      })
    : [];
  if (!chunks || parts.length !== chunks.count) {
    // The set is being rewritten under us; a retry reads a consistent picture.
    throw conflict(
      app,
      `${side} manifest of ${keyString(key)} has ${parts.length} of ${chunks?.count ?? '?'} chunks`,
    );
  }
  return Buffer.concat(parts.map((part) => requireBinary(part, 'part')));
}
