/**
 * Shared by LoadBalancer Services and Ingresses: ready once the load balancer reports at least one
 * ingress point. An entry counts even when empty (`[{}]`), because some controllers publish one
 * before they know the address.
 */
import type { KubeObject } from '../model/index.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { listField } from './object-fields.js';

export function loadBalancerHealth(obj: KubeObject): HealthStatus {
  return healthOf(
    listField(obj, ['status', 'loadBalancer', 'ingress']).length > 0 ? 'Healthy' : 'Progressing',
  );
}
