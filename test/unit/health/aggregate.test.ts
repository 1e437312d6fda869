import { describe, expect, it } from 'vitest';
import {
  type AssessedResource,
  aggregateHealth,
  HEALTH_ORDER,
  type HealthStatusCode,
  resourceHealth,
} from '../../../shared/health/index.js';
import { type KubeObject, keyOf, type ResourceKey } from '../../../shared/model/index.js';

function key(kind: string, name: string, group = 'apps'): ResourceKey {
  return { group, kind, namespace: 'default', name };
}

function liveObject(kind: string, name: string, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'default', annotations } };
}

function live(
  name: string,
  status: HealthStatusCode,
  annotations: Record<string, string> = {},
): AssessedResource {
  return {
    key: key('Deployment', name),
    health: { status },
    live: liveObject('Deployment', name, annotations),
  };
}

function missing(name: string): AssessedResource {
  return { key: key('Deployment', name), health: { status: 'Missing' } };
}

describe('aggregateHealth', () => {
  it('is Healthy for an application with no resources', () => {
    expect(aggregateHealth([])).toEqual({ status: 'Healthy' });
  });

  it('takes the worst status in Argo CD order', () => {
    for (let better = 0; better < HEALTH_ORDER.length; better++) {
      for (let worse = better; worse < HEALTH_ORDER.length; worse++) {
        const b = HEALTH_ORDER[better] as HealthStatusCode;
        const w = HEALTH_ORDER[worse] as HealthStatusCode;
        expect(aggregateHealth([live('a', b), live('b', w)]).status).toBe(w);
        expect(aggregateHealth([live('a', w), live('b', b)]).status).toBe(w);
      }
    }
  });

  it('does not let an individually Missing resource make the app Missing', () => {
    expect(aggregateHealth([live('web', 'Healthy'), missing('worker')]).status).toBe('Healthy');
    expect(aggregateHealth([live('web', 'Progressing'), missing('worker')]).status).toBe('Progressing');
  });

  it('is Missing when resources are expected and none is live', () => {
    expect(aggregateHealth([missing('web'), missing('worker')]).status).toBe('Missing');
    expect(aggregateHealth([{ key: key('Deployment', 'web') }]).status).toBe('Missing');
  });

  it('skips resources annotated ignore-healthcheck, or marked so', () => {
    const ignored = live('web', 'Degraded', { 'argocd.argoproj.io/ignore-healthcheck': 'true' });
    expect(aggregateHealth([live('api', 'Healthy'), ignored]).status).toBe('Healthy');
    expect(
      aggregateHealth([live('api', 'Healthy'), { ...live('web', 'Degraded'), ignoreHealthcheck: true }])
        .status,
    ).toBe('Healthy');
    const notTrue = live('web', 'Degraded', { 'argocd.argoproj.io/ignore-healthcheck': 'yes' });
    expect(aggregateHealth([notTrue]).status).toBe('Degraded');
  });

  it('counts an ignored live resource as live, so the app is not Missing', () => {
    const ignored = live('web', 'Degraded', { 'argocd.argoproj.io/ignore-healthcheck': 'true' });
    expect(aggregateHealth([ignored, missing('worker')]).status).toBe('Healthy');
  });

  it('skips hooks, judged on the live object or marked by the caller', () => {
    const argoHook = live('migrate', 'Degraded', { 'argocd.argoproj.io/hook': 'PreSync' });
    const helmHook = live('test', 'Degraded', { 'helm.sh/hook': 'test' });
    const marked = { ...live('seed', 'Degraded'), hook: true };
    expect(aggregateHealth([live('web', 'Healthy'), argoHook, helmHook, marked]).status).toBe('Healthy');
  });

  it('does not treat a lone Skip hook or a Helm crd-install as a hook', () => {
    const skip = live('web', 'Degraded', { 'argocd.argoproj.io/hook': 'Skip' });
    const crd = live('crd', 'Progressing', { 'helm.sh/hook': 'crd-install' });
    expect(aggregateHealth([skip]).status).toBe('Degraded');
    expect(aggregateHealth([crd]).status).toBe('Progressing');
  });

  it('is Missing when the only resources are missing and the rest are hooks', () => {
    const hook = live('migrate', 'Healthy', { 'argocd.argoproj.io/hook': 'PreSync' });
    expect(aggregateHealth([hook, missing('web')]).status).toBe('Missing');
    expect(aggregateHealth([hook]).status).toBe('Healthy');
  });

  it('skips resources with no health', () => {
    const configMap: AssessedResource = {
      key: key('ConfigMap', 'settings', ''),
      live: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } },
    };
    expect(aggregateHealth([configMap]).status).toBe('Healthy');
  });

  it('skips a child Application that is Missing or Unknown, but not one that is Degraded', () => {
    const child = (status: HealthStatusCode): AssessedResource => ({
      key: key('Application', 'child', 'argoproj.io'),
      health: { status },
      live: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'child' } },
    });
    expect(aggregateHealth([live('web', 'Healthy'), child('Unknown')]).status).toBe('Healthy');
    expect(aggregateHealth([live('web', 'Healthy'), child('Missing')]).status).toBe('Healthy');
    expect(aggregateHealth([live('web', 'Healthy'), child('Degraded')]).status).toBe('Degraded');
    expect(aggregateHealth([live('web', 'Healthy'), { ...live('x', 'Unknown') }]).status).toBe('Unknown');
  });

  it('skips the Application that is the app itself', () => {
    const self: AssessedResource = {
      key: { group: 'argoproj.io', kind: 'Application', namespace: 'argocd', name: 'root' },
      health: { status: 'Degraded' },
      live: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'root', namespace: 'argocd' },
      },
    };
    expect(aggregateHealth([self], { app: { name: 'root', namespace: 'argocd' } }).status).toBe('Healthy');
    expect(aggregateHealth([self], { app: { name: 'other', namespace: 'argocd' } }).status).toBe('Degraded');
  });

  it('aggregates health computed from real objects', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', generation: 2 },
      spec: { replicas: 2 },
      status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 1 },
    };
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'ClusterIP' },
    };
    const resources = [deployment, service].map((obj) => ({
      key: keyOf(obj),
      live: obj,
      health: resourceHealth(obj),
    }));
    expect(aggregateHealth(resources).status).toBe('Progressing');
  });
});
