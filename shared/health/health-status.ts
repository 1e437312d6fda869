/**
 * Health statuses and their order. The order is Argo CD's: an application is as healthy as its
 * least healthy resource, and "least healthy" follows this ranking, best first.
 */
export type HealthStatusCode = 'Healthy' | 'Suspended' | 'Progressing' | 'Missing' | 'Degraded' | 'Unknown';

export interface HealthStatus {
  readonly status: HealthStatusCode;
  /** Absent when empty: Argo CD serialises an empty message as no message at all. */
  readonly message?: string;
}

export const HEALTH_ORDER: readonly HealthStatusCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

/** True when `candidate` ranks worse than `current`. */
export function isWorse(current: HealthStatusCode, candidate: HealthStatusCode): boolean {
  return HEALTH_ORDER.indexOf(candidate) > HEALTH_ORDER.indexOf(current);
}

/** Builds a status, dropping an empty message so results compare equal to Argo CD's JSON. */
export function healthOf(status: HealthStatusCode, message?: string): HealthStatus {
  return message === undefined || message === '' ? { status } : { status, message };
}
