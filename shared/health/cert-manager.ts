/**
 * cert-manager's Certificate, Issuer and ClusterIssuer, as Argo CD's bundled checks judge them.
 * A Certificate being (re)issued is Progressing even while its old secret is still Ready, so an
 * Issuing=True condition is looked for across the whole list before Ready is considered; that is
 * what makes a sync wave wait for a renewed certificate.
 */
import type { KubeObject } from '../model/index.js';
import { conditionHealth, looseConditions } from './condition-status.js';
import { type HealthStatus, healthOf } from './health-status.js';

export function certificateHealth(obj: KubeObject): HealthStatus {
  const issuing = looseConditions(obj).find((c) => c.type === 'Issuing' && c.status === 'True');
  if (issuing) return healthOf('Progressing', issuing.message);
  return conditionHealth(obj, { type: 'Ready', waiting: 'Waiting for certificate' });
}

export function issuerHealth(obj: KubeObject): HealthStatus {
  return conditionHealth(obj, { type: 'Ready', waiting: 'Initializing issuer' });
}

export function clusterIssuerHealth(obj: KubeObject): HealthStatus {
  return conditionHealth(obj, { type: 'Ready', waiting: 'Initializing ClusterIssuer' });
}
