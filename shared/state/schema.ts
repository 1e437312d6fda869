/**
 * The one description of the state table, shared by the store and the CDK stack (plain constants,
 * no CDK or SDK imports). Single-table design: every item has a string partition key `pk` and a
 * string sort key `sk`; everything of one Application lives under its partition.
 *
 * Access patterns
 *
 * | pattern                              | operation | key condition                                            |
 * |--------------------------------------|-----------|----------------------------------------------------------|
 * | get app                              | GetItem   | pk = APP#<ns>/<name>, sk = APP                           |
 * | list apps (paginated)                | Query GSI1| gsi1pk = APP, ordered by gsi1sk = <ns>/<name>            |
 * | apps by repository (webhook routing) | Query GSI2| gsi2pk = REPO#<repo key>  (repo-link items)              |
 * | resources of an app                  | Query     | pk = APP#.., sk begins_with RES#                         |
 * | chunks of a large manifest           | Query     | pk = APP#.., sk begins_with CHUNK#<resource>#<side>#<h>  |
 * | resource-set version (write guard)   | GetItem   | pk = APP#.., sk = RESSET                                 |
 * | current operation (+ lease)          | GetItem   | pk = APP#.., sk = OP                                     |
 * | operation history, newest first      | Query     | pk = APP#.., sk begins_with HIST#, ScanIndexForward=false|
 * | delivery seen? (webhook dedupe)      | PutItem   | pk = DELIVERY#<id>, sk = DELIVERY, attribute_not_exists  |
 * | ApplicationSet status                | GetItem   | pk = APPSETS, sk = APPSET#<name>                         |
 * | all ApplicationSet statuses          | Query     | pk = APPSETS                                             |
 *
 * Deleting an app queries its partition and deletes every item in it.
 */

export const DEFAULT_TABLE_NAME = 'driftless-state';

export const KEY = {
  partition: 'pk',
  sort: 'sk',
} as const;

/** Global secondary indexes; both project all attributes so a query answers without a fetch. */
export const INDEX = {
  /** Every Application item, for paginated listing. */
  apps: { name: 'gsi1', partition: 'gsi1pk', sort: 'gsi1sk' },
  /** Repo-link items: which apps use a repository (normalised URL), for webhook routing. */
  repos: { name: 'gsi2', partition: 'gsi2pk', sort: 'gsi2sk' },
} as const;

/** Epoch seconds; DynamoDB deletes the item some time (up to ~48 h) after it passes. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** Optimistic concurrency: every conditional write compares and increments this number. */
export const VERSION_ATTRIBUTE = 'version';

/** Sort-key (and partition-key) prefixes of the item types. */
export const ITEM = {
  app: 'APP',
  repoLink: 'REPO#',
  resource: 'RES#',
  resourceSet: 'RESSET',
  chunk: 'CHUNK#',
  operation: 'OP',
  history: 'HIST#',
  delivery: 'DELIVERY',
  appSet: 'APPSET#',
} as const;

/** The partition holding one status item per ApplicationSet (few, small: one Query lists them). */
export const APPSETS_PARTITION = 'APPSETS';

/** The partition value of GSI1 shared by all Application items. */
export const ALL_APPS_PARTITION = 'APP';

/** Argo CD's default `spec.revisionHistoryLimit`. */
export const DEFAULT_HISTORY_LIMIT = 10;

/** Webhook delivery ids are remembered this long (seconds). */
export const DELIVERY_TTL_SECONDS = 24 * 60 * 60;

/**
 * Item size budget. DynamoDB refuses items over 400 KB (names + values); compressed manifests
 * larger than `inlineManifestBytes` move to chunk items of at most `chunkBytes` each, so no item
 * ever comes near the limit whatever the manifest.
 */
export const SIZE = {
  itemLimitBytes: 400 * 1024,
  inlineManifestBytes: 150 * 1024,
  chunkBytes: 300 * 1024,
} as const;

/** BatchWriteItem takes at most 25 requests, BatchGetItem at most 100 keys. */
export const BATCH = {
  write: 25,
  get: 100,
  /** Batch requests in flight at once for one large write. */
  writeConcurrency: 4,
} as const;

export type AttributeType = 'S' | 'N' | 'B';

/** Plain description of the table, from which the store's tests and the CDK stack both build it. */
export interface TableDefinition {
  readonly partitionKey: { readonly name: string; readonly type: AttributeType };
  readonly sortKey: { readonly name: string; readonly type: AttributeType };
  readonly globalSecondaryIndexes: readonly {
    readonly indexName: string;
    readonly partitionKey: { readonly name: string; readonly type: AttributeType };
    readonly sortKey: { readonly name: string; readonly type: AttributeType };
    readonly projection: 'ALL';
  }[];
  readonly timeToLiveAttribute: string;
  readonly billing: 'PAY_PER_REQUEST';
}

export const TABLE_DEFINITION: TableDefinition = {
  partitionKey: { name: KEY.partition, type: 'S' },
  sortKey: { name: KEY.sort, type: 'S' },
  globalSecondaryIndexes: [INDEX.apps, INDEX.repos].map((index) => ({
    indexName: index.name,
    partitionKey: { name: index.partition, type: 'S' as const },
    sortKey: { name: index.sort, type: 'S' as const },
    projection: 'ALL' as const,
  })),
  timeToLiveAttribute: TTL_ATTRIBUTE,
  billing: 'PAY_PER_REQUEST',
};
