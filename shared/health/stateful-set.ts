/**
 * StatefulSet (apps/v1). Unlike Deployment, an observedGeneration of 0 always means "not yet
 * observed", and a RollingUpdate block with a partition only waits for the pods above it.
 * No defaults are applied first: a missing update strategy takes the revision comparison path.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { hasField, intField, stringField } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function statefulSetHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'StatefulSet', apiVersions: ['apps/v1'] }, assess);
}

function assess(obj: KubeObject): HealthStatus {
  const observed = intField(obj, ['status', 'observedGeneration']);
  if (observed === 0 || intField(obj, ['metadata', 'generation']) > observed) {
    return healthOf('Progressing', 'Waiting for statefulset spec update to be observed...');
  }
  const hasReplicas = hasField(obj, ['spec', 'replicas']);
  const replicas = intField(obj, ['spec', 'replicas']);
  const ready = intField(obj, ['status', 'readyReplicas']);
  if (hasReplicas && ready < replicas) {
    return healthOf('Progressing', `Waiting for ${replicas - ready} pods to be ready...`);
  }
  const strategy = stringField(obj, ['spec', 'updateStrategy', 'type']);
  const updated = intField(obj, ['status', 'updatedReplicas']);
  if (strategy === 'RollingUpdate' && hasField(obj, ['spec', 'updateStrategy', 'rollingUpdate'])) {
    const partitionPath = ['spec', 'updateStrategy', 'rollingUpdate', 'partition'];
    if (hasReplicas && hasField(obj, partitionPath)) {
      const expected = replicas - intField(obj, partitionPath);
      if (updated < expected) {
        return healthOf(
          'Progressing',
          `Waiting for partitioned roll out to finish: ${updated} out of ${expected} new pods have been updated...`,
        );
      }
    }
    return healthOf('Healthy', `partitioned roll out complete: ${updated} new pods have been updated...`);
  }
  if (strategy === 'OnDelete') return healthOf('Healthy', `statefulset has ${ready} ready pods`);
  const updateRevision = stringField(obj, ['status', 'updateRevision']);
  const currentRevision = stringField(obj, ['status', 'currentRevision']);
  if (updateRevision !== currentRevision) {
    return healthOf(
      'Progressing',
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`,
    );
  }
  const current = intField(obj, ['status', 'currentReplicas']);
  return healthOf(
    'Healthy',
    `statefulset rolling update complete ${current} pods at revision ${currentRevision}...`,
  );
}
