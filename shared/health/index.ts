/**
 * Health: how well a live object is doing, and how well an application is doing, exactly as
 * Argo CD judges both, so that an app shows the same health here as in Argo CD.
 *
 * Order of operations for one object (resourceHealth):
 *   1. deletionTimestamp set (and no hook finalizer) → Progressing "Pending deletion";
 *   2. the override, if given and it answers (override.ts; argocd-cm's Lua checks become
 *      TypeScript functions in an overrideRegistry keyed `group/Kind`);
 *   3. the built-in check for the group and kind, one file per kind; a wrong API version or a
 *      field of the wrong type → Unknown with the reason; kinds with no check → undefined.
 * Then for the application (aggregateHealth): worst of the resources' health, leaving out hooks,
 * ignored and Missing resources (aggregate.ts says exactly which). The sync engine asks
 * waveTaskOutcome / isHealthyForWave whether a wave may proceed (wave.ts).
 *
 * Bundled CRD checks (crd-overrides.ts): Argo CD ships Lua health checks for common CRDs and runs
 * them after the user's argocd-cm overrides, before its Go checks. `bundledResourceHealth` does
 * the same with `builtInCrdOverrides`, written in TypeScript from Argo CD's rules, and is what the
 * pipeline assesses health with. Covered: cert-manager.io Certificate, Issuer, ClusterIssuer;
 * argoproj.io Rollout; external-secrets.io ExternalSecret; bitnami.com SealedSecret; keda.sh
 * ScaledObject; batch CronJob. Users add their own checks (or replace these) by passing an
 * `override` built with overrideRegistry, keyed `group/Kind` as in argocd-cm; their check wins
 * for its key and may return undefined to fall back to the bundled one. `resourceHealth` alone
 * runs only the built-in Go checks.
 *
 * Missing is never produced for a live object; it is what a desired resource with no live object
 * is. Child Applications have no health unless `applicationHealthOverride` is opted in.
 */
export {
  type AggregateHealthOptions,
  type AssessedResource,
  aggregateHealth,
  IGNORE_HEALTHCHECK_ANNOTATION,
} from './aggregate.js';
export { APPLICATION_OVERRIDE_KEY, applicationHealthOverride } from './application-override.js';
export { certificateHealth, clusterIssuerHealth, issuerHealth } from './cert-manager.js';
export { builtInCrdOverrides, bundledResourceHealth, withBuiltInCrdOverrides } from './crd-overrides.js';
export { cronJobHealth } from './cron-job.js';
export { externalSecretHealth } from './external-secret.js';
export {
  HEALTH_ORDER,
  type HealthStatus,
  type HealthStatusCode,
  healthOf,
  isWorse,
} from './health-status.js';
export {
  HOOK_FINALIZER,
  type HookType,
  hasHookFinalizer,
  hookTypes,
  isHook,
  isSkipHook,
} from './hook-annotations.js';
export { type HealthOverride, overrideKey, overrideRegistry } from './override.js';
export { IGNORE_RESTART_POLICY_ANNOTATION } from './pod.js';
export {
  type BuiltInCheck,
  builtInCheck,
  type ResourceHealthOptions,
  resourceHealth,
} from './resource-health.js';
export { rolloutHealth } from './rollout.js';
export { scaledObjectHealth } from './scaled-object.js';
export { sealedSecretHealth } from './sealed-secret.js';
export { isHealthyForWave, type WaveTaskOptions, type WaveTaskOutcome, waveTaskOutcome } from './wave.js';
export { assessWorkflow } from './workflow.js';
