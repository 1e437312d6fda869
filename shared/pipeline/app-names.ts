/**
 * How queue messages and the HTTP API name an Application: `name` for apps in the control
 * namespace (`argocd`), `namespace/name` for apps elsewhere.
 */
import type { Application } from '../model/argo-types.js';
import { type AppRef, appRefOf, DEFAULT_APP_NAMESPACE } from '../state/index.js';

export function appNameOf(app: Application): string {
  return nameOfRef(appRefOf(app));
}

export function nameOfRef(ref: AppRef): string {
  return ref.namespace === DEFAULT_APP_NAMESPACE ? ref.name : `${ref.namespace}/${ref.name}`;
}

export function refOfName(name: string): AppRef {
  const slash = name.indexOf('/');
  return slash < 0
    ? { namespace: DEFAULT_APP_NAMESPACE, name }
    : { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
}

/**
 * The name a refresh message carries to mean "reload the Argo CD objects": it cannot be an
 * Application's name (a colon is not allowed in one), and as a FIFO group it keeps reloads in order.
 */
export const CONFIG_APP = 'driftless:config';
