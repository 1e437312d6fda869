/**
 * batch/CronJob, which Argo CD judges with a bundled check rather than a built-in one. Its status
 * cannot tell a run that has not finished yet from one that failed, so every uncertain case is
 * Healthy with a hedging message; only a last success older than the last schedule, with nothing
 * running, is Degraded. A suspended CronJob is reported Healthy (not Suspended), as Argo CD does,
 * so that suspending one does not hold a sync wave forever.
 */
import { DriftlessError } from '../errors/index.js';
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { fieldAt, listField, stringField } from './object-fields.js';

export function cronJobHealth(obj: KubeObject): HealthStatus {
  if (fieldAt(obj, ['spec']) === undefined) {
    const name = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    throw new DriftlessError('INVALID_MANIFEST', `CronJob ${name}: spec is missing`, {
      context: { kind: 'CronJob', name, field: 'spec' },
    });
  }
  if (fieldAt(obj, ['spec', 'suspend']) === true) return healthOf('Healthy', 'CronJob is Suspended');
  if (fieldAt(obj, ['status']) === undefined) return healthOf('Progressing', 'Waiting for CronJob');

  const lastSchedule = stringField(obj, ['status', 'lastScheduleTime']);
  if (lastSchedule === '') return healthOf('Healthy', 'CronJob has not been scheduled yet');
  const lastSuccess = stringField(obj, ['status', 'lastSuccessfulTime']);
  if (lastSuccess === '') {
    return healthOf('Healthy', 'The CronJob never completed successfully. It may not be healthy');
  }
  if (listField(obj, ['status', 'active']).length > 0) {
    return healthOf('Healthy', 'The job is running. Its last execution may not have been successful');
  }
  // RFC 3339 times in UTC order the same as text, which is how the bundled check compares them.
  if (lastSuccess < lastSchedule) {
    return healthOf('Degraded', 'CronJob has not completed its last execution successfully');
  }
  return healthOf('Healthy', 'CronJob has completed its last execution successfully');
}
