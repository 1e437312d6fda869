import { describe, expect, it } from 'vitest';
import {
  bundledResourceHealth,
  type HealthOverride,
  isHealthyForWave,
  overrideRegistry,
  resourceHealth,
  waveTaskOutcome,
  withBuiltInCrdOverrides,
} from '../../../shared/health/index.js';
import type { KubeObject } from '../../../shared/model/index.js';

const certificate = (conditions: readonly Record<string, string>[]): KubeObject => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'shop', namespace: 'web' },
  spec: { secretName: 'shop-tls' },
  status: { conditions },
});

const notReady = certificate([{ type: 'Ready', status: 'False', message: 'Secret does not exist' }]);
const issuing = certificate([{ type: 'Issuing', status: 'True', message: 'Issuing certificate' }]);
const ready = certificate([{ type: 'Ready', status: 'True', message: 'up to date' }]);

describe('bundledResourceHealth', () => {
  it('judges a Certificate that resourceHealth alone has no check for', () => {
    expect(resourceHealth(issuing)).toBeUndefined();
    expect(bundledResourceHealth(issuing)).toEqual({ status: 'Progressing', message: 'Issuing certificate' });
  });

  it('makes a wave wait for a Certificate being issued and fail on one that is not Ready', () => {
    expect(isHealthyForWave(bundledResourceHealth(issuing))).toBe(false);
    expect(waveTaskOutcome({ health: bundledResourceHealth(issuing), hook: false })).toBe('waiting');
    expect(waveTaskOutcome({ health: bundledResourceHealth(notReady), hook: false })).toBe('failed');
    expect(isHealthyForWave(bundledResourceHealth(ready))).toBe(true);
  });

  it("lets the user's override win for its key and fall back to the bundled check with undefined", () => {
    const lenient: HealthOverride = (obj) =>
      (obj.status as { conditions?: { type: string }[] }).conditions?.some((c) => c.type === 'Issuing')
        ? { status: 'Healthy', message: 'issuing is fine here' }
        : undefined;
    const override = overrideRegistry({ 'cert-manager.io/Certificate': lenient });
    expect(bundledResourceHealth(issuing, { override })).toEqual({
      status: 'Healthy',
      message: 'issuing is fine here',
    });
    expect(bundledResourceHealth(notReady, { override })?.status).toBe('Degraded');
  });

  it('keeps built-in kind checks and pending deletion ahead of nothing else', () => {
    const deleting = { ...ready, metadata: { ...ready.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    expect(bundledResourceHealth(deleting)).toEqual({ status: 'Progressing', message: 'Pending deletion' });
    const pvc: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'd' },
      status: { phase: 'Bound' },
    };
    expect(bundledResourceHealth(pvc)).toEqual(resourceHealth(pvc));
  });

  it('answers undefined from the registry for kinds it does not cover', () => {
    const override = withBuiltInCrdOverrides();
    expect(override({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toBeUndefined();
  });

  it('makes a Rollout or CronJob with a field of the wrong type Unknown, naming the field', () => {
    const cronJob: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'shop' },
      spec: { schedule: '0 2 * * *' },
      status: { lastScheduleTime: 1700000000 },
    };
    const health = bundledResourceHealth(cronJob);
    expect(health?.status).toBe('Unknown');
    expect(health?.message).toContain('lastScheduleTime');
    const rollout: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', namespace: 'shop', generation: 1 },
      spec: { replicas: 'three', strategy: { canary: {} } },
      status: { conditions: [], currentPodHash: 'abc' },
    };
    const rolloutHealth = bundledResourceHealth(rollout);
    expect(rolloutHealth?.status).toBe('Unknown');
    expect(rolloutHealth?.message).toContain('.spec.replicas');
  });
});
