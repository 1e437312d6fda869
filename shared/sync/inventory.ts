/**
 * The inventory after an operation: what the app now owns. Every resource it planned to apply
 * (applied or not: a half-applied object is still ours), plus prune candidates that were not
 * pruned (skipped or not reached), so a later sync can still prune them. Hooks and the managed
 * namespace are never part of it: they are never pruned.
 */
import { keyString } from '../model/kube-object.js';
import type { InventoryItem, OperationState } from './types.js';

export interface NextInventoryOptions {
  readonly operation: OperationState;
  readonly previous: readonly InventoryItem[];
}

export function nextInventory({ operation, previous }: NextInventoryOptions): InventoryItem[] {
  if (!operation.planned) return [...previous];
  const items = new Map<string, InventoryItem>();
  for (const task of operation.tasks) {
    const keep = task.kind === 'apply' || (task.kind === 'prune' && task.result !== 'Pruned');
    if (keep) items.set(keyString(task.key), { apiVersion: task.apiVersion, key: task.key });
  }
  return [...items.values()];
}
