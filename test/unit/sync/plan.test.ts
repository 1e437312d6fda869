import { describe, expect, it } from 'vitest';
import { type KubeObject, keyOf, keyString } from '../../../shared/model/kube-object.js';
import { beginOperation } from '../../../shared/sync/begin.js';
import { type PlanInput, planOperation } from '../../../shared/sync/plan.js';
import { prepareDesired } from '../../../shared/sync/prepare.js';
import { formatTrackingId, trackingIdFor, withTrackingId } from '../../../shared/sync/tracking.js';
import type { InventoryItem, TaskState } from '../../../shared/sync/types.js';
import { FakeClock } from '../../support/fake-clock.js';
import { app, obj } from './fixtures.js';

const clock = new FakeClock({ start: '2026-01-02T03:04:05Z' });
const REV = '0123456789abcdef0123456789abcdef01234567';

function tracked(o: KubeObject, appName = 'web'): KubeObject {
  return withTrackingId(o, trackingIdFor(o, appName, 'prod'));
}

interface Scenario {
  readonly application?: ReturnType<typeof app>;
  readonly desired?: KubeObject[];
  readonly live?: KubeObject[];
  readonly inventory?: KubeObject[];
  readonly automated?: boolean;
  readonly prune?: boolean;
  readonly syncOptions?: string[];
  readonly namespaceLive?: KubeObject;
  readonly isSynced?: PlanInput['isSynced'];
}

function plan(s: Scenario) {
  const application = s.application ?? app();
  const operation = beginOperation({
    app: application,
    revision: REV,
    clock,
    initiatedBy: s.automated ? 'automated' : 'manual',
    prune: s.prune ?? true,
    ...(s.syncOptions === undefined ? {} : { syncOptions: s.syncOptions }),
  });
  const desired = prepareDesired({
    desired: s.desired ?? [],
    appName: 'web',
    destinationNamespace: 'prod',
    isNamespaced: (_v, kind) => !['Namespace', 'ClusterRole', 'CustomResourceDefinition'].includes(kind),
  });
  const inventory: InventoryItem[] = (s.inventory ?? []).map((o) => ({
    apiVersion: o.apiVersion,
    key: keyOf(o),
  }));
  return planOperation({
    app: application,
    appName: 'web',
    operation,
    desired,
    live: new Map((s.live ?? []).map((o) => [keyString(keyOf(o)), o])),
    inventory,
    ...(s.namespaceLive === undefined ? {} : { destinationNamespaceLive: s.namespaceLive }),
    ...(s.isSynced === undefined ? {} : { isSynced: s.isSynced }),
  });
}

function tasksOf(outcome: ReturnType<typeof plan>): readonly TaskState[] {
  if (outcome.kind !== 'planned') throw new Error(`expected a plan, got: ${outcome.message}`);
  return outcome.tasks;
}

const ids = (tasks: readonly TaskState[]) => tasks.map((t) => `${t.kind} ${t.id}`);

describe('planOperation', () => {
  it('puts hooks in their phases with generated names and resources in Sync', () => {
    const tasks = tasksOf(
      plan({
        desired: [
          obj('apps/v1', 'Deployment', 'web'),
          obj('batch/v1', 'Job', 'schema', { annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }),
          {
            ...obj('batch/v1', 'Job', ''),
            metadata: {
              generateName: 'migrate-',
              annotations: { 'argocd.argoproj.io/hook': 'PreSync,PostSync' },
            },
          },
          obj('batch/v1', 'Job', 'smoke', {
            annotations: { 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '3' },
          }),
          obj('batch/v1', 'Job', 'alert', { annotations: { 'argocd.argoproj.io/hook': 'SyncFail' } }),
          obj('v1', 'ConfigMap', 'skipped', { annotations: { 'argocd.argoproj.io/hook': 'Skip' } }),
          obj('batch/v1', 'Job', 'helm-test', { annotations: { 'helm.sh/hook': 'test' } }),
        ],
      }),
    );
    expect(ids(tasks)).toEqual([
      'hook PreSync/0/batch/Job/prod/migrate-0123456-presync-1767323045',
      'hook PreSync/0/batch/Job/prod/schema',
      'apply Sync/0/apps/Deployment/prod/web',
      'hook PostSync/0/batch/Job/prod/migrate-0123456-postsync-1767323045',
      'hook PostSync/3/batch/Job/prod/smoke',
      'hook SyncFail/0/batch/Job/prod/alert',
    ]);
    expect(tasks.find((t) => t.key.name === 'smoke')?.deletePolicies).toEqual(['BeforeHookCreation']);
  });

  it('prunes only owned inventory objects the app no longer renders, in mirrored waves', () => {
    const wave = (n: string) => ({ 'argocd.argoproj.io/sync-wave': n });
    const early = tracked(obj('v1', 'ConfigMap', 'early', { namespace: 'prod', annotations: wave('-1') }));
    const late = tracked(obj('v1', 'Secret', 'late', { namespace: 'prod', annotations: wave('5') }));
    const untracked = obj('v1', 'Service', 'legacy', { namespace: 'prod' });
    const foreign = tracked(obj('v1', 'ConfigMap', 'shared', { namespace: 'prod' }), 'billing');
    const copied = withTrackingId(obj('v1', 'ConfigMap', 'copy', { namespace: 'prod' }), {
      app: 'web',
      group: '',
      kind: 'ConfigMap',
      namespace: 'prod',
      name: 'original',
    });
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com');
    const gone = obj('v1', 'ConfigMap', 'gone', { namespace: 'prod' });
    const kept = obj('v1', 'ConfigMap', 'kept', { namespace: 'prod' });
    const live = [early, late, untracked, foreign, copied, crd, tracked(kept)];
    const tasks = tasksOf(
      plan({
        desired: [obj('v1', 'ConfigMap', 'kept', { annotations: wave('2') })],
        live,
        inventory: [...live, gone],
      }),
    );
    expect(ids(tasks)).toEqual([
      'prune Sync/-1//Secret/prod/late',
      'prune Sync/0//Service/prod/legacy',
      'apply Sync/2//ConfigMap/prod/kept',
      'prune Sync/5//ConfigMap/prod/early',
    ]);
  });

  it('PruneLast moves prunes after the last Sync wave', () => {
    const stale = tracked(obj('v1', 'ConfigMap', 'stale', { namespace: 'prod' }));
    const tasks = tasksOf(
      plan({
        desired: [
          obj('apps/v1', 'Deployment', 'web', { annotations: { 'argocd.argoproj.io/sync-wave': '4' } }),
        ],
        live: [stale],
        inventory: [stale],
        syncOptions: ['PruneLast=true'],
      }),
    );
    expect(ids(tasks)).toEqual([
      'apply Sync/4/apps/Deployment/prod/web',
      'prune Sync/5//ConfigMap/prod/stale',
    ]);
  });

  it('refuses an automated prune down to zero resources unless allowEmpty', () => {
    const stale = tracked(obj('v1', 'ConfigMap', 'stale', { namespace: 'prod' }));
    const automated = (allowEmpty: boolean) =>
      app({ syncPolicy: { automated: { prune: true, allowEmpty } } });
    const refused = plan({
      application: automated(false),
      automated: true,
      live: [stale],
      inventory: [stale],
    });
    expect(refused).toEqual({
      kind: 'refused',
      retryable: false,
      message: `Skipping sync attempt to ${REV}: auto-sync will wipe out all resources`,
    });
    const allowed = plan({
      application: automated(true),
      automated: true,
      live: [stale],
      inventory: [stale],
    });
    expect(ids(tasksOf(allowed))).toEqual(['prune Sync/0//ConfigMap/prod/stale']);
  });

  it('FailOnSharedResource refuses when a desired object is tracked by another app', () => {
    const shared = tracked(obj('v1', 'ConfigMap', 'settings', { namespace: 'prod' }), 'billing');
    const desired = [obj('v1', 'ConfigMap', 'settings')];
    expect(plan({ desired, live: [shared], syncOptions: ['FailOnSharedResource=true'] })).toEqual({
      kind: 'refused',
      retryable: true,
      message: 'Shared resource found: ConfigMap/settings is part of applications argocd/web and billing',
    });
    expect(ids(tasksOf(plan({ desired, live: [shared] })))).toEqual([
      'apply Sync/0//ConfigMap/prod/settings',
    ]);
  });

  it('CreateNamespace adds the destination namespace unless it exists or is rendered', () => {
    const withNs = plan({ desired: [obj('v1', 'ConfigMap', 'a')], syncOptions: ['CreateNamespace=true'] });
    expect(ids(tasksOf(withNs))).toEqual([
      'namespace PreSync/0//Namespace//prod',
      'apply Sync/0//ConfigMap/prod/a',
    ]);
    const exists = plan({
      desired: [obj('v1', 'ConfigMap', 'a')],
      syncOptions: ['CreateNamespace=true'],
      namespaceLive: obj('v1', 'Namespace', 'prod'),
    });
    expect(ids(tasksOf(exists))).toEqual(['apply Sync/0//ConfigMap/prod/a']);
    const managed = plan({
      application: app({ syncPolicy: { managedNamespaceMetadata: { labels: { team: 'a' } } } }),
      desired: [obj('v1', 'ConfigMap', 'a')],
      syncOptions: ['CreateNamespace=true'],
      namespaceLive: obj('v1', 'Namespace', 'prod'),
    });
    expect(ids(tasksOf(managed))[0]).toBe('namespace PreSync/0//Namespace//prod');
  });

  it('ApplyOutOfSyncOnly marks Synced resources as done without applying them', () => {
    const live = tracked(obj('v1', 'ConfigMap', 'same', { namespace: 'prod' }));
    const tasks = tasksOf(
      plan({
        desired: [obj('v1', 'ConfigMap', 'same'), obj('v1', 'ConfigMap', 'changed')],
        live: [live],
        syncOptions: ['ApplyOutOfSyncOnly=true'],
        isSynced: (key) => key.name === 'same' || key.name === 'changed',
      }),
    );
    expect(tasks.map((t) => [t.key.name, t.skipped === true, t.operation])).toEqual([
      ['changed', false, undefined],
      ['same', true, 'Succeeded'],
    ]);
  });
});

describe('prepareDesired', () => {
  it('defaults namespaces, clears them on cluster-scoped kinds, and tracks everything but CRDs', () => {
    const prepared = prepareDesired({
      desired: [
        obj('v1', 'ConfigMap', 'a'),
        obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', { namespace: 'oops' }),
        obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
          spec: { group: 'example.com', names: { kind: 'Widget' }, scope: 'Cluster' },
        }),
        obj('example.com/v1', 'Widget', 'w'),
      ],
      appName: 'web',
      destinationNamespace: 'prod',
      isNamespaced: (_v, kind) =>
        kind === 'ConfigMap' ? true : kind === 'Widget' ? undefined : kind !== 'ClusterRole' && false,
    });
    expect(
      prepared.map((p) => [
        p.obj.metadata.namespace ?? '',
        p.obj.metadata.annotations?.['argocd.argoproj.io/tracking-id'] ?? '(none)',
      ]),
    ).toEqual([
      ['prod', 'web:/ConfigMap:prod/a'],
      ['', 'web:rbac.authorization.k8s.io/ClusterRole:prod/reader'],
      ['', '(none)'],
      ['', 'web:example.com/Widget:prod/w'],
    ]);
    expect(formatTrackingId({ app: 'web', group: '', kind: 'Namespace', namespace: '', name: 'x' })).toBe(
      'web:/Namespace:/x',
    );
  });
});
