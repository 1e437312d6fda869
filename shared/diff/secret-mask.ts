/**
 * Hides Secret values from every diff output, as Argo CD's HideSecretData does: each value becomes
 * a run of `+`. Per key, the first distinct value gets 8, the next 12, and so on, across desired
 * then live, so equal values get equal masks and a change stays visible without revealing either
 * side. Inputs are expected to be normalised already (stringData folded into data).
 */
import { groupOf, type KubeObject } from '../model/index.js';
import { cloneJson, isJsonObject, type JsonObject } from './json-value.js';
import { normalizeSecret } from './normalize.js';

export interface MaskedPair {
  readonly desired?: KubeObject;
  readonly live?: KubeObject;
}

export function isSecret(obj: KubeObject | undefined): boolean {
  return obj !== undefined && groupOf(obj.apiVersion) === '' && obj.kind === 'Secret';
}

/** Masked copies of both sides; objects that are not Secrets are returned as copies unchanged. */
export function maskSecretPair(pair: MaskedPair): MaskedPair {
  const sides = [pair.desired, pair.live].map((o) => (o === undefined ? undefined : cloneJson(o)));
  const secrets = sides.filter((o): o is KubeObject => o !== undefined && isSecret(o));
  // Folding again is a no-op on normalised input and keeps raw stringData out of any output.
  for (const s of secrets) normalizeSecret(s as unknown as JsonObject);
  const dataOf = (o: KubeObject): JsonObject | undefined => (isJsonObject(o.data) ? o.data : undefined);
  const keys = new Set<string>();
  for (const s of secrets) for (const k of Object.keys(dataOf(s) ?? {})) keys.add(k);
  for (const key of keys) {
    let next = '++++++++';
    const maskByValue = new Map<string, string>();
    for (const s of secrets) {
      const data = dataOf(s);
      if (data === undefined || !Object.hasOwn(data, key)) continue;
      const raw = data[key];
      const value = typeof raw === 'string' ? raw : JSON.stringify(raw ?? '');
      let mask = maskByValue.get(value);
      if (mask === undefined) {
        mask = next;
        next += '++++';
        maskByValue.set(value, mask);
      }
      data[key] = mask;
    }
  }
  return { desired: sides[0], live: sides[1] };
}
