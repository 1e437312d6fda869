import { describe, expect, it } from 'vitest';
import { type HealthStatusCode, isHealthyForWave, waveTaskOutcome } from '../../../shared/health/index.js';

describe('waveTaskOutcome', () => {
  const resource: Record<HealthStatusCode, string> = {
    Healthy: 'done',
    Suspended: 'waiting',
    Progressing: 'waiting',
    Missing: 'waiting',
    Degraded: 'failed',
    Unknown: 'waiting',
  };
  const hook: Record<HealthStatusCode, string> = {
    Healthy: 'done',
    Suspended: 'waiting',
    Progressing: 'waiting',
    Missing: 'done',
    Degraded: 'failed',
    Unknown: 'failed',
  };

  it.each(Object.entries(resource))('a resource that is %s is %s', (status, outcome) => {
    expect(waveTaskOutcome({ health: { status: status as HealthStatusCode }, hook: false })).toBe(outcome);
  });

  it.each(Object.entries(hook))('a hook that is %s is %s', (status, outcome) => {
    expect(waveTaskOutcome({ health: { status: status as HealthStatusCode }, hook: true })).toBe(outcome);
  });

  it('lets a kind with no health proceed at once', () => {
    expect(waveTaskOutcome({ health: undefined, hook: false })).toBe('done');
    expect(waveTaskOutcome({ health: undefined, hook: true })).toBe('done');
    expect(isHealthyForWave(undefined)).toBe(true);
  });

  it('holds the wave for a paused Deployment (Suspended)', () => {
    expect(isHealthyForWave({ status: 'Suspended', message: 'Deployment is paused' })).toBe(false);
    expect(isHealthyForWave({ status: 'Healthy' })).toBe(true);
  });
});
