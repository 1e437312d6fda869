/**
 * The health of an application from the health of its resources, as Argo CD's application
 * controller computes it (controller/health.go, setApplicationHealth). Walking the resources:
 *
 * 1. Hooks are left out, judged on the live object (a hook annotation other than a lone `Skip`,
 *    or a Helm hook other than `crd-install`), and so are resources the caller marks `hook`
 *    (a hook, or a desired manifest that is only a `Skip` hook).
 * 2. Every remaining resource counts as "expected"; one with a live object also as "live".
 * 3. Resources annotated `argocd.argoproj.io/ignore-healthcheck: "true"` (or marked
 *    `ignoreHealthcheck`) are left out. Note they still counted as live in step 2.
 * 4. A resource with no live object is Missing, and Missing resources are left out: the sync
 *    status already says OutOfSync.
 * 5. The application's own Application object (an app that manages itself) is left out.
 * 6. Resources with no health (kinds with no check) are left out.
 * 7. A child Application (argoproj.io/Application) that is Missing or Unknown is left out.
 * 8. The worst of the rest wins (Healthy < Suspended < Progressing < Missing < Degraded <
 *    Unknown), starting from Healthy: an application with nothing assessed is Healthy.
 * 9. Finally, if resources were expected but none has a live object, the application is Missing
 *    (unless something already made it worse than Missing).
 */
import type { KubeObject, ResourceKey } from '../model/index.js';
import { type HealthStatus, type HealthStatusCode, isWorse } from './health-status.js';
import { isHook } from './hook-annotations.js';

export const IGNORE_HEALTHCHECK_ANNOTATION = 'argocd.argoproj.io/ignore-healthcheck';

export interface AssessedResource {
  readonly key: ResourceKey;
  /** The resource's own health (resourceHealth of the live object); undefined: no health. */
  readonly health?: HealthStatus;
  /**
   * The live object. A resource with neither `live` nor a `health` other than Missing has no
   * live object and is Missing.
   */
  readonly live?: KubeObject;
  readonly ignoreHealthcheck?: boolean;
  /** A hook, or a desired manifest that is only a Skip hook. */
  readonly hook?: boolean;
}

export interface AggregateHealthOptions {
  /** The application being assessed, so that an app managing its own Application is left out. */
  readonly app?: { readonly name: string; readonly namespace: string };
}

function hasLive(resource: AssessedResource): boolean {
  if (resource.live !== undefined) return true;
  return resource.health !== undefined && resource.health.status !== 'Missing';
}

function isApplication(key: ResourceKey): boolean {
  return key.group === 'argoproj.io' && key.kind === 'Application';
}

export function aggregateHealth(
  resources: readonly AssessedResource[],
  options: AggregateHealthOptions = {},
): HealthStatus {
  let status: HealthStatusCode = 'Healthy';
  let expected = false;
  let live = false;
  for (const resource of resources) {
    if (resource.hook === true || (resource.live !== undefined && isHook(resource.live))) continue;
    expected = true;
    if (!hasLive(resource)) continue;
    live = true;
    const annotated = resource.live?.metadata?.annotations?.[IGNORE_HEALTHCHECK_ANNOTATION] === 'true';
    if (resource.ignoreHealthcheck === true || annotated) continue;
    const { app } = options;
    if (
      app !== undefined &&
      isApplication(resource.key) &&
      resource.key.name === app.name &&
      resource.key.namespace === app.namespace
    ) {
      continue;
    }
    const health = resource.health;
    if (health === undefined) continue;
    if (isApplication(resource.key) && (health.status === 'Missing' || health.status === 'Unknown')) continue;
    if (isWorse(status, health.status)) status = health.status;
  }
  if (expected && !live && isWorse(status, 'Missing')) status = 'Missing';
  return { status };
}
