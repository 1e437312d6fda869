/**
 * Which live objects are sync hooks, read from their annotations the way Argo CD reads them.
 * Health uses this twice: a hook Pod is never treated as long-running, and hooks are left out of
 * an application's health. An Argo CD hook annotation wins over Helm's; Helm's `crd-install` is
 * not a hook (Helm 2 used the same annotation to mark CRDs).
 */
import type { KubeObject } from '../model/index.js';

export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
export const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

export type HookType = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'Skip';

const ARGO_HOOK_TYPES: ReadonlySet<string> = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);

const HELM_HOOK_TYPES: ReadonlyMap<string, HookType> = new Map([
  ['pre-install', 'PreSync'],
  ['pre-upgrade', 'PreSync'],
  ['post-upgrade', 'PostSync'],
  ['post-install', 'PostSync'],
]);

function annotation(obj: KubeObject, key: string): string | undefined {
  const value = obj.metadata?.annotations?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Comma-separated values, trimmed, empties dropped, duplicates removed. */
function csv(value: string | undefined): readonly string[] {
  if (value === undefined) return [];
  return [...new Set(value.split(',').map((v) => v.trim()))].filter((v) => v !== '');
}

/** The recognised hook types; Helm's are used only when no Argo CD type is recognised. */
export function hookTypes(obj: KubeObject): readonly HookType[] {
  const argo = csv(annotation(obj, HOOK_ANNOTATION)).filter((t): t is HookType => ARGO_HOOK_TYPES.has(t));
  if (argo.length > 0) return argo;
  return csv(annotation(obj, HELM_HOOK_ANNOTATION)).flatMap((t) => {
    const mapped = HELM_HOOK_TYPES.get(t);
    return mapped === undefined ? [] : [mapped];
  });
}

/** A resource marked only `Skip`: applied by nobody, assessed by nobody. */
export function isSkipHook(obj: KubeObject): boolean {
  const types = hookTypes(obj);
  return types.includes('Skip') && types.length === 1;
}

/**
 * An Argo CD hook annotation makes a hook unless its only type is Skip, even when the value is
 * unrecognised; otherwise any Helm hook value except `crd-install` does.
 */
export function isHook(obj: KubeObject): boolean {
  if (annotation(obj, HOOK_ANNOTATION) !== undefined) return !isSkipHook(obj);
  const helm = annotation(obj, HELM_HOOK_ANNOTATION);
  return helm !== undefined && helm !== 'crd-install';
}

export function hasHookFinalizer(obj: KubeObject): boolean {
  return (obj.metadata?.finalizers ?? []).includes(HOOK_FINALIZER);
}
