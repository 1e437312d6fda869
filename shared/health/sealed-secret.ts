/**
 * Bitnami's SealedSecret: the controller reports `Synced` (not Ready) once it has decrypted the
 * secret; False carries the decryption error, which is why a wrong key shows as Degraded.
 */
import type { KubeObject } from '../model/index.js';
import { conditionHealth } from './condition-status.js';
import type { HealthStatus } from './health-status.js';

export function sealedSecretHealth(obj: KubeObject): HealthStatus {
  return conditionHealth(obj, { type: 'Synced', waiting: 'Waiting for Sealed Secret to be decrypted' });
}
