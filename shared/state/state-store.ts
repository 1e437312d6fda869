/**
 * The StateStore port: everything the pipeline remembers between invocations. Implementations
 * must make every update conditional (optimistic versions, an operation lease) and must never
 * persist Secret values.
 */
import type { Application } from '../model/argo-types.js';
import type { KubeObject, ResourceKey } from '../model/kube-object.js';

/** Identifies an Application: its namespace (the Argo CD control namespace usually) and name. */
export interface AppRef {
  readonly namespace: string;
  readonly name: string;
}

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

export interface HealthRecord {
  readonly status: string;
  readonly message?: string;
}

export interface AppCondition {
  readonly type: string;
  readonly message: string;
  readonly lastTransitionTime?: string;
}

/** What Driftless last concluded about an app, in Argo CD's status vocabulary. */
export interface AppStatus {
  readonly sync?: { readonly status: SyncStatusCode; readonly revision?: string };
  readonly health?: HealthRecord;
  readonly conditions?: readonly AppCondition[];
  readonly reconciledAt?: string;
  /** Why the last message about this app could not be processed (poison message, bad spec). */
  readonly lastError?: string;
}

export interface StoredApplication {
  readonly ref: AppRef;
  readonly application: Application;
  readonly status: AppStatus;
  /** Normalised repository keys of the app's sources (see repoKey). */
  readonly repos: readonly string[];
  readonly version: number;
}

export interface PutApplicationOptions {
  readonly application: Application;
  readonly status?: AppStatus;
  /** The version read before; omit to create (fails if the app exists). */
  readonly expectedVersion?: number;
}

export interface UpdateStatusOptions {
  readonly ref: AppRef;
  readonly status: AppStatus;
  readonly expectedVersion: number;
}

export interface DeleteApplicationOptions {
  readonly ref: AppRef;
  /** Omit to delete whatever version is there. */
  readonly expectedVersion?: number;
}

export interface ListApplicationsOptions {
  readonly limit?: number;
  /** The `cursor` of the previous page. */
  readonly cursor?: string;
}

export interface ApplicationPage {
  readonly items: readonly StoredApplication[];
  readonly cursor?: string;
}

/** The minimum the store reads from an operation; the rest is stored as opaque JSON. */
export interface OperationSummary {
  readonly phase: string;
  readonly revision: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
}

/** Proof of holding the app's operation: every update presents it and gets a fresh one back. */
export interface OperationLease {
  readonly app: AppRef;
  readonly owner: string;
  readonly version: number;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface StoredOperation<T extends OperationSummary = OperationSummary> {
  readonly operation: T;
  readonly owner?: string;
  readonly leaseExpiresAt?: number;
  readonly version: number;
}

export interface BeginOperationOptions<T extends OperationSummary> {
  readonly app: AppRef;
  readonly operation: T;
  /** Unique per worker invocation. */
  readonly owner: string;
  readonly leaseMs: number;
}

/**
 * `started`: no operation was running. `took-over`: a Running operation whose lease had expired
 * (its worker crashed) was replaced; `abandoned` is what it had recorded.
 */
export type BeginOutcome =
  | { readonly kind: 'started'; readonly lease: OperationLease }
  | { readonly kind: 'took-over'; readonly lease: OperationLease; readonly abandoned: StoredOperation };

export interface ResumeOperationOptions {
  readonly app: AppRef;
  readonly owner: string;
  readonly leaseMs: number;
}

export interface UpdateOperationOptions<T extends OperationSummary> {
  readonly lease: OperationLease;
  readonly operation: T;
  /** Renew the lease for this long from now; omit to keep its expiry. */
  readonly leaseMs?: number;
  /** Give the lease up (the operation waits for a delayed message); anyone may resume it. */
  readonly release?: boolean;
}

export interface FinishOperationOptions<T extends OperationSummary> {
  readonly lease: OperationLease;
  readonly operation: T;
  /** `spec.revisionHistoryLimit`; older entries are deleted. */
  readonly historyLimit?: number;
}

export interface HistoryEntry<T extends OperationSummary = OperationSummary> {
  /** Increasing per app, as Argo CD's `status.history[].id`. */
  readonly id: number;
  readonly revision: string;
  readonly phase: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly operation: T;
}

/** Desired (rendered) and live state of one resource of an app, with the comparison result. */
export interface ResourceState {
  readonly key: ResourceKey;
  /** Absent: not rendered from git (extraneous, or a prune candidate). */
  readonly desired?: KubeObject;
  /** Absent: missing from the cluster. */
  readonly live?: KubeObject;
  readonly syncStatus: SyncStatusCode;
  readonly health?: HealthRecord;
  /** JSON paths of fields that differ from desired (drift). */
  readonly driftedFields?: readonly string[];
}

export interface StoredResource extends ResourceState {
  /** sha256 of desired (Secrets: of masked manifest plus the values' hash); '' when absent. */
  readonly desiredHash: string;
  readonly liveHash: string;
  /** For Secrets: sha256 of data and stringData, the only trace of their values. */
  readonly secretHash?: { readonly desired?: string; readonly live?: string };
}

export interface PutResourcesOptions {
  readonly app: AppRef;
  /** The complete set: resources stored before and not listed here are deleted. */
  readonly resources: readonly ResourceState[];
  /** The resource-set version read with getResources; omit to use the one read now. */
  readonly expectedVersion?: number;
}

export interface PutResourcesResult {
  readonly version: number;
  readonly written: number;
  readonly deleted: number;
  readonly unchanged: number;
}

export interface ResourceSet {
  readonly version: number;
  readonly resources: readonly StoredResource[];
}

export interface RecordDeliveryOptions {
  /** Provider-qualified delivery id, e.g. `github:<X-GitHub-Delivery>`. */
  readonly id: string;
  readonly ttlSeconds?: number;
}

/** One condition of an ApplicationSet, as Argo CD's `status.conditions[]`. */
export interface AppSetConditionRecord {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
}

/** What the last reconcile of an ApplicationSet concluded. */
export interface AppSetStatusRecord {
  readonly conditions: readonly AppSetConditionRecord[];
  /** Names (`name`, or `namespace/name` outside the control namespace) of the generated apps. */
  readonly applications: readonly string[];
  readonly reconciledAt: string;
}

export interface StoredAppSetStatus {
  readonly name: string;
  /** The ApplicationSet as it was reconciled (metadata and spec), so readers need no config. */
  readonly applicationSet: unknown;
  readonly status: AppSetStatusRecord;
  readonly version: number;
}

export interface PutAppSetStatusOptions {
  readonly name: string;
  readonly applicationSet: unknown;
  readonly status: AppSetStatusRecord;
  /** The version read before; omit to create (fails if the item exists). */
  readonly expectedVersion?: number;
}

export interface DeleteAppSetStatusOptions {
  readonly name: string;
}

/** Items read and written since the store was created (for benchmarks and metrics). */
export interface StoreCounters {
  readonly itemsRead: number;
  readonly itemsWritten: number;
  readonly requests: number;
}

export interface StateStore {
  putApplication(options: PutApplicationOptions): Promise<StoredApplication>;
  updateStatus(options: UpdateStatusOptions): Promise<StoredApplication>;
  getApplication(ref: AppRef): Promise<StoredApplication | undefined>;
  listApplications(options?: ListApplicationsOptions): Promise<ApplicationPage>;
  /** Apps with a source in this repository (any URL form: https, ssh, scp-like, with .git). */
  listByRepo(repoUrl: string): Promise<readonly StoredApplication[]>;
  /** Deletes the app with its resources, operation and history. */
  deleteApplication(options: DeleteApplicationOptions): Promise<void>;

  /** Fails with STATE_CONFLICT while another operation holds an unexpired lease. */
  beginOperation<T extends OperationSummary>(options: BeginOperationOptions<T>): Promise<BeginOutcome>;
  /** Takes the lease of the current Running operation once released or expired; keeps its state. */
  resumeOperation<T extends OperationSummary>(
    options: ResumeOperationOptions,
  ): Promise<{ readonly lease: OperationLease; readonly operation: T }>;
  updateOperation<T extends OperationSummary>(options: UpdateOperationOptions<T>): Promise<OperationLease>;
  /** Records the final state, appends it to history and trims history to the limit. */
  finishOperation<T extends OperationSummary>(options: FinishOperationOptions<T>): Promise<HistoryEntry<T>>;
  getOperation<T extends OperationSummary>(ref: AppRef): Promise<StoredOperation<T> | undefined>;
  /** Newest first. */
  listHistory<T extends OperationSummary>(ref: AppRef): Promise<readonly HistoryEntry<T>[]>;

  putResources(options: PutResourcesOptions): Promise<PutResourcesResult>;
  getResources(ref: AppRef): Promise<ResourceSet>;

  recordDelivery(options: RecordDeliveryOptions): Promise<'new' | 'duplicate'>;

  /** Fails with STATE_CONFLICT when the item is not at the expected version. */
  putAppSetStatus(options: PutAppSetStatusOptions): Promise<StoredAppSetStatus>;
  getAppSetStatus(name: string): Promise<StoredAppSetStatus | undefined>;
  /** Every ApplicationSet's status, by name. */
  listAppSetStatuses(): Promise<readonly StoredAppSetStatus[]>;
  deleteAppSetStatus(options: DeleteAppSetStatusOptions): Promise<void>;

  counters(): StoreCounters;
}
