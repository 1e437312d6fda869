/**
 * External Secrets' ExternalSecret: Healthy once the operator reports Ready=True (the target
 * Secret was written), Degraded on Ready=False with the provider's error, Progressing before.
 */
import type { KubeObject } from '../model/index.js';
import { conditionHealth } from './condition-status.js';
import type { HealthStatus } from './health-status.js';

export function externalSecretHealth(obj: KubeObject): HealthStatus {
  return conditionHealth(obj, { type: 'Ready', waiting: 'Waiting for ExternalSecret' });
}
