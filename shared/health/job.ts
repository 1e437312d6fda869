/**
 * Job (batch/v1), judged by its conditions only: Failed, Complete and Suspended each mark the Job
 * as finished whatever their status; a Suspended condition with status True makes it Suspended.
 * A resumed Job keeps Suspended=False and so reads Healthy while it runs, as in Argo CD.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { conditionsAt } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function jobHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'Job', apiVersions: ['batch/v1'] }, assess);
}

function assess(obj: KubeObject): HealthStatus {
  let finished = false;
  let failed = false;
  let suspended = false;
  let failMessage = '';
  let message = '';
  for (const condition of conditionsAt(obj, ['status', 'conditions'])) {
    switch (condition.type) {
      case 'Failed':
        finished = true;
        failed = true;
        failMessage = condition.message;
        break;
      case 'Complete':
        finished = true;
        message = condition.message;
        break;
      case 'Suspended':
        finished = true;
        message = condition.message;
        if (condition.status === 'True') suspended = true;
        break;
    }
  }
  if (!finished) return healthOf('Progressing', message);
  if (failed) return healthOf('Degraded', failMessage);
  if (suspended) return healthOf('Suspended', message);
  return healthOf('Healthy', message);
}
