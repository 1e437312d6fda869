/**
 * The health of one live object, in Argo CD's order: pending deletion first (for any kind, but
 * not for a hook still held by its finalizer), then the override, then the built-in check chosen
 * by API group and kind. A kind with no check has no health (undefined), which is not Unknown:
 * it simply does not count. A check that fails (unsupported version, a field of the wrong type,
 * an override that throws) gives Unknown with the failure text.
 */
import { messageOf } from '../errors/index.js';
import { groupOf, type KubeObject } from '../model/index.js';
import { apiServiceHealth } from './api-service.js';
import { daemonSetHealth } from './daemon-set.js';
import { deploymentHealth } from './deployment.js';
import { type HealthStatus, healthOf } from './health-status.js';
import { hasHookFinalizer } from './hook-annotations.js';
import { horizontalPodAutoscalerHealth } from './horizontal-pod-autoscaler.js';
import { ingressHealth } from './ingress.js';
import { jobHealth } from './job.js';
import type { HealthOverride } from './override.js';
import { persistentVolumeClaimHealth } from './persistent-volume-claim.js';
import { podHealth } from './pod.js';
import { replicaSetHealth } from './replica-set.js';
import { serviceHealth } from './service.js';
import { statefulSetHealth } from './stateful-set.js';
import { workflowHealth } from './workflow.js';

export type BuiltInCheck = (obj: KubeObject) => HealthStatus;

const BUILT_IN: ReadonlyMap<string, BuiltInCheck> = new Map([
  ['apps/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['extensions/Ingress', ingressHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['argoproj.io/Workflow', workflowHealth],
  ['apiregistration.k8s.io/APIService', apiServiceHealth],
  ['/Service', serviceHealth],
  ['/PersistentVolumeClaim', persistentVolumeClaimHealth],
  ['/Pod', podHealth],
  ['batch/Job', jobHealth],
  ['autoscaling/HorizontalPodAutoscaler', horizontalPodAutoscalerHealth],
]);

/** The built-in check for an object's group and kind, whatever its version; undefined if none. */
export function builtInCheck(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): BuiltInCheck | undefined {
  return BUILT_IN.get(`${groupOf(obj.apiVersion)}/${obj.kind}`);
}

export interface ResourceHealthOptions {
  readonly override?: HealthOverride;
}

export function resourceHealth(
  obj: KubeObject,
  options: ResourceHealthOptions = {},
): HealthStatus | undefined {
  if (obj.metadata?.deletionTimestamp && !hasHookFinalizer(obj)) {
    return healthOf('Progressing', 'Pending deletion');
  }
  try {
    const overridden = options.override?.(obj);
    if (overridden !== undefined) return overridden;
    return builtInCheck(obj)?.(obj);
  } catch (e) {
    return healthOf('Unknown', messageOf(e));
  }
}
