/**
 * PersistentVolumeClaim (v1): the phase alone decides. A claim waiting for its first consumer is
 * Pending, and so Progressing, as Argo CD has it.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { stringField } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function persistentVolumeClaimHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'PersistentVolumeClaim', apiVersions: ['v1'] }, (o) => {
    switch (stringField(o, ['status', 'phase'])) {
      case 'Bound':
        return healthOf('Healthy');
      case 'Pending':
        return healthOf('Progressing');
      case 'Lost':
        return healthOf('Degraded');
      default:
        return healthOf('Unknown');
    }
  });
}
