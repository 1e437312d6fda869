/**
 * The annotations Argo CD reads from manifests, and how it reads comma-separated ones: split on
 * commas, trim, drop empties, de-duplicate.
 */
import type { KubeObject } from '../model/kube-object.js';

export const ANNOTATION_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const ANNOTATION_COMPARE_OPTIONS = 'argocd.argoproj.io/compare-options';
export const ANNOTATION_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const ANNOTATION_HOOK = 'argocd.argoproj.io/hook';
export const ANNOTATION_HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
export const ANNOTATION_TRACKING_ID = 'argocd.argoproj.io/tracking-id';
export const HELM_HOOK = 'helm.sh/hook';
export const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';
export const HELM_HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';
export const HELM_RESOURCE_POLICY = 'helm.sh/resource-policy';

export function annotationOf(obj: KubeObject | undefined, name: string): string | undefined {
  return obj?.metadata.annotations?.[name];
}

export function annotationCsv(obj: KubeObject | undefined, name: string): string[] {
  const raw = annotationOf(obj, name);
  if (raw === undefined) return [];
  const values: string[] = [];
  for (const item of raw.split(',')) {
    const value = item.trim();
    if (value !== '' && !values.includes(value)) values.push(value);
  }
  return values;
}

export function hasAnnotationOption(obj: KubeObject | undefined, name: string, option: string): boolean {
  return annotationCsv(obj, name).includes(option);
}
