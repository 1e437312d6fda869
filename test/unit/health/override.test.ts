import { describe, expect, it } from 'vitest';
import {
  APPLICATION_OVERRIDE_KEY,
  applicationHealthOverride,
  type HealthOverride,
  overrideKey,
  overrideRegistry,
  resourceHealth,
} from '../../../shared/health/index.js';
import type { KubeObject } from '../../../shared/model/index.js';

const rollout: KubeObject = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', namespace: 'default' },
  status: { phase: 'Paused' },
};

const pendingPvc: KubeObject = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'default' },
  status: { phase: 'Pending' },
};

describe('overrideKey', () => {
  it('is group/Kind, or Kind alone for the core group, as argocd-cm keys are', () => {
    expect(overrideKey(rollout)).toBe('argoproj.io/Rollout');
    expect(overrideKey(pendingPvc)).toBe('PersistentVolumeClaim');
  });
});

describe('health overrides', () => {
  const rolloutCheck: HealthOverride = (obj) =>
    (obj.status as { phase?: string }).phase === 'Paused'
      ? { status: 'Suspended', message: 'paused' }
      : undefined;

  it('give a kind with no built-in check a health', () => {
    expect(resourceHealth(rollout)).toBeUndefined();
    const override = overrideRegistry({ 'argoproj.io/Rollout': rolloutCheck });
    expect(resourceHealth(rollout, { override })).toEqual({ status: 'Suspended', message: 'paused' });
  });

  it('replace a built-in check, and defer to it by returning undefined', () => {
    const override = overrideRegistry({
      PersistentVolumeClaim: (obj) =>
        (obj.status as { phase?: string }).phase === 'Pending'
          ? { status: 'Healthy', message: 'waits for a consumer' }
          : undefined,
    });
    expect(resourceHealth(pendingPvc)?.status).toBe('Progressing');
    expect(resourceHealth(pendingPvc, { override })?.status).toBe('Healthy');
    const lost = { ...pendingPvc, status: { phase: 'Lost' } };
    expect(resourceHealth(lost, { override })?.status).toBe('Degraded');
  });

  it('match wildcard keys, exact keys first', () => {
    const override = overrideRegistry({
      '*.crossplane.io/*': () => ({ status: 'Progressing', message: 'wildcard' }),
      'ec2.aws.crossplane.io/VPC': () => ({ status: 'Healthy', message: 'exact' }),
    });
    const vpc: KubeObject = {
      apiVersion: 'ec2.aws.crossplane.io/v1beta1',
      kind: 'VPC',
      metadata: { name: 'main' },
    };
    const subnet: KubeObject = { ...vpc, kind: 'Subnet' };
    expect(resourceHealth(vpc, { override })?.message).toBe('exact');
    expect(resourceHealth(subnet, { override })?.message).toBe('wildcard');
    expect(resourceHealth(pendingPvc, { override })?.status).toBe('Progressing');
  });

  it('that throw make the resource Unknown with the error text', () => {
    const override = overrideRegistry({
      'argoproj.io/Rollout': () => {
        throw new Error('attempt to index a nil value (field status)');
      },
    });
    expect(resourceHealth(rollout, { override })).toEqual({
      status: 'Unknown',
      message: 'attempt to index a nil value (field status)',
    });
  });

  it('do not run for an object pending deletion', () => {
    const deleting = {
      ...rollout,
      metadata: { ...rollout.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' },
    };
    const override = overrideRegistry({ 'argoproj.io/Rollout': rolloutCheck });
    expect(resourceHealth(deleting, { override })).toEqual({
      status: 'Progressing',
      message: 'Pending deletion',
    });
  });
});

describe('applicationHealthOverride', () => {
  const override = overrideRegistry({ [APPLICATION_OVERRIDE_KEY]: applicationHealthOverride });
  const app = (status?: Record<string, unknown>): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'child', namespace: 'argocd' },
    spec: { project: 'default' },
    ...(status === undefined ? {} : { status }),
  });

  it('is off by default: a child Application has no health', () => {
    expect(resourceHealth(app({ health: { status: 'Degraded' } }))).toBeUndefined();
  });

  it("reads the child's status.health when opted in", () => {
    expect(resourceHealth(app({ health: { status: 'Healthy' } }), { override })).toEqual({
      status: 'Healthy',
    });
    expect(
      resourceHealth(app({ health: { status: 'Degraded', message: 'web is degraded' } }), { override }),
    ).toEqual({
      status: 'Degraded',
      message: 'web is degraded',
    });
  });

  it('is Progressing while the child has no health yet', () => {
    expect(resourceHealth(app(), { override })).toEqual({ status: 'Progressing' });
  });

  it('is Unknown, naming the child, when its status is not a health status', () => {
    const health = resourceHealth(app({ health: { status: 'Fine' } }), { override });
    expect(health?.status).toBe('Unknown');
    expect(health?.message).toContain('argocd/child');
  });

  it('ignores other kinds', () => {
    expect(applicationHealthOverride(pendingPvc)).toBeUndefined();
  });
});
