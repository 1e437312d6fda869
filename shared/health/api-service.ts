/**
 * APIService (apiregistration v1 and v1beta1): the first Available condition decides. Not
 * available is Progressing, not Degraded: the backing service may still be starting.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { conditionsAt } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function apiServiceHealth(obj: KubeObject): HealthStatus {
  return typedCheck(
    obj,
    { label: 'APIService', apiVersions: ['apiregistration.k8s.io/v1', 'apiregistration.k8s.io/v1beta1'] },
    (o) => {
      const available = conditionsAt(o, ['status', 'conditions']).find((c) => c.type === 'Available');
      if (available === undefined) return healthOf('Progressing', 'Waiting to be processed');
      return healthOf(
        available.status === 'True' ? 'Healthy' : 'Progressing',
        `${available.reason}: ${available.message}`,
      );
    },
  );
}
