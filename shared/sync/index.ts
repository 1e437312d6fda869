/**
 * The sync engine: Argo CD's sync, step by step and re-entrant.
 *
 * 1. beginOperation() creates the OperationState (plain JSON, stored between steps).
 * 2. syncStep() is called until it answers `done`; on `continue` the caller waits afterSeconds
 *    (a delayed queue message) and calls again with the returned state. The first step of an
 *    attempt prepares the rendered objects (destination namespace, tracking id), reads live state
 *    and plans: desired resources, hook instances and prune candidates (from the inventory, only
 *    objects this app provably owns), ordered by phase → wave → kind → name. Each step then runs
 *    waves in order, waiting for health between waves and for hooks to complete; on failure the
 *    SyncFail hooks run; a failed attempt is retried per the retry strategy.
 * 3. nextInventory() gives what the app owns afterwards, the input to the next prune.
 *
 * Planning (plan, kind-order, waves, hooks, sync-options, tracking, retry) is pure; only step and
 * execute talk to the cluster, through the KubeClient port.
 */
export * from './annotations.js';
export * from './begin.js';
export * from './go-duration.js';
export * from './hooks.js';
export * from './inventory.js';
export * from './kind-order.js';
export * from './live-reader.js';
export * from './plan.js';
export * from './prepare.js';
export * from './retry.js';
export * from './run-limited.js';
export {
  DEFAULT_FIELD_MANAGER,
  resultsOf,
  type SyncStepInput,
  type SyncStepOptions,
  syncStep,
} from './step.js';
export * from './sync-options.js';
export * from './tracking.js';
export * from './types.js';
export * from './waves.js';
