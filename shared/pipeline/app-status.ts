/**
 * Status writes: the app item is versioned and a config reload may bump it at any time, so a
 * status change is a function of the current status, re-applied on a lost race.
 */
import { isDriftlessError } from '../errors/index.js';
import type { AppCondition, AppRef, AppStatus, StateStore } from '../state/index.js';

const ATTEMPTS = 5;

export async function changeStatus(
  state: StateStore,
  ref: AppRef,
  change: (status: AppStatus) => AppStatus,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const stored = await state.getApplication(ref);
    if (stored === undefined) return;
    try {
      await state.updateStatus({ ref, status: change(stored.status), expectedVersion: stored.version });
      return;
    } catch (e) {
      if (!isDriftlessError(e, 'STATE_CONFLICT') || attempt >= ATTEMPTS) throw e;
    }
  }
}

/** The pipeline's own condition types, as Argo CD names them. */
export type PipelineConditionType = 'ComparisonError' | 'SyncError' | 'Promoted' | 'PromotionError';

/** Sets (message) or clears (undefined) one condition type, keeping the others. */
export function withCondition(
  status: AppStatus,
  type: PipelineConditionType,
  message: string | undefined,
  now: Date,
): AppStatus {
  const others = (status.conditions ?? []).filter((c) => c.type !== type);
  const previous = (status.conditions ?? []).find((c) => c.type === type);
  const conditions: AppCondition[] =
    message === undefined
      ? others
      : [
          ...others,
          {
            type,
            message,
            lastTransitionTime:
              previous?.message === message && previous.lastTransitionTime
                ? previous.lastTransitionTime
                : now.toISOString(),
          },
        ];
  const { conditions: _old, ...rest } = status;
  return conditions.length === 0 ? rest : { ...rest, conditions };
}
