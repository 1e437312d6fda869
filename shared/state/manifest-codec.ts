/**
 * How manifests are stored: canonical JSON (sorted keys, so equal objects hash equally), a sha256
 * content hash, gzip for the bytes. Secrets are masked before any of that: values of `data` and
 * `stringData` (and the last-applied annotation, which repeats them) are replaced, and only a hash
 * of the values is kept so a changed Secret still changes the content hash.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeObject } from '../model/kube-object.js';

export const SECRET_MASK = '++++++++';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== undefined) sorted[key] = sortKeys(child);
    }
    return sorted;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function gzipJson(value: unknown): Uint8Array {
  return gzipSync(Buffer.from(JSON.stringify(value), 'utf8'));
}

export function gunzipJson(bytes: Uint8Array): unknown {
  return JSON.parse(gunzipSync(bytes).toString('utf8'));
}

export function isSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && obj.apiVersion === 'v1';
}

/** A manifest ready to store: masked if a Secret, with its hashes. */
export interface EncodedManifest {
  readonly object: KubeObject;
  readonly hash: string;
  readonly secretHash?: string;
}

export function encodeManifest(obj: KubeObject): EncodedManifest {
  if (!isSecret(obj)) return { object: obj, hash: sha256(canonicalJson(obj)) };
  const secretHash = sha256(canonicalJson({ data: obj.data ?? null, stringData: obj.stringData ?? null }));
  const masked = maskSecret(obj);
  return { object: masked, hash: sha256(`${canonicalJson(masked)}\n${secretHash}`), secretHash };
}

function maskSecret(obj: KubeObject): KubeObject {
  const masked: KubeObject = { ...obj, metadata: { ...obj.metadata } };
  for (const field of ['data', 'stringData'] as const) {
    const values = obj[field];
    if (values !== null && typeof values === 'object') {
      masked[field] = Object.fromEntries(Object.keys(values).map((k) => [k, SECRET_MASK]));
    } else if (values !== undefined) {
      masked[field] = SECRET_MASK;
    }
  }
  const annotations = obj.metadata.annotations;
  if (annotations && LAST_APPLIED in annotations) {
    masked.metadata.annotations = { ...annotations, [LAST_APPLIED]: SECRET_MASK };
  }
  return masked;
}
