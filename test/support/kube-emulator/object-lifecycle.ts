/**
 * What the server does to every object it stores: identity and timestamps on create, defaults,
 * the generation rules per kind, a fresh resourceVersion, and Go struct field order.
 */
import { randomUUID } from 'node:crypto';
import { applyDefaults, type DefaultingContext } from './defaults.js';
import { metaOf } from './object-store.js';
import { apiVersionOf, hasStatus, type ResourceType } from './resource-registry.js';
import { deepEqual, isObject, type JsonObject } from './types.js';

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Groups whose objects carry metadata.generation (ConfigMaps, Secrets, RBAC... do not). */
const GENERATION_KINDS = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'batch/Job',
  'batch/CronJob',
  '/Pod',
  '/ReplicationController',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'apiextensions.k8s.io/CustomResourceDefinition',
]);

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

function hasGeneration(rt: ResourceType): boolean {
  return rt.crd !== undefined || GENERATION_KINDS.has(`${rt.group}/${rt.kind}`);
}

function without(obj: JsonObject, keys: readonly string[]): JsonObject {
  const out = { ...obj };
  for (const k of keys) delete out[k];
  return out;
}

/** Whether the change from `before` to `after` is a change of desired state (bumps generation). */
function desiredStateChanged(rt: ResourceType, before: JsonObject, after: JsonObject): boolean {
  if (rt.crd !== undefined || `${rt.group}/${rt.kind}` === 'apiextensions.k8s.io/CustomResourceDefinition') {
    const ignored = hasStatus(rt) ? ['metadata', 'status'] : ['metadata'];
    return !deepEqual(without(before, ignored), without(after, ignored));
  }
  if (!deepEqual(before.spec, after.spec)) return true;
  if (rt.group === 'apps' && rt.kind === 'Deployment') {
    return !deepEqual(metaOf(before).annotations, metaOf(after).annotations);
  }
  return false;
}

export function orderObject(obj: JsonObject): JsonObject {
  const meta = metaOf(obj);
  const orderedMeta: JsonObject = {};
  for (const k of METADATA_ORDER) if (meta[k] !== undefined) orderedMeta[k] = meta[k];
  for (const [k, v] of Object.entries(meta)) if (!(k in orderedMeta) && v !== undefined) orderedMeta[k] = v;
  const out: JsonObject = { kind: obj.kind, apiVersion: obj.apiVersion, metadata: orderedMeta };
  for (const [k, v] of Object.entries(obj)) if (!(k in out) && k !== 'status' && v !== undefined) out[k] = v;
  if (obj.status !== undefined) out.status = obj.status;
  return out;
}

export interface FinalizeOptions {
  readonly rt: ResourceType;
  readonly before: JsonObject | undefined;
  readonly after: JsonObject;
  readonly managedFields: readonly JsonObject[];
  readonly now: Date;
  readonly defaulting: DefaultingContext;
}

/**
 * The object as it would be stored (without a new resourceVersion). Immutable metadata comes from
 * `before`; on create the server assigns uid, creationTimestamp and generation 1.
 */
export function finalizeObject(o: FinalizeOptions): JsonObject {
  const after: JsonObject = { ...o.after, apiVersion: apiVersionOf(o.rt), kind: o.rt.kind };
  const meta: JsonObject = { ...metaOf(after) };
  after.metadata = meta;
  const old = o.before ? metaOf(o.before) : undefined;
  for (const k of [
    'uid',
    'creationTimestamp',
    'generation',
    'resourceVersion',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ]) {
    delete meta[k];
  }
  if (old) {
    for (const k of [
      'name',
      'namespace',
      'uid',
      'creationTimestamp',
      'resourceVersion',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
    ]) {
      if (old[k] !== undefined) meta[k] = old[k];
    }
  } else {
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(o.now);
  }
  if (o.rt.group === '' && o.rt.kind === 'Namespace') {
    meta.labels = { ...(isObject(meta.labels) ? meta.labels : {}), 'kubernetes.io/metadata.name': meta.name };
    if (!isObject(after.status)) after.status = { phase: 'Active' };
  }
  applyDefaults(o.rt, after, o.defaulting);
  if (hasGeneration(o.rt)) {
    const previous = typeof old?.generation === 'number' ? old.generation : 0;
    const bump = !o.before || desiredStateChanged(o.rt, o.before, after);
    meta.generation = bump ? previous + 1 : previous;
  }
  meta.managedFields = o.managedFields.length > 0 ? o.managedFields : undefined;
  return orderObject(after);
}

/** True if storing `after` would change nothing visible (an update that is a no-op keeps its resourceVersion). */
export function unchanged(before: JsonObject, after: JsonObject): boolean {
  const strip = (o: JsonObject) => ({ ...o, metadata: { ...metaOf(o), resourceVersion: undefined } });
  return deepEqual(JSON.parse(JSON.stringify(strip(before))), JSON.parse(JSON.stringify(strip(after))));
}
