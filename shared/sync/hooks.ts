/**
 * Hooks: resources annotated `argocd.argoproj.io/hook` (a comma-separated list of PreSync, Sync,
 * PostSync, SyncFail, Skip) or, failing that, Helm's `helm.sh/hook` mapped as Argo CD maps it
 * (pre-install/pre-upgrade → PreSync, post-install/post-upgrade → PostSync). A hook is created
 * fresh for each operation in each of its phases; `Skip` alone means "never applied". A hook
 * annotation naming no known phase (Helm `test`, `PostDelete`...) leaves the object out of the
 * sync entirely.
 */
import type { KubeObject } from '../model/kube-object.js';
import {
  ANNOTATION_HOOK,
  ANNOTATION_HOOK_DELETE_POLICY,
  annotationCsv,
  annotationOf,
  HELM_HOOK,
  HELM_HOOK_DELETE_POLICY,
} from './annotations.js';
import type { HookDeletePolicy, HookType, SyncPhase } from './types.js';

const HOOK_TYPES: readonly string[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip'];

const HELM_HOOK_TYPES: Readonly<Record<string, HookType>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-upgrade': 'PostSync',
  'post-install': 'PostSync',
};

const HELM_DELETE_POLICIES: Readonly<Record<string, HookDeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

const DELETE_POLICIES: readonly string[] = ['HookSucceeded', 'HookFailed', 'BeforeHookCreation'];

/** Hook types; Helm's annotation is only read when the Argo CD one names no known type. */
export function hookTypes(obj: KubeObject): HookType[] {
  const types = annotationCsv(obj, ANNOTATION_HOOK).filter((t): t is HookType => HOOK_TYPES.includes(t));
  if (types.length > 0) return types;
  const helm: HookType[] = [];
  for (const t of annotationCsv(obj, HELM_HOOK)) {
    const mapped = HELM_HOOK_TYPES[t];
    if (mapped !== undefined) helm.push(mapped);
  }
  return helm;
}

/** `Skip` as the only hook type: the resource is rendered but never applied. */
export function isSkipped(obj: KubeObject): boolean {
  const types = hookTypes(obj);
  return types.includes('Skip') && types.length === 1;
}

export function isHook(obj: KubeObject): boolean {
  if (annotationOf(obj, ANNOTATION_HOOK) !== undefined) return !isSkipped(obj);
  const helm = annotationOf(obj, HELM_HOOK);
  // Helm marks CRDs with the same annotation; they are not hooks.
  return helm !== undefined && helm !== 'crd-install';
}

/** A hook whose annotation names no phase Driftless runs: left out of the sync. */
export function isIgnored(obj: KubeObject): boolean {
  return isHook(obj) && hookTypes(obj).length === 0;
}

/** The phases an object takes part in: none when skipped, its hook phases, or Sync. */
export function syncPhases(obj: KubeObject): SyncPhase[] {
  if (isSkipped(obj)) return [];
  if (!isHook(obj)) return ['Sync'];
  const phases: SyncPhase[] = [];
  for (const t of hookTypes(obj)) if (t !== 'Skip' && !phases.includes(t)) phases.push(t);
  return phases;
}

/** Delete policies, Argo CD's and Helm's together; BeforeHookCreation when none is given. */
export function hookDeletePolicies(obj: KubeObject): HookDeletePolicy[] {
  const policies: HookDeletePolicy[] = annotationCsv(obj, ANNOTATION_HOOK_DELETE_POLICY).filter(
    (p): p is HookDeletePolicy => DELETE_POLICIES.includes(p),
  );
  for (const p of annotationCsv(obj, HELM_HOOK_DELETE_POLICY)) {
    const mapped = HELM_DELETE_POLICIES[p];
    if (mapped !== undefined) policies.push(mapped);
  }
  return policies.length > 0 ? policies : ['BeforeHookCreation'];
}

export interface HookNameOptions {
  readonly hook: KubeObject;
  readonly phase: SyncPhase;
  readonly revision: string;
  readonly attemptStartedAt: Date;
}

/**
 * The name a hook instance gets: its own name, or generateName + `<rev7>-<phase>-<unix seconds>`
 * lower-cased, so names are deterministic for an attempt and fresh for the next one.
 */
export function hookInstanceName({ hook, phase, revision, attemptStartedAt }: HookNameOptions): string {
  const name = hook.metadata.name;
  if (name !== undefined && name !== '') return name;
  const rev = revision.length >= 8 ? revision.slice(0, 7) : revision;
  const seconds = Math.floor(attemptStartedAt.getTime() / 1000);
  return `${hook.metadata.generateName ?? ''}${`${rev}-${phase}-${seconds}`.toLowerCase()}`;
}
