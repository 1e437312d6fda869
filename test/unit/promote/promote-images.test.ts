import { mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { DirectorySourceTree } from '../../../shared/git/index.js';
import type { Application } from '../../../shared/model/argo-types.js';
import {
  imageText,
  kustomizationImages,
  promotionRuleOf,
  readKustomization,
} from '../../../shared/promote/index.js';

function app(annotations: Record<string, string>): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web-dev', namespace: 'argocd', annotations },
    spec: {
      project: 'default',
      source: { repoURL: 'https://example.com/config.git', path: 'apps/web/overlays/dev' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'web-dev' },
    },
  } as Application;
}

describe('promotion rule', () => {
  it('reads promote-field image', () => {
    expect(
      promotionRuleOf(
        app({ 'driftless.dev/promote-to': 'web-staging', 'driftless.dev/promote-field': 'image' }),
      ),
    ).toEqual({ from: 'web-dev', to: 'web-staging', field: 'image' });
  });

  it('defaults to targetRevision and refuses an unknown field naming the annotation', () => {
    expect(promotionRuleOf(app({ 'driftless.dev/promote-to': 'web-staging' }))?.field).toBe('targetRevision');
    let error: unknown;
    try {
      promotionRuleOf(
        app({ 'driftless.dev/promote-to': 'web-staging', 'driftless.dev/promote-field': 'chart' }),
      );
    } catch (e) {
      error = e;
    }
    expect(isDriftlessError(error) && error.code).toBe('INVALID_MANIFEST');
    expect(String((error as Error).message)).toBe(
      'Application "web-dev": metadata.annotations["driftless.dev/promote-field"]: "chart" is not supported; use targetRevision or image',
    );
  });
});

describe('kustomization images', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'promote-images-unit-'));
    mkdirSync(join(dir, 'dev'), { recursive: true });
    mkdirSync(join(dir, 'bare'), { recursive: true });
    mkdirSync(join(dir, 'none'), { recursive: true });
    await writeFile(
      join(dir, 'dev', 'kustomization.yml'),
      'resources: [../base]\nimages:\n- name: web\n  newName: ghcr.io/acme/web\n  newTag: 1.4.0\n- name: api\n  digest: sha256:abc\n',
    );
    await writeFile(join(dir, 'bare', 'Kustomization'), 'resources: [../base]\n');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the kustomization under any of its names and lists its images sorted by name', async () => {
    const tree = await DirectorySourceTree.open('https://example.com/config.git', dir);
    const file = await readKustomization(tree, 'dev/');
    expect(file.path).toBe('dev/kustomization.yml');
    const images = kustomizationImages(file);
    expect(images).toEqual([
      { name: 'api', digest: 'sha256:abc' },
      { name: 'web', newName: 'ghcr.io/acme/web', newTag: '1.4.0' },
    ]);
    expect(images.map(imageText)).toEqual(['api@sha256:abc', 'web:1.4.0']);
    expect(kustomizationImages(await readKustomization(tree, 'bare'))).toEqual([]);
  });

  it('names the directory when there is no kustomization', async () => {
    const tree = await DirectorySourceTree.open('https://example.com/config.git', dir);
    await expect(readKustomization(tree, 'none')).rejects.toThrow(
      /none: no kustomization file \(expected one of kustomization\.yaml, kustomization\.yml, Kustomization\)/,
    );
  });
});
