/**
 * Argo CD's normalisation of both sides before comparing (gitops-engine `diff.Normalize` plus what
 * the controller strips): server bookkeeping in metadata is not drift, `status` is not desired
 * state, the last-applied annotation and the tracking annotation are ours, and a Secret's
 * `stringData` is folded into base64 `data` the way the API server stores it.
 */
import { groupOf, type KubeObject, type ResourceKey } from '../model/index.js';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';

const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

export interface NormalizeOptions {
  readonly key: ResourceKey;
  /** Owner references are compared only when desired declares some. */
  readonly keepOwnerReferences: boolean;
}

/** A normalised copy; the input is not touched. */
export function normalizeObject(obj: KubeObject, options: NormalizeOptions): KubeObject {
  const out = cloneJson(obj) as unknown as JsonObject;
  delete out.status;
  const metadata: JsonObject = isJsonObject(out.metadata) ? out.metadata : {};
  out.metadata = metadata;
  for (const field of SERVER_METADATA) delete metadata[field];
  if (!options.keepOwnerReferences) delete metadata.ownerReferences;
  // The key is authoritative: rendered manifests often omit the namespace the app deploys into.
  if (options.key.namespace !== '') metadata.namespace = options.key.namespace;
  else delete metadata.namespace;
  if (isJsonObject(metadata.annotations)) {
    delete metadata.annotations[LAST_APPLIED_ANNOTATION];
    delete metadata.annotations[TRACKING_ANNOTATION];
  }
  for (const field of ['annotations', 'labels'] as const) {
    const value = metadata[field];
    if (value === null || (isJsonObject(value) && Object.keys(value).length === 0)) delete metadata[field];
  }
  const group = groupOf(obj.apiVersion);
  if (group === '' && obj.kind === 'Secret') normalizeSecret(out);
  if (group === 'rbac.authorization.k8s.io' && (obj.kind === 'Role' || obj.kind === 'ClusterRole')) {
    // The API server drops an empty rules list; an explicit [] in git is not drift.
    if (Array.isArray(out.rules) && out.rules.length === 0) delete out.rules;
  }
  return out as unknown as KubeObject;
}

/** Folds `stringData` into base64 `data` (stringData wins) and turns null values into "". */
export function normalizeSecret(secret: JsonObject): void {
  const data: JsonObject = isJsonObject(secret.data) ? { ...secret.data } : {};
  for (const [k, v] of Object.entries(data)) if (v === null) data[k] = '';
  if (isJsonObject(secret.stringData)) {
    for (const [k, v] of Object.entries(secret.stringData)) {
      data[k] = Buffer.from(typeof v === 'string' ? v : v === null ? '' : JSON.stringify(v), 'utf8').toString(
        'base64',
      );
    }
  }
  delete secret.stringData;
  if (isJsonObject(secret.data) || Object.keys(data).length > 0) secret.data = data;
}
