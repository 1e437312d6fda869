/**
 * The operation as the pipeline stores it (the state table's OP item and history entries): the
 * sync engine's OperationState plus what the pipeline needs to resume it anywhere — which step a
 * continue message must name, what the app owned when the operation began (the only input to
 * pruning) and what started it.
 */
import type { InventoryItem, OperationState, ResourceResult } from '../sync/index.js';

export interface OperationTrigger {
  readonly kind: 'automated' | 'manual' | 'self-heal';
  /** Why the refresh that started it ran (webhook, drift-scan ...). */
  readonly reason?: string;
  readonly deliveryId?: string;
  /** When the triggering webhook arrived: the start of WebhookToSyncLatency. */
  readonly receivedAt?: string;
  readonly initiatedBy?: string;
}

export interface OperationRecord {
  readonly id: string;
  readonly phase: string;
  readonly revision: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Steps taken so far; a continue message carries the step it expects next. */
  readonly step: number;
  readonly trigger: OperationTrigger;
  /** While running: what the app owned before (prune candidates); once finished: what it owns now. */
  readonly inventory: readonly InventoryItem[];
  /** Consecutive self-heal syncs at this revision (Argo CD's selfHealAttemptsCount). */
  readonly selfHealAttempts: number;
  readonly state: OperationState;
  /** Filled in when the operation finishes: per-resource outcome. */
  readonly results?: readonly ResourceResult[];
  readonly message?: string;
}
