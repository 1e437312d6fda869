import { describe, expect, it } from 'vitest';
import {
  type ApplicationsSyncPolicy,
  ownerReferenceTo,
  RESOURCES_FINALIZER,
  reconcileGenerated,
} from '../../../shared/appset/index.js';
import type { Application, ApplicationSet } from '../../../shared/model/index.js';

function appSet(syncPolicy?: ApplicationSet['spec']['syncPolicy']): ApplicationSet {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'apps', namespace: 'argocd', uid: 'uid-1' },
    spec: { generators: [], template: {}, ...(syncPolicy ? { syncPolicy } : {}) },
  };
}

function app(
  name: string,
  options: { path?: string; owner?: string; annotations?: Record<string, string> } = {},
) {
  const owner = options.owner ?? 'apps';
  const application: Application = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: 'argocd',
      finalizers: [RESOURCES_FINALIZER],
      ...(options.annotations ? { annotations: options.annotations } : {}),
      ...(owner === 'none'
        ? {}
        : { ownerReferences: [ownerReferenceTo({ ...appSet(), metadata: { name: owner, uid: 'uid-1' } })] }),
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://git.example.com/org/config.git',
        targetRevision: 'HEAD',
        path: options.path ?? `apps/${name}`,
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
    },
  };
  return application;
}

const names = (apps: readonly Application[]) => apps.map((a) => a.metadata.name);

// existing: keep (unchanged), changed (new path), gone (no longer generated); generated adds new.
const existing = [app('keep'), app('changed'), app('gone')];
const generated = [app('keep'), app('changed', { path: 'apps/changed-v2' }), app('new')];

describe('reconcileGenerated policy table', () => {
  it.each<[ApplicationsSyncPolicy | undefined, string[], string[], string[], string[]]>([
    // policy, create, update, delete, keep
    [undefined, ['new'], ['changed'], ['gone'], ['keep']],
    ['sync', ['new'], ['changed'], ['gone'], ['keep']],
    ['create-only', ['new'], [], [], ['keep', 'changed', 'gone']],
    ['create-update', ['new'], ['changed'], [], ['keep', 'gone']],
    ['create-delete', ['new'], [], ['gone'], ['keep', 'changed']],
  ])('applicationsSync %s', (policy, create, update, del, keep) => {
    const plan = reconcileGenerated({
      appSet: appSet(policy ? { applicationsSync: policy } : undefined),
      existing,
      generated,
    });
    expect([names(plan.create), names(plan.update), names(plan.delete), names(plan.keep)]).toEqual([
      create,
      update,
      del,
      keep,
    ]);
    expect(plan.conflicts).toEqual([]);
  });

  it('an explicit policy overrides the ApplicationSet', () => {
    const plan = reconcileGenerated({
      appSet: appSet({ applicationsSync: 'sync' }),
      existing,
      generated,
      policy: 'create-only',
    });
    expect(names(plan.delete)).toEqual([]);
  });

  it('updates carry the generated spec and keep preserved annotations', () => {
    const current = app('changed', {
      annotations: { 'notified.notifications.argoproj.io': '{}', stale: 'x' },
    });
    const plan = reconcileGenerated({
      appSet: appSet(),
      existing: [current],
      generated: [app('changed', { path: 'v2' })],
    });
    expect(plan.update[0]?.spec.source?.path).toBe('v2');
    expect(plan.update[0]?.metadata.annotations).toEqual({ 'notified.notifications.argoproj.io': '{}' });
  });

  it('never touches Applications it does not own, and reports name conflicts', () => {
    const plan = reconcileGenerated({
      appSet: appSet(),
      existing: [app('taken', { owner: 'other' }), app('hand-made', { owner: 'none' })],
      generated: [app('taken')],
    });
    expect(plan.conflicts).toEqual([
      { name: 'taken', message: 'Application taken exists and is not owned by ApplicationSet apps' },
    ]);
    expect([plan.create, plan.update, plan.delete, plan.keep].map((l) => l.length)).toEqual([0, 0, 0, 0]);
  });

  it('preserveResourcesOnDeletion deletes Applications without the resources finalizer', () => {
    const gone = app('gone');
    gone.metadata.finalizers = ['example.com/other', RESOURCES_FINALIZER];
    const preserve = reconcileGenerated({
      appSet: appSet({ preserveResourcesOnDeletion: true }),
      existing: [gone],
      generated: [],
    });
    expect(preserve.delete[0]?.metadata.finalizers).toEqual(['example.com/other']);
    const prune = reconcileGenerated({ appSet: appSet(), existing: [gone], generated: [] });
    expect(prune.delete[0]?.metadata.finalizers).toEqual(['example.com/other', RESOURCES_FINALIZER]);
  });
});
