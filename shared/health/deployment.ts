/**
 * Deployment (apps/v1), after kubectl's rollout status: paused first, then the generation the
 * controller has seen, then the progress deadline, then the replica counters.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { boolField, conditionsAt, hasField, intField } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function deploymentHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'Deployment', apiVersions: ['apps/v1'] }, assess);
}

function assess(obj: KubeObject): HealthStatus {
  if (boolField(obj, ['spec', 'paused'])) return healthOf('Suspended', 'Deployment is paused');
  if (intField(obj, ['metadata', 'generation']) > intField(obj, ['status', 'observedGeneration'])) {
    return healthOf(
      'Progressing',
      'Waiting for rollout to finish: observed deployment generation less than desired generation',
    );
  }
  const progressing = conditionsAt(obj, ['status', 'conditions']).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    const name = JSON.stringify(obj.metadata?.name ?? '');
    return healthOf('Degraded', `Deployment ${name} exceeded its progress deadline`);
  }
  const updated = intField(obj, ['status', 'updatedReplicas']);
  const current = intField(obj, ['status', 'replicas']);
  const available = intField(obj, ['status', 'availableReplicas']);
  if (hasField(obj, ['spec', 'replicas'])) {
    const desired = intField(obj, ['spec', 'replicas']);
    if (updated < desired) {
      return healthOf(
        'Progressing',
        `Waiting for rollout to finish: ${updated} out of ${desired} new replicas have been updated...`,
      );
    }
  }
  if (current > updated) {
    return healthOf(
      'Progressing',
      `Waiting for rollout to finish: ${current - updated} old replicas are pending termination...`,
    );
  }
  if (available < updated) {
    return healthOf(
      'Progressing',
      `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
    );
  }
  return healthOf('Healthy');
}
