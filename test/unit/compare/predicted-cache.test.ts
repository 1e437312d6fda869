import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  ignoreDifferencesFor,
  MemoryPredictedCache,
  predictedCacheKey,
  settingsIgnoreDifferences,
} from '../../../shared/compare/index.js';
import type { Application, ArgoCdSettings } from '../../../shared/model/argo-types.js';
import type { KubeObject } from '../../../shared/model/kube-object.js';

const cm = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'web' },
  data,
});

describe('predictedCacheKey', () => {
  it('ignores key order but not content, live version or field manager', () => {
    const base = predictedCacheKey({
      desired: cm({ a: '1', b: '2' }),
      liveResourceVersion: '7',
      fieldManager: 'm',
    });
    const reordered: KubeObject = {
      metadata: { namespace: 'web', name: 'settings' },
      data: { b: '2', a: '1' },
      kind: 'ConfigMap',
      apiVersion: 'v1',
    };
    expect(predictedCacheKey({ desired: reordered, liveResourceVersion: '7', fieldManager: 'm' })).toBe(base);
    expect(
      predictedCacheKey({ desired: cm({ a: '1', b: '3' }), liveResourceVersion: '7', fieldManager: 'm' }),
    ).not.toBe(base);
    expect(
      predictedCacheKey({ desired: cm({ a: '1', b: '2' }), liveResourceVersion: '8', fieldManager: 'm' }),
    ).not.toBe(base);
    expect(
      predictedCacheKey({ desired: cm({ a: '1', b: '2' }), liveResourceVersion: '7', fieldManager: 'n' }),
    ).not.toBe(base);
    expect(predictedCacheKey({ desired: cm({ a: '1' }), fieldManager: 'm' })).toMatch(
      /^[0-9a-f]{64}@absent$/,
    );
  });

  it('writes canonical JSON with sorted keys and no undefined fields', () => {
    expect(canonicalJson({ b: [1, { d: null, c: 'x' }], a: undefined, e: true })).toBe(
      '{"b":[1,{"c":"x","d":null}],"e":true}',
    );
  });
});

describe('MemoryPredictedCache', () => {
  it('evicts the least recently used entry and hands out copies', async () => {
    const cache = new MemoryPredictedCache({ maxEntries: 2 });
    await cache.set('one', cm({ n: '1' }));
    await cache.set('two', cm({ n: '2' }));
    const one = await cache.get('one');
    expect(one?.data).toEqual({ n: '1' });
    (one as KubeObject).data = { n: 'changed' };
    await cache.set('three', cm({ n: '3' }));
    expect(await cache.get('two')).toBeUndefined();
    expect((await cache.get('one'))?.data).toEqual({ n: '1' });
    expect((await cache.get('three'))?.data).toEqual({ n: '3' });
    expect(cache.size).toBe(2);
  });
});

describe('ignoreDifferencesFor', () => {
  const app: Application = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd' },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
    },
  };
  const settings = {
    ignoreDifferences: [
      {
        group: 'admissionregistration.k8s.io',
        kind: 'MutatingWebhookConfiguration',
        rule: {
          jsonPointers: [],
          jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
          managedFieldsManagers: [],
        },
      },
    ],
    ignoreDifferencesAll: {
      jsonPointers: [],
      jqPathExpressions: [],
      managedFieldsManagers: ['kube-controller-manager'],
    },
  } as unknown as ArgoCdSettings;

  it('joins the app rules with argocd-cm customizations and .all', () => {
    const ignore = ignoreDifferencesFor({ app, settings });
    expect(ignore.application).toEqual(app.spec.ignoreDifferences);
    expect(ignore.customizations).toEqual([
      {
        group: 'admissionregistration.k8s.io',
        kind: 'MutatingWebhookConfiguration',
        jsonPointers: [],
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
        managedFieldsManagers: [],
      },
    ]);
    expect(ignore.all?.managedFieldsManagers).toEqual(['kube-controller-manager']);
    expect(settingsIgnoreDifferences(ignore).application).toBeUndefined();
    expect(ignoreDifferencesFor({ app })).toEqual({ application: app.spec.ignoreDifferences });
  });
});
