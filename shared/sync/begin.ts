/**
 * Starting an operation: the initial OperationState for syncing an app to a revision. Automated
 * syncs take prune and sync options from spec.syncPolicy; manual syncs from the request, falling
 * back to the app's options.
 */
import type { Application, RetryStrategy } from '../model/argo-types.js';
import type { Clock } from '../ports/clock.js';
import { effectiveRetryStrategy } from './retry.js';
import { appInstanceName, DEFAULT_CONTROL_NAMESPACE } from './tracking.js';
import type { OperationState } from './types.js';

export interface BeginOperationOptions {
  readonly app: Application;
  /** The resolved commit. */
  readonly revision: string;
  readonly clock: Clock;
  readonly initiatedBy: 'automated' | 'manual';
  /** Manual syncs: whether pruning is allowed (default false). Automated: spec.syncPolicy.automated.prune. */
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  /** Manual syncs: the request's options; default the app's. */
  readonly syncOptions?: readonly string[];
  /** Manual syncs: the request's retry strategy; default the app's. */
  readonly retry?: RetryStrategy;
  readonly controlNamespace?: string;
}

export function beginOperation(options: BeginOperationOptions): OperationState {
  const { app, clock } = options;
  const automated = options.initiatedBy === 'automated';
  const now = clock.now().toISOString();
  const appOptions = app.spec.syncPolicy?.syncOptions ?? [];
  return {
    app: appInstanceName(app, options.controlNamespace ?? DEFAULT_CONTROL_NAMESPACE),
    revision: options.revision,
    phase: 'Running',
    message: '',
    startedAt: now,
    attemptStartedAt: now,
    automated,
    dryRun: options.dryRun ?? false,
    prune: automated ? app.spec.syncPolicy?.automated?.prune === true : (options.prune ?? false),
    syncOptions: automated ? [...appOptions] : [...(options.syncOptions ?? appOptions)],
    retry: effectiveRetryStrategy({
      app,
      automated,
      ...(options.retry === undefined ? {} : { requested: options.retry }),
    }),
    retryCount: 0,
    transientFailures: 0,
    planned: false,
    tasks: [],
  };
}
