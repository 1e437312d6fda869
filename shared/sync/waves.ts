/**
 * Sync waves. A resource's wave is its `argocd.argoproj.io/sync-wave` annotation (an integer), else
 * Helm's `helm.sh/hook-weight`, else 0. Pruning runs in the mirror image of creation: the prune
 * waves are swapped symmetrically (the lowest with the highest...), and PruneLast moves a prune
 * after the last Sync-phase wave.
 */
import type { KubeObject } from '../model/kube-object.js';
import { ANNOTATION_SYNC_WAVE, annotationOf, HELM_HOOK_WEIGHT } from './annotations.js';

/** Go's strconv.Atoi: optional sign, decimal digits, nothing else. */
function parseGoInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number.parseInt(text, 10);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function waveOf(obj: KubeObject): number {
  return (
    parseGoInt(annotationOf(obj, ANNOTATION_SYNC_WAVE)) ??
    parseGoInt(annotationOf(obj, HELM_HOOK_WEIGHT)) ??
    0
  );
}

/**
 * Maps each prune wave to the wave it runs in: with prune waves w1 < w2 < … < wn, wi runs in
 * w(n+1-i), so what was created first is deleted last.
 */
export function reversedPruneWaves(waves: Iterable<number>): Map<number, number> {
  const unique = [...new Set(waves)].sort((a, b) => a - b);
  const mapping = new Map<number, number>();
  unique.forEach((wave, i) => {
    mapping.set(wave, unique[unique.length - 1 - i]!);
  });
  return mapping;
}
