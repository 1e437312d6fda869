/**
 * Health of a child Argo CD Application, for app-of-apps. Argo CD removed this check from its
 * built-ins (v1.8), so a parent does not wait on its children unless the user adds it back in
 * argocd-cm as `resource.customizations.health.argoproj.io_Application`. This is the documented
 * form of that script: the child's own `status.health`, Progressing until it has one.
 * Opt in with `overrideRegistry({ [APPLICATION_OVERRIDE_KEY]: applicationHealthOverride })`.
 */
import { DriftlessError } from '../errors/index.js';
import type { KubeObject } from '../model/index.js';
import { HEALTH_ORDER, type HealthStatus, type HealthStatusCode, healthOf } from './health-status.js';
import { fieldAt } from './object-fields.js';

export const APPLICATION_OVERRIDE_KEY = 'argoproj.io/Application';

function isStatusCode(value: unknown): value is HealthStatusCode {
  return typeof value === 'string' && (HEALTH_ORDER as readonly string[]).includes(value);
}

export const applicationHealthOverride = (obj: KubeObject): HealthStatus | undefined => {
  if (obj.kind !== 'Application' || !obj.apiVersion.startsWith('argoproj.io/')) return undefined;
  const status = fieldAt(obj, ['status', 'health', 'status']);
  const message = fieldAt(obj, ['status', 'health', 'message']);
  if (status === undefined) return healthOf('Progressing');
  if (!isStatusCode(status)) {
    const name = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `Application ${name}: status.health.status ${JSON.stringify(status)} is not a health status`,
      { context: { kind: 'Application', name, field: 'status.health.status' } },
    );
  }
  return healthOf(status, typeof message === 'string' ? message : undefined);
};
