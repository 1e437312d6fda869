/**
 * StateStore on DynamoDB through the AWS SDK v3 low-level client. The client is passed in (the
 * composition root builds it, so `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_DYNAMODB` reach it
 * untouched). Only single-item conditional writes and batches are used, no transactions, so the
 * same code runs on DynamoDB, DynamoDB Local, dynalite and LocalStack.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Clock, systemClock } from '../ports/clock.js';
import * as apps from './app-items.js';
import * as appSets from './appset-items.js';
import * as deliveries from './delivery-items.js';
import * as operations from './operation-items.js';
import * as resources from './resource-items.js';
import { DEFAULT_TABLE_NAME } from './schema.js';
import type {
  ApplicationPage,
  AppRef,
  BeginOperationOptions,
  BeginOutcome,
  DeleteApplicationOptions,
  DeleteAppSetStatusOptions,
  FinishOperationOptions,
  HistoryEntry,
  ListApplicationsOptions,
  OperationLease,
  OperationSummary,
  PutApplicationOptions,
  PutAppSetStatusOptions,
  PutResourcesOptions,
  PutResourcesResult,
  RecordDeliveryOptions,
  ResourceSet,
  ResumeOperationOptions,
  StateStore,
  StoreCounters,
  StoredApplication,
  StoredAppSetStatus,
  StoredOperation,
  UpdateOperationOptions,
  UpdateStatusOptions,
} from './state-store.js';
import { type TableContext, Tally } from './table-context.js';

export interface DynamoStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName?: string;
  /** Lease expiry, delivery TTL and batch backoff read this clock. */
  readonly clock?: Clock;
}

export class DynamoStateStore implements StateStore {
  readonly #ctx: TableContext;

  constructor(options: DynamoStateStoreOptions) {
    this.#ctx = {
      client: options.client,
      tableName: options.tableName ?? DEFAULT_TABLE_NAME,
      clock: options.clock ?? systemClock,
      tally: new Tally(),
    };
  }

  get tableName(): string {
    return this.#ctx.tableName;
  }

  putApplication(options: PutApplicationOptions): Promise<StoredApplication> {
    return apps.putApplication(this.#ctx, options);
  }

  updateStatus(options: UpdateStatusOptions): Promise<StoredApplication> {
    return apps.updateStatus(this.#ctx, options);
  }

  getApplication(ref: AppRef): Promise<StoredApplication | undefined> {
    return apps.getApplication(this.#ctx, ref);
  }

  listApplications(options?: ListApplicationsOptions): Promise<ApplicationPage> {
    return apps.listApplications(this.#ctx, options);
  }

  listByRepo(repoUrl: string): Promise<readonly StoredApplication[]> {
    return apps.listByRepo(this.#ctx, repoUrl);
  }

  deleteApplication(options: DeleteApplicationOptions): Promise<void> {
    return apps.deleteApplication(this.#ctx, options);
  }

  beginOperation<T extends OperationSummary>(options: BeginOperationOptions<T>): Promise<BeginOutcome> {
    return operations.beginOperation(this.#ctx, options);
  }

  resumeOperation<T extends OperationSummary>(
    options: ResumeOperationOptions,
  ): Promise<{ readonly lease: OperationLease; readonly operation: T }> {
    return operations.resumeOperation<T>(this.#ctx, options);
  }

  updateOperation<T extends OperationSummary>(options: UpdateOperationOptions<T>): Promise<OperationLease> {
    return operations.updateOperation(this.#ctx, options);
  }

  finishOperation<T extends OperationSummary>(options: FinishOperationOptions<T>): Promise<HistoryEntry<T>> {
    return operations.finishOperation(this.#ctx, options);
  }

  getOperation<T extends OperationSummary>(ref: AppRef): Promise<StoredOperation<T> | undefined> {
    return operations.getOperation<T>(this.#ctx, ref);
  }

  listHistory<T extends OperationSummary>(ref: AppRef): Promise<readonly HistoryEntry<T>[]> {
    return operations.listHistory<T>(this.#ctx, ref);
  }

  putResources(options: PutResourcesOptions): Promise<PutResourcesResult> {
    return resources.putResources(this.#ctx, options);
  }

  getResources(ref: AppRef): Promise<ResourceSet> {
    return resources.getResources(this.#ctx, ref);
  }

  recordDelivery(options: RecordDeliveryOptions): Promise<'new' | 'duplicate'> {
    return deliveries.recordDelivery(this.#ctx, options);
  }

  putAppSetStatus(options: PutAppSetStatusOptions): Promise<StoredAppSetStatus> {
    return appSets.putAppSetStatus(this.#ctx, options);
  }

  getAppSetStatus(name: string): Promise<StoredAppSetStatus | undefined> {
    return appSets.getAppSetStatus(this.#ctx, name);
  }

  listAppSetStatuses(): Promise<readonly StoredAppSetStatus[]> {
    return appSets.listAppSetStatuses(this.#ctx);
  }

  deleteAppSetStatus(options: DeleteAppSetStatusOptions): Promise<void> {
    return appSets.deleteAppSetStatus(this.#ctx, options);
  }

  counters(): StoreCounters {
    const { itemsRead, itemsWritten, requests } = this.#ctx.tally;
    return { itemsRead, itemsWritten, requests };
  }
}
