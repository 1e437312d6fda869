/** Service (v1): only a LoadBalancer waits for anything; every other type is Healthy on creation. */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { loadBalancerHealth } from './load-balancer.js';
import { stringField } from './object-fields.js';
import { typedCheck } from './typed-check.js';

export function serviceHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'Service', apiVersions: ['v1'] }, (o) =>
    stringField(o, ['spec', 'type']) === 'LoadBalancer' ? loadBalancerHealth(o) : healthOf('Healthy'),
  );
}
