/**
 * DaemonSet (apps/v1). OnDelete is Healthy once the generation is observed: the controller does
 * not replace pods by itself, so waiting on the counters would wait forever.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { intField, stringField } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function daemonSetHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'DaemonSet', apiVersions: ['apps/v1'] }, assess);
}

function assess(obj: KubeObject): HealthStatus {
  if (intField(obj, ['metadata', 'generation']) > intField(obj, ['status', 'observedGeneration'])) {
    return healthOf(
      'Progressing',
      'Waiting for rollout to finish: observed daemon set generation less than desired generation',
    );
  }
  const updated = intField(obj, ['status', 'updatedNumberScheduled']);
  const desired = intField(obj, ['status', 'desiredNumberScheduled']);
  if (stringField(obj, ['spec', 'updateStrategy', 'type']) === 'OnDelete') {
    return healthOf('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
  }
  const name = JSON.stringify(obj.metadata?.name ?? '');
  if (updated < desired) {
    return healthOf(
      'Progressing',
      `Waiting for daemon set ${name} rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
    );
  }
  const available = intField(obj, ['status', 'numberAvailable']);
  if (available < desired) {
    return healthOf(
      'Progressing',
      `Waiting for daemon set ${name} rollout to finish: ${available} of ${desired} updated pods are available...`,
    );
  }
  return healthOf('Healthy');
}
