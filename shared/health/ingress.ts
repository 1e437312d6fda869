/**
 * Ingress (extensions or networking.k8s.io, any version): fields are read directly rather than
 * through a typed struct, so old extensions/v1beta1 objects are judged the same way.
 */
import type { KubeObject } from '../model/index.js';
import type { HealthStatus } from './health-status.js';
import { loadBalancerHealth } from './load-balancer.js';
import { typedCheck } from './typed-check.js';

export function ingressHealth(obj: KubeObject): HealthStatus {
  return typedCheck(obj, { label: 'Ingress' }, loadBalancerHealth);
}
