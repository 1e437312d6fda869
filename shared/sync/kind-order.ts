/**
 * Execution order, exactly as Argo CD sorts sync tasks: phase (PreSync, Sync, PostSync, SyncFail)
 * → wave → kind (Helm's install order below; kinds not listed go last) → name. After sorting, a
 * Namespace is moved in front of the first task that lives in it, and a CRD in front of the first
 * custom resource of its group/kind; the moved task takes that task's phase and wave.
 */
import { groupOf, type KubeObject } from '../model/kube-object.js';
import type { SyncPhase } from './types.js';

export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const KIND_RANK = new Map(KIND_ORDER.map((kind, i) => [kind, i - KIND_ORDER.length]));

/** Negative for listed kinds, 0 (after all of them) for any other kind. */
export function kindRank(kind: string): number {
  return KIND_RANK.get(kind) ?? 0;
}

export const PHASE_ORDER: Readonly<Record<SyncPhase, number>> = {
  PreSync: -1,
  Sync: 0,
  PostSync: 1,
  SyncFail: 2,
};

/** What ordering needs of a task. Sorting may rewrite phase and wave (see moveDependencies). */
export interface Orderable {
  phase: SyncPhase;
  wave: number;
  /** The desired object, absent for prunes. */
  readonly target?: KubeObject;
  /** target, else the live object. */
  readonly obj: KubeObject;
}

export function compareTasks(a: Orderable, b: Orderable): number {
  return (
    PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] ||
    a.wave - b.wave ||
    kindRank(a.obj.kind) - kindRank(b.obj.kind) ||
    compareStrings(a.obj.metadata.name ?? '', b.obj.metadata.name ?? '')
  );
}

/** Byte order, as Go compares strings. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortTasks<T extends Orderable>(tasks: T[]): T[] {
  tasks.sort(compareTasks);
  moveDependencies(
    tasks,
    (obj) => (obj.kind === 'Namespace' && groupOf(obj.apiVersion) === '' ? obj.metadata.name : undefined),
    (obj) => (obj.metadata.namespace ? obj.metadata.namespace : undefined),
  );
  moveDependencies(tasks, crdGroupKind, (obj) => `${groupOf(obj.apiVersion)}/${obj.kind}`);
  return tasks;
}

export function isCrd(obj: KubeObject): boolean {
  return obj.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion) === 'apiextensions.k8s.io';
}

/** `group/Kind` a CRD defines, if it says. */
export function crdGroupKind(obj: KubeObject): string | undefined {
  if (!isCrd(obj)) return undefined;
  const spec = obj.spec as { group?: unknown; names?: { kind?: unknown } } | undefined;
  if (typeof spec?.group !== 'string' || typeof spec.names?.kind !== 'string') return undefined;
  return `${spec.group}/${spec.names.kind}`;
}

/**
 * Moves each dependency (a task whose target `provides` a key) in front of the first earlier task
 * that `needs` that key, giving it that task's phase and wave. Prunes neither provide nor need.
 */
function moveDependencies<T extends Orderable>(
  tasks: T[],
  provides: (obj: KubeObject) => string | undefined,
  needs: (obj: KubeObject) => string | undefined,
): void {
  const firstNeeding = new Map<string, number>();
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    if (task.target === undefined) continue;
    const provided = provides(task.target);
    if (provided !== undefined) {
      const index = firstNeeding.get(provided);
      if (index === undefined) continue;
      const anchor = tasks[index]!;
      task.wave = anchor.wave;
      task.phase = anchor.phase;
      tasks.splice(i, 1);
      tasks.splice(index, 0, task);
      for (const [key, first] of firstNeeding) if (first >= index) firstNeeding.set(key, first + 1);
      continue;
    }
    const needed = needs(task.target);
    if (needed !== undefined && !firstNeeding.has(needed)) firstNeeding.set(needed, i);
  }
}
