/**
 * Readies rendered objects for applying, as Argo CD does between rendering and syncing:
 * namespaced objects without a namespace get the destination namespace, cluster-scoped ones lose
 * any namespace, every object but a CRD gets the app's tracking id, and an object rendered twice
 * keeps its last rendering.
 */
import { groupOf, type KubeObject, keyOf, keyString } from '../model/kube-object.js';
import { crdGroupKind, isCrd } from './kind-order.js';
import { trackingIdFor, withTrackingId } from './tracking.js';

/** Whether apiVersion/kind is namespaced; undefined when the cluster does not serve it (yet). */
export type ScopeLookup = (apiVersion: string, kind: string) => boolean | undefined;

export interface PrepareOptions {
  readonly desired: readonly KubeObject[];
  readonly appName: string;
  readonly destinationNamespace: string;
  readonly isNamespaced: ScopeLookup;
}

export interface PreparedObject {
  /** Identifies the rendered object across steps: its key, or generateName + position. */
  readonly ref: string;
  readonly obj: KubeObject;
}

export function prepareDesired({
  desired,
  appName,
  destinationNamespace,
  isNamespaced,
}: PrepareOptions): PreparedObject[] {
  const crdScopes = new Map<string, boolean>();
  for (const obj of desired) {
    const groupKind = crdGroupKind(obj);
    const scope = (obj.spec as { scope?: unknown } | undefined)?.scope;
    if (groupKind !== undefined && (scope === 'Cluster' || scope === 'Namespaced')) {
      crdScopes.set(groupKind, scope === 'Namespaced');
    }
  }
  const byRef = new Map<string, PreparedObject>();
  desired.forEach((original, index) => {
    const namespaced =
      isNamespaced(original.apiVersion, original.kind) ??
      crdScopes.get(`${groupOf(original.apiVersion)}/${original.kind}`) ??
      // Unknown scope: treat as namespaced so the object cannot land in the wrong namespace.
      true;
    let obj = withNamespace(original, namespaced ? original.metadata.namespace || destinationNamespace : '');
    if (!isCrd(obj)) obj = withTrackingId(obj, trackingIdFor(obj, appName, destinationNamespace));
    const key = keyOf(obj);
    const ref =
      key.name === '' && obj.metadata.generateName
        ? keyString({ ...key, name: `${obj.metadata.generateName}${index}` })
        : keyString(key);
    byRef.delete(ref);
    byRef.set(ref, { ref, obj });
  });
  return [...byRef.values()];
}

function withNamespace(obj: KubeObject, namespace: string): KubeObject {
  if ((obj.metadata.namespace ?? '') === namespace) return obj;
  const { namespace: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata: namespace === '' ? metadata : { ...metadata, namespace } };
}
