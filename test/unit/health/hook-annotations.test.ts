import { describe, expect, it } from 'vitest';
import { hookTypes, isHook, isSkipHook } from '../../../shared/health/index.js';
import type { KubeObject } from '../../../shared/model/index.js';

function annotated(annotations: Record<string, string>): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', annotations } };
}

describe('hook annotations', () => {
  it.each([
    [{}, false],
    [{ 'argocd.argoproj.io/hook': 'PreSync' }, true],
    [{ 'argocd.argoproj.io/hook': 'Skip' }, false],
    [{ 'argocd.argoproj.io/hook': 'Skip, PostSync' }, true],
    [{ 'argocd.argoproj.io/hook': 'Skip,Skip' }, false],
    [{ 'argocd.argoproj.io/hook': 'Unrecognised' }, true],
    [{ 'helm.sh/hook': 'post-install' }, true],
    [{ 'helm.sh/hook': 'test' }, true],
    [{ 'helm.sh/hook': 'crd-install' }, false],
    [{ 'argocd.argoproj.io/hook': 'Skip', 'helm.sh/hook': 'post-install' }, false],
  ] as const)('%j is a hook: %s', (annotations, expected) => {
    expect(isHook(annotated(annotations))).toBe(expected);
  });

  it('reads Helm hook types only when no Argo CD type is recognised', () => {
    expect(hookTypes(annotated({ 'helm.sh/hook': 'pre-install,post-upgrade' }))).toEqual([
      'PreSync',
      'PostSync',
    ]);
    expect(
      hookTypes(annotated({ 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'pre-install' })),
    ).toEqual(['Sync']);
    expect(isSkipHook(annotated({ 'argocd.argoproj.io/hook': ' Skip ' }))).toBe(true);
  });
});
