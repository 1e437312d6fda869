/**
 * The checks Argo CD bundles for widely used CRDs (its resource_customizations), keyed as
 * overrideRegistry expects. In Argo CD these run after the user's argocd-cm overrides and before
 * the built-in Go checks, so a user's own check for a kind replaces the bundled one; here a user
 * override that answers undefined also falls through to the bundled check.
 */
import type { KubeObject } from '../model/index.js';
import { certificateHealth, clusterIssuerHealth, issuerHealth } from './cert-manager.js';
import { cronJobHealth } from './cron-job.js';
import { externalSecretHealth } from './external-secret.js';
import type { HealthStatus } from './health-status.js';
import { type HealthOverride, overrideRegistry } from './override.js';
import { type ResourceHealthOptions, resourceHealth } from './resource-health.js';
import { rolloutHealth } from './rollout.js';
import { scaledObjectHealth } from './scaled-object.js';
import { sealedSecretHealth } from './sealed-secret.js';

export const builtInCrdOverrides: Readonly<Record<string, HealthOverride>> = Object.freeze({
  'cert-manager.io/Certificate': certificateHealth,
  'cert-manager.io/Issuer': issuerHealth,
  'cert-manager.io/ClusterIssuer': clusterIssuerHealth,
  'argoproj.io/Rollout': rolloutHealth,
  'external-secrets.io/ExternalSecret': externalSecretHealth,
  'bitnami.com/SealedSecret': sealedSecretHealth,
  'keda.sh/ScaledObject': scaledObjectHealth,
  'batch/CronJob': cronJobHealth,
});

const bundled = overrideRegistry(builtInCrdOverrides);

/** The user's overrides (argocd-cm) first, then the bundled CRD checks. */
export function withBuiltInCrdOverrides(override?: HealthOverride): HealthOverride {
  if (override === undefined) return bundled;
  return (obj) => override(obj) ?? bundled(obj);
}

/**
 * An object's health as Argo CD gives it out of the box: resourceHealth with the bundled CRD
 * checks behind any override the caller passes. The default wherever Driftless assesses health.
 */
export function bundledResourceHealth(
  obj: KubeObject,
  options: ResourceHealthOptions = {},
): HealthStatus | undefined {
  return resourceHealth(obj, { override: withBuiltInCrdOverrides(options.override) });
}
