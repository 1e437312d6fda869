/**
 * Resource tracking, compatible with Argo CD's annotation method: every object an app applies
 * carries `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>`. The group is
 * empty for core kinds (`web:/Service:prod/web`); cluster-scoped objects carry the app's
 * destination namespace (`web:rbac.authorization.k8s.io/ClusterRole:prod/reader`). <app> is the
 * instance name: the Application's name, or `<namespace>_<name>` when the Application lives
 * outside the control namespace. An object is the app's when its tracking id names the app and
 * matches the object itself (a copied annotation does not make it ours).
 */
import type { Application } from '../model/argo-types.js';
import { groupOf, type KubeObject } from '../model/kube-object.js';
import { ANNOTATION_TRACKING_ID, annotationOf } from './annotations.js';

export const DEFAULT_CONTROL_NAMESPACE = 'argocd';

export interface TrackingId {
  readonly app: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function appInstanceName(app: Application, controlNamespace = DEFAULT_CONTROL_NAMESPACE): string {
  const ns = app.metadata.namespace;
  return ns === undefined || ns === '' || ns === controlNamespace
    ? app.metadata.name
    : `${ns}_${app.metadata.name}`;
}

export function formatTrackingId(id: TrackingId): string {
  return `${id.app}:${id.group}/${id.kind}:${id.namespace}/${id.name}`;
}

export function parseTrackingId(value: string): TrackingId | undefined {
  const first = value.indexOf(':');
  if (first < 0) return undefined;
  const second = value.indexOf(':', first + 1);
  if (second < 0) return undefined;
  const groupKind = value.slice(first + 1, second).split('/');
  const nsName = value.slice(second + 1).split('/');
  if (groupKind.length !== 2 || nsName.length !== 2) return undefined;
  return {
    app: value.slice(0, first),
    group: groupKind[0]!,
    kind: groupKind[1]!,
    namespace: nsName[0]!,
    name: nsName[1]!,
  };
}

/** The tracking id for an object; its namespace, else the destination namespace. */
export function trackingIdFor(obj: KubeObject, appName: string, destinationNamespace: string): TrackingId {
  return {
    app: appName,
    group: groupOf(obj.apiVersion),
    kind: obj.kind,
    namespace: obj.metadata.namespace || destinationNamespace,
    name: obj.metadata.name ?? '',
  };
}

/** A copy of obj carrying the tracking annotation. */
export function withTrackingId(obj: KubeObject, id: TrackingId): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...obj.metadata.annotations, [ANNOTATION_TRACKING_ID]: formatTrackingId(id) },
    },
  };
}

export function trackingIdOf(obj: KubeObject): TrackingId | undefined {
  const value = annotationOf(obj, ANNOTATION_TRACKING_ID);
  return value === undefined ? undefined : parseTrackingId(value);
}

/** The tracking id describes this very object (cluster-scoped objects match any namespace). */
export function describesObject(id: TrackingId, obj: KubeObject): boolean {
  const ns = obj.metadata.namespace ?? '';
  return (
    (ns === id.namespace || ns === '') &&
    (obj.metadata.name ?? '') === id.name &&
    groupOf(obj.apiVersion) === id.group &&
    obj.kind === id.kind
  );
}

export type Ownership =
  | { readonly kind: 'ours' }
  | { readonly kind: 'untracked' }
  | { readonly kind: 'foreign'; readonly app: string }
  /** The annotation names this app but another object: copied, not applied by us. */
  | { readonly kind: 'copied' };

/** Who a live object belongs to, by its tracking id. */
export function ownershipOf(live: KubeObject, appName: string): Ownership {
  const id = trackingIdOf(live);
  if (id === undefined) return { kind: 'untracked' };
  if (id.app !== appName) return { kind: 'foreign', app: id.app };
  return describesObject(id, live) ? { kind: 'ours' } : { kind: 'copied' };
}
