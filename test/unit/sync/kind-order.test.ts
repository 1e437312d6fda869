import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../shared/model/kube-object.js';
import { KIND_ORDER, type Orderable, sortTasks } from '../../../shared/sync/kind-order.js';
import type { SyncPhase } from '../../../shared/sync/types.js';
import { obj } from './fixtures.js';

function task(o: KubeObject, phase: SyncPhase = 'Sync', wave = 0): Orderable {
  return { phase, wave, target: o, obj: o };
}

const names = (tasks: Orderable[]): string[] => tasks.map((t) => `${t.obj.kind}/${t.obj.metadata.name}`);

describe('sync order', () => {
  it('orders every listed kind as Helm install order, unknown kinds last', () => {
    const kinds = [...KIND_ORDER, 'Widget', 'Application'].reverse();
    const sorted = sortTasks(kinds.map((k) => task(obj('v1', k, 'x'))));
    expect(sorted.map((t) => t.obj.kind)).toEqual([...KIND_ORDER, 'Application', 'Widget']);
    expect(KIND_ORDER).toHaveLength(35);
    expect(KIND_ORDER.slice(0, 3)).toEqual(['Namespace', 'NetworkPolicy', 'ResourceQuota']);
    expect(KIND_ORDER.at(-1)).toBe('APIService');
  });

  it('sorts by phase, then wave, then kind, then name', () => {
    const sorted = sortTasks([
      task(obj('v1', 'ConfigMap', 'b'), 'PostSync'),
      task(obj('apps/v1', 'Deployment', 'a'), 'Sync', -1),
      task(obj('v1', 'ConfigMap', 'b')),
      task(obj('v1', 'ConfigMap', 'a')),
      task(obj('batch/v1', 'Job', 'migrate'), 'PreSync', 5),
      task(obj('batch/v1', 'Job', 'notify'), 'SyncFail', -10),
      task(obj('v1', 'Service', 'a'), 'Sync', 1),
    ]);
    expect(sorted.map((t) => `${t.phase}/${t.wave}/${t.obj.kind}/${t.obj.metadata.name}`)).toEqual([
      'PreSync/5/Job/migrate',
      'Sync/-1/Deployment/a',
      'Sync/0/ConfigMap/a',
      'Sync/0/ConfigMap/b',
      'Sync/1/Service/a',
      'PostSync/0/ConfigMap/b',
      'SyncFail/-10/Job/notify',
    ]);
  });

  it('moves a Namespace before the first resource in it, taking its phase and wave', () => {
    const sorted = sortTasks([
      task(obj('v1', 'ConfigMap', 'cfg', { namespace: 'team' }), 'Sync', -5),
      task(obj('v1', 'Namespace', 'team'), 'Sync', 3),
    ]);
    expect(names(sorted)).toEqual(['Namespace/team', 'ConfigMap/cfg']);
    expect(sorted[0]).toMatchObject({ phase: 'Sync', wave: -5 });
  });

  it('moves a CRD before the first custom resource of its group/kind', () => {
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    });
    const sorted = sortTasks([task(obj('example.com/v1', 'Widget', 'w'), 'Sync', 0), task(crd, 'Sync', 2)]);
    expect(names(sorted)).toEqual(['CustomResourceDefinition/widgets.example.com', 'Widget/w']);
    expect(sorted[0]!.wave).toBe(0);
  });

  it('leaves a CRD in place when its resources come later anyway', () => {
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
      spec: { group: 'example.com', names: { kind: 'Widget' } },
    });
    const sorted = sortTasks([task(obj('example.com/v1', 'Widget', 'w'), 'Sync', 1), task(crd, 'Sync', 0)]);
    expect(names(sorted)).toEqual(['CustomResourceDefinition/widgets.example.com', 'Widget/w']);
    expect(sorted[0]!.wave).toBe(0);
  });
});
