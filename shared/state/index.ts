/**
 * State: everything the pipeline remembers between Lambda invocations, in one DynamoDB table.
 *
 * - schema.ts is the single description of the table (keys, indexes, TTL, item prefixes), shared
 *   with the CDK stack; TABLE.md explains the design and the access patterns.
 * - state-store.ts is the port the worker, webhook and CLI use; DynamoStateStore implements it.
 * - Order of an operation: beginOperation (conditional write; one running operation per app,
 *   guarded by a lease) → updateOperation per step (conditional on lease owner and version;
 *   `release` while waiting for a delayed message, resumeOperation to pick it up) →
 *   finishOperation (final state, one history entry, history trimmed to revisionHistoryLimit).
 * - putResources stores desired and live per resource, writing only items whose content hash
 *   changed; Secrets are masked and only a hash of their values is kept.
 * - recordDelivery dedupes webhook deliveries for 24 h.
 */
export { appRefOf, DEFAULT_APP_NAMESPACE, repoKeysOf } from './app-items.js';
export {
  type CreateStateTableOptions,
  type CreateStateTableOutcome,
  createStateTable,
} from './create-table.js';
export { DynamoStateStore, type DynamoStateStoreOptions } from './dynamo-state-store.js';
export { SECRET_MASK } from './manifest-codec.js';
export { repoKey } from './repo-key.js';
export * from './schema.js';
export * from './state-store.js';
