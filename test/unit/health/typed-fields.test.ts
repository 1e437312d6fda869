import { describe, expect, it } from 'vitest';
import { resourceHealth } from '../../../shared/health/index.js';
import type { KubeObject } from '../../../shared/model/index.js';

function deployment(extra: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    ...extra,
  };
}

describe('fields of the wrong type', () => {
  it('make the resource Unknown, naming the field, as a failed typed conversion does', () => {
    expect(resourceHealth(deployment({ status: { conditions: 'Progressing' } }))).toEqual({
      status: 'Unknown',
      message:
        'failed to convert unstructured Deployment to typed: .status.conditions: expected array, got string',
    });
    expect(resourceHealth(deployment({ spec: { paused: 'yes' } }))?.message).toBe(
      'failed to convert unstructured Deployment to typed: .spec.paused: expected boolean, got string',
    );
    expect(resourceHealth(deployment({ status: [] }))?.message).toBe(
      'failed to convert unstructured Deployment to typed: .status: expected object, got array',
    );
  });

  it('treat null as absent, as Go does for a zero value', () => {
    expect(resourceHealth(deployment({ spec: { replicas: null }, status: null }))).toEqual({
      status: 'Healthy',
    });
  });

  it('use the HPA label for autoscalers', () => {
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      status: { conditions: [{ type: 'AbleToScale', status: true }] },
    };
    expect(resourceHealth(hpa)?.message).toBe(
      'failed to convert unstructured HPA to typed: .status.conditions[0].status: expected string, got boolean',
    );
  });
});
