/**
 * Reading `status.conditions` the way Argo CD's bundled Lua checks do: the list is walked in
 * order and the first entry that matches decides. A list of the wrong type fails the check
 * (Lua cannot iterate it), while a condition field of an unexpected type simply never matches.
 */
import { type HealthStatus, type HealthStatusCode, healthOf } from './health-status.js';
import { fieldAt, listField } from './object-fields.js';

export interface LooseCondition {
  readonly type: unknown;
  readonly status: unknown;
  readonly reason: unknown;
  /** Only a string message is surfaced; anything else leaves the health without a message. */
  readonly message: string | undefined;
}

export function looseConditions(obj: unknown): readonly LooseCondition[] {
  const path = ['status', 'conditions'] as const;
  return listField(obj, path).map((_, i) => {
    const message = fieldAt(obj, [...path, i, 'message']);
    return {
      type: fieldAt(obj, [...path, i, 'type']),
      status: fieldAt(obj, [...path, i, 'status']),
      reason: fieldAt(obj, [...path, i, 'reason']),
      message: typeof message === 'string' ? message : undefined,
    };
  });
}

export interface ConditionCheckOptions {
  /** The condition type whose True/False decides: `Ready` for most controllers. */
  readonly type: string;
  /** Status and message while no such condition has been reported yet. */
  readonly waiting: string;
  readonly waitingStatus?: HealthStatusCode;
}

/**
 * The shape most bundled checks share: the first `type` condition that is True makes the object
 * Healthy, False makes it Degraded, both with the controller's message; otherwise it is waiting.
 */
export function conditionHealth(obj: unknown, options: ConditionCheckOptions): HealthStatus {
  for (const condition of looseConditions(obj)) {
    if (condition.type !== options.type) continue;
    if (condition.status === 'False') return healthOf('Degraded', condition.message);
    if (condition.status === 'True') return healthOf('Healthy', condition.message);
  }
  return healthOf(options.waitingStatus ?? 'Progressing', options.waiting);
}
