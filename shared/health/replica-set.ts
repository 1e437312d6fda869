/**
 * ReplicaSet (apps/v1): a ReplicaFailure condition (quota, admission) is Degraded; otherwise it
 * waits for the available replicas to reach the desired count.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { conditionsAt, hasField, intField } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function replicaSetHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'ReplicaSet', apiVersions: ['apps/v1'] }, assess);
}

function assess(obj: KubeObject): HealthStatus {
  if (intField(obj, ['metadata', 'generation']) > intField(obj, ['status', 'observedGeneration'])) {
    return healthOf(
      'Progressing',
      'Waiting for rollout to finish: observed replica set generation less than desired generation',
    );
  }
  const failure = conditionsAt(obj, ['status', 'conditions']).find((c) => c.type === 'ReplicaFailure');
  if (failure !== undefined && failure.status === 'True') return healthOf('Degraded', failure.message);
  if (hasField(obj, ['spec', 'replicas'])) {
    const desired = intField(obj, ['spec', 'replicas']);
    const available = intField(obj, ['status', 'availableReplicas']);
    if (available < desired) {
      return healthOf(
        'Progressing',
        `Waiting for rollout to finish: ${available} out of ${desired} new replicas are available...`,
      );
    }
  }
  return healthOf('Healthy');
}
