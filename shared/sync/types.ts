/**
 * The vocabulary of one sync operation, as plain JSON so an operation can be stored between steps
 * (DynamoDB) and resumed by any worker. Names and values follow Argo CD's OperationState and
 * ResourceResult so status read by Argo CD tooling means the same thing.
 */
import type { RetryStrategy } from '../model/argo-types.js';
import type { KubeObject, ResourceKey } from '../model/kube-object.js';

export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export type HookType = SyncPhase | 'Skip';
export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';
export type OperationPhase = 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';
export type ResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
export type HealthStatusCode = 'Healthy' | 'Suspended' | 'Progressing' | 'Missing' | 'Degraded' | 'Unknown';

export interface HealthSnapshot {
  readonly status: HealthStatusCode;
  readonly message?: string;
}

/** Health of one live object; undefined for kinds that have no notion of health (ConfigMap). */
export type ResourceHealthCheck = (obj: KubeObject) => HealthSnapshot | undefined;

/**
 * apply: a desired resource; hook: a hook instance created for this operation; prune: a live object
 * the app owns and no longer wants; namespace: the destination namespace (CreateNamespace=true).
 */
export type TaskKind = 'apply' | 'hook' | 'prune' | 'namespace';

export interface TaskState {
  /** `<phase>/<wave>/<group>/<Kind>/<namespace>/<name>`, unique within an operation. */
  readonly id: string;
  readonly kind: TaskKind;
  readonly phase: SyncPhase;
  readonly wave: number;
  readonly apiVersion: string;
  /** The object this task writes or deletes (for hooks: with the generated name). */
  readonly key: ResourceKey;
  /** Which desired object the task applies (apply and hook tasks); see desiredRef(). */
  readonly desiredRef?: string;
  readonly deletePolicies?: readonly HookDeletePolicy[];
  /** Set once the task ran; undefined while pending. */
  readonly result?: ResultCode;
  /** Argo CD's hookPhase: Running after apply until health or hook completion says otherwise. */
  readonly operation?: OperationPhase;
  readonly message?: string;
  readonly health?: HealthSnapshot;
  /** A prune (or hook delete) was sent; waiting for the object to disappear. */
  readonly awaitingDeletion?: boolean;
  /** ApplyOutOfSyncOnly left this resource alone: the diff found it Synced. */
  readonly skipped?: boolean;
  /** Order in which results were first recorded (1-based), as Argo CD reports them. */
  readonly order?: number;
}

export interface OperationState {
  /** The app's instance name (`name`, or `namespace_name` outside the control namespace). */
  readonly app: string;
  readonly revision: string;
  readonly phase: OperationPhase;
  readonly message: string;
  /** ISO timestamps. */
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Start of the current attempt; hook names are derived from it. */
  readonly attemptStartedAt: string;
  readonly automated: boolean;
  readonly dryRun: boolean;
  readonly prune: boolean;
  /** Operation-level sync options (`Key=value`), as in spec.syncPolicy.syncOptions. */
  readonly syncOptions: readonly string[];
  readonly retry: RetryStrategy;
  readonly retryCount: number;
  /** Set while a failed attempt waits for its retry. */
  readonly retryAt?: string;
  /** Consecutive transient API failures (throttling, 5xx) within the current attempt. */
  readonly transientFailures: number;
  /** False until the first step of an attempt has built the plan. */
  readonly planned: boolean;
  /** The plan, in execution order. */
  readonly tasks: readonly TaskState[];
  readonly current?: { readonly phase: SyncPhase; readonly wave: number };
}

/** One line of the sync result, as Argo CD's `status.operationState.syncResult.resources[]`. */
export interface ResourceResult {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly status?: ResultCode;
  readonly message: string;
  readonly hookType?: HookType;
  readonly hookPhase?: OperationPhase;
  readonly syncPhase: SyncPhase;
}

export type StepOutcome =
  | { readonly kind: 'continue'; readonly afterSeconds: number }
  | { readonly kind: 'done'; readonly phase: 'Succeeded' | 'Failed' | 'Error'; readonly message: string };

export interface SyncStepResult {
  readonly operation: OperationState;
  readonly outcome: StepOutcome;
  readonly results: readonly ResourceResult[];
}

/** One object the app applied before: the only source of prune candidates. */
export interface InventoryItem {
  readonly apiVersion: string;
  readonly key: ResourceKey;
}
