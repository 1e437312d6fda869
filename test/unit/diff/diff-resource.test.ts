import { describe, expect, it } from 'vitest';
import { diffResource, parseJsonPointer } from '../../../shared/diff/index.js';
import { isDriftlessError } from '../../../shared/errors/index.js';
import type { KubeObject, ResourceKey } from '../../../shared/model/index.js';
import { deepFreeze, deploymentKey, desiredDeployment, liveDeployment } from './fixtures.js';

const cmKey: ResourceKey = { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'settings' };

function configMap(fields: Record<string, unknown>): KubeObject {
  return deepFreeze({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, ...fields });
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('diffResource normalisation', () => {
  it('does not count the tracking or last-applied annotations, status or server metadata as drift', () => {
    const desired = configMap({ data: { a: '1' } });
    const live = configMap({
      metadata: {
        name: 'settings',
        namespace: 'shop',
        uid: 'u',
        resourceVersion: '9',
        generation: 1,
        creationTimestamp: '2026-01-01T00:00:00Z',
        selfLink: '/api/v1/namespaces/shop/configmaps/settings',
        annotations: {
          'argocd.argoproj.io/tracking-id': 'shop:/ConfigMap:shop/settings',
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"apiVersion":"v1","kind":"ConfigMap","data":{"a":"1"}}',
        },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'x' }],
      },
      data: { a: '1' },
      status: { anything: true },
    });
    const result = diffResource({ key: cmKey, desired, live });
    expect(result.status).toBe('Synced');
    expect(result.normalizedLive?.metadata).toEqual({ name: 'settings', namespace: 'shop' });
  });

  it('compares ownerReferences when desired declares them', () => {
    const refs = (name: string) => [{ apiVersion: 'v1', kind: 'ConfigMap', name, uid: 'x' }];
    const desired = configMap({ metadata: { name: 'settings', ownerReferences: refs('a') }, data: {} });
    const live = configMap({ metadata: { name: 'settings', ownerReferences: refs('b') }, data: {} });
    // Live's reference to b is not one desired or we manage, so only the missing one counts.
    expect(diffResource({ key: cmKey, desired, live }).changedPaths).toEqual([
      'metadata.ownerReferences[name=a]',
    ]);
    const withoutRefs = configMap({ data: {} });
    expect(diffResource({ key: cmKey, desired: withoutRefs, live }).status).toBe('Synced');
  });

  it('treats fields from last-applied-configuration that desired dropped as drift (client-side apply history)', () => {
    const desired = configMap({ data: { a: '1' } });
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1', gone: 'x' } });
    const live = configMap({
      metadata: {
        name: 'settings',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
      },
      data: { a: '1', gone: 'x', addedByOperator: 'y' },
    });
    expect(diffResource({ key: cmKey, desired, live }).changedPaths).toEqual(['data.gone']);
  });

  it('ignores an empty rules list on a Role, which the server drops', () => {
    const key: ResourceKey = {
      group: 'rbac.authorization.k8s.io',
      kind: 'Role',
      namespace: 'shop',
      name: 'r',
    };
    const role = (extra: Record<string, unknown>) =>
      deepFreeze({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'r' },
        ...extra,
      });
    expect(
      diffResource({ key, desired: role({ rules: [] }), live: role({}), predicted: role({}) }).status,
    ).toBe('Synced');
  });

  it('reports a container removed from git that we had applied', () => {
    const containers = [
      { name: 'web', image: 'nginx:1.27' },
      { name: 'old-sidecar', image: 'busybox:1.36' },
    ];
    const live = liveDeployment(desiredDeployment({ containers }));
    const result = diffResource({
      key: deploymentKey,
      desired: desiredDeployment({ containers: [containers[0]!] }),
      live,
    });
    expect(result.changedPaths).toEqual(['spec.template.spec.containers[name=old-sidecar]']);
  });

  it('uses a custom field manager name for ownership', () => {
    const live = liveDeployment(desiredDeployment({ labels: { app: 'web', team: 'a' } }));
    const desired = desiredDeployment({ labels: { app: 'web' } });
    expect(diffResource({ key: deploymentKey, desired, live }).changedPaths).toEqual([
      'metadata.labels.team',
    ]);
    expect(diffResource({ key: deploymentKey, desired, live, fieldManager: 'someone-else' }).status).toBe(
      'Synced',
    );
  });

  it('refuses a call with neither side', () => {
    expect(
      isDriftlessError(
        thrown(() => diffResource({ key: cmKey })),
        'INVALID_MANIFEST',
      ),
    ).toBe(true);
  });
});

describe('ignore rule matching', () => {
  const desired = configMap({ data: { a: '1', b: '1' } });
  const live = configMap({ data: { a: '2', b: '2' } });
  const ignoreA = (rule: Record<string, unknown>) => ({
    application: [{ kind: 'ConfigMap', jsonPointers: ['/data/a'], ...rule }],
  });

  it('matches group and kind as globs, name and namespace exactly', () => {
    const paths = (rule: Record<string, unknown>) =>
      diffResource({ key: cmKey, desired, live, ignore: ignoreA(rule) }).changedPaths;
    expect(paths({})).toEqual(['data.b']);
    expect(paths({ kind: 'Config*' })).toEqual(['data.b']);
    expect(paths({ group: '*', kind: '*' })).toEqual(['data.b']);
    expect(paths({ group: 'apps' })).toEqual(['data.a', 'data.b']);
    expect(paths({ name: 'settings', namespace: 'shop' })).toEqual(['data.b']);
    expect(paths({ name: 'other' })).toEqual(['data.a', 'data.b']);
    expect(paths({ namespace: 'other' })).toEqual(['data.a', 'data.b']);
  });

  it('names the field of a bad jq expression or pointer', () => {
    const jq = thrown(() =>
      diffResource({
        key: cmKey,
        desired,
        live,
        ignore: { application: [{ kind: 'ConfigMap', jqPathExpressions: ['.data.a', '.data | keys'] }] },
      }),
    );
    expect(jq.message).toContain('spec.ignoreDifferences[0].jqPathExpressions[1]');
    expect(jq.message).toContain('"keys"');
    const pointer = thrown(() =>
      diffResource({ key: cmKey, desired, live, ignore: { all: { jsonPointers: ['data/a'] } } }),
    );
    expect(pointer.message).toContain('resource.customizations.ignoreDifferences.all.jsonPointers[0]');
  });

  it('treats a jq expression that fails on this object as selecting nothing', () => {
    const ignore = { application: [{ kind: 'ConfigMap', jqPathExpressions: ['.data.a.b', '.data.b'] }] };
    expect(diffResource({ key: cmKey, desired, live, ignore }).changedPaths).toEqual(['data.a']);
  });
});

describe('parseJsonPointer', () => {
  it('unescapes ~1 then ~0 and rejects bad pointers', () => {
    expect(parseJsonPointer('/metadata/annotations/a~1b~0c~01')).toEqual([
      'metadata',
      'annotations',
      'a/b~c~1',
    ]);
    expect(parseJsonPointer('')).toEqual([]);
    expect(parseJsonPointer('/a//b')).toEqual(['a', '', 'b']);
    expect(
      isDriftlessError(
        thrown(() => parseJsonPointer('a/b')),
        'INVALID_MANIFEST',
      ),
    ).toBe(true);
    expect(thrown(() => parseJsonPointer('/a~2')).message).toContain('bad escape');
  });
});
