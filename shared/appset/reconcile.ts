/**
 * What to do with the Applications in the cluster given a fresh, successful generation, under
 * `syncPolicy.applicationsSync` (Argo CD's ApplicationsSyncPolicy): `create-only` creates,
 * `create-update` also updates, `create-delete` also deletes, `sync` (the default) does all three.
 * An Application belongs to the ApplicationSet when it has a controller ownerReference to it.
 * Applications of the same name owned by someone else are conflicts, never touched. Updates
 * take spec, labels, annotations and finalizers from the generated Application, keeping the
 * annotations Argo CD preserves. With `preserveResourcesOnDeletion`, Applications to delete come
 * without the resources finalizer: the caller removes it first, so their resources stay.
 * Pure: call it only with an `ok` generation, so a failed generator never deletes anything.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Application, ApplicationSet } from '../model/index.js';
import { RESOURCES_FINALIZER } from './template/render.js';

export type ApplicationsSyncPolicy = 'create-only' | 'create-update' | 'create-delete' | 'sync';

/** Annotations an update leaves as they are in the cluster (notifications state, refresh and hydrate requests). */
export const PRESERVED_ANNOTATIONS: readonly string[] = [
  'notified.notifications.argoproj.io',
  'argocd.argoproj.io/refresh',
  'argocd.argoproj.io/hydrate',
];

export interface ReconcileOptions {
  readonly appSet: ApplicationSet;
  readonly existing: readonly Application[];
  readonly generated: readonly Application[];
  /** Overrides `spec.syncPolicy.applicationsSync` (a controller-wide policy, say). */
  readonly policy?: ApplicationsSyncPolicy;
}

export interface ReconcilePlan {
  readonly create: readonly Application[];
  /** The existing Applications as they should be written. */
  readonly update: readonly Application[];
  /** Owned Applications no longer generated; finalizer already removed when resources are preserved. */
  readonly delete: readonly Application[];
  /** Owned Applications left as they are (unchanged, or the policy forbids the change). */
  readonly keep: readonly Application[];
  /** Generated names taken by an Application this ApplicationSet does not own. */
  readonly conflicts: readonly { readonly name: string; readonly message: string }[];
}

export function reconcileGenerated(options: ReconcileOptions): ReconcilePlan {
  const { appSet } = options;
  const policy = options.policy ?? policyOf(appSet);
  const allowUpdate = policy === 'create-update' || policy === 'sync';
  const allowDelete = policy === 'create-delete' || policy === 'sync';
  const preserve = appSet.spec.syncPolicy?.preserveResourcesOnDeletion === true;
  const existingByName = new Map(options.existing.map((app) => [app.metadata.name, app]));
  const generatedNames = new Set(options.generated.map((app) => app.metadata.name));

  const create: Application[] = [];
  const update: Application[] = [];
  const del: Application[] = [];
  const keep: Application[] = [];
  const conflicts: { name: string; message: string }[] = [];

  for (const generated of options.generated) {
    const name = generated.metadata.name;
    const current = existingByName.get(name);
    if (!current) {
      create.push(generated);
      continue;
    }
    if (!isOwnedBy(current, appSet)) {
      conflicts.push({
        name,
        message: `Application ${name} exists and is not owned by ApplicationSet ${appSet.metadata.name}`,
      });
      continue;
    }
    const desired = updated(current, generated);
    if (!allowUpdate || isDeepStrictEqual(comparable(current), comparable(desired))) keep.push(current);
    else update.push(desired);
  }
  for (const current of options.existing) {
    if (generatedNames.has(current.metadata.name) || !isOwnedBy(current, appSet)) continue;
    if (!allowDelete) {
      keep.push(current);
      continue;
    }
    del.push(preserve ? withoutResourcesFinalizer(current) : current);
  }
  return { create, update, delete: del, keep, conflicts };
}

export function policyOf(appSet: ApplicationSet): ApplicationsSyncPolicy {
  const policy = appSet.spec.syncPolicy?.applicationsSync;
  return policy === 'create-only' || policy === 'create-update' || policy === 'create-delete'
    ? policy
    : 'sync';
}

/** A controller ownerReference to this ApplicationSet (by uid when both sides have one). */
export function isOwnedBy(app: Application, appSet: ApplicationSet): boolean {
  return (app.metadata.ownerReferences ?? []).some(
    (ref) =>
      ref.kind === 'ApplicationSet' &&
      ref.controller === true &&
      ref.name === appSet.metadata.name &&
      (!ref.uid || !appSet.metadata.uid || ref.uid === appSet.metadata.uid),
  );
}

function updated(current: Application, generated: Application): Application {
  const annotations: Record<string, string> = { ...(generated.metadata.annotations ?? {}) };
  for (const key of PRESERVED_ANNOTATIONS) {
    const value = current.metadata.annotations?.[key];
    if (value !== undefined) annotations[key] = value;
  }
  const metadata = { ...current.metadata };
  setOrDelete(metadata, 'annotations', Object.keys(annotations).length > 0 ? annotations : undefined);
  setOrDelete(metadata, 'labels', generated.metadata.labels);
  setOrDelete(metadata, 'finalizers', generated.metadata.finalizers);
  setOrDelete(metadata, 'ownerReferences', generated.metadata.ownerReferences);
  return { ...current, metadata, spec: structuredClone(generated.spec) };
}

function setOrDelete(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = structuredClone(value);
}

function comparable(app: Application): unknown {
  const { labels, annotations, finalizers, ownerReferences } = app.metadata;
  return {
    labels: labels ?? {},
    annotations: annotations ?? {},
    finalizers: finalizers ?? [],
    ownerReferences,
    spec: app.spec,
  };
}

function withoutResourcesFinalizer(app: Application): Application {
  const finalizers = (app.metadata.finalizers ?? []).filter((f) => f !== RESOURCES_FINALIZER);
  const metadata = { ...app.metadata };
  if (finalizers.length > 0) metadata.finalizers = finalizers;
  else delete metadata.finalizers;
  return { ...app, metadata };
}
