import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  loadDocuments,
  parseArgoObjects,
  parseDocuments,
} from '../../../shared/model/index.js';

describe('parseArgoObjects', () => {
  it('sorts a tree into Argo CD objects and lists the rest as ignored', async () => {
    const fixtures = join('test', 'fixtures', 'model', 'tree');
    const objects = parseArgoObjects(await loadDocuments([fixtures]));
    expect(objects.problems).toEqual([]);
    expect(
      objects.applications.map((a) => [a.value.metadata.name, a.value.spec.project, a.source.index]),
    ).toEqual([
      ['web', 'default', 0],
      ['api', 'apps', 2],
    ]);
    expect(objects.applications[1]?.value.metadata.annotations?.deployed).toBe('2024-01-02');
    expect(objects.projects.map((p) => [p.value.metadata.name, p.source.item])).toEqual([
      ['apps', 1],
      ['platform', undefined],
    ]);
    expect(objects.ignored).toEqual([
      { at: `${join(fixtures, 'nested', 'list.yml')}#0.items[0]`, kind: 'ConfigMap' },
    ]);
  });

  it('recognises settings ConfigMaps by name in any namespace, and repository and cluster Secrets', () => {
    const text = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-cm, namespace: gitops}\ndata: {url: "https://cd.example.com"}',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-rbac-cm}\ndata: {policy.default: "role:readonly"}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: repo, labels: {argocd.argoproj.io/secret-type: repository}}\nstringData: {url: "https://git.example.com/c.git"}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: prod, labels: {argocd.argoproj.io/secret-type: cluster}}\nstringData: {name: prod, server: "https://prod.example.com"}',
      'apiVersion: v1\nkind: Secret\nmetadata: {name: other}\nstringData: {a: b}',
      'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}',
    ].join('\n---\n');
    const objects = parseArgoObjects(parseDocuments({ file: 'argocd.yaml', text }));
    expect(objects.problems).toEqual([]);
    expect(objects.settings.cm?.value.url).toBe('https://cd.example.com');
    expect(objects.settings.rbacCm?.value.defaultRole).toBe('role:readonly');
    expect(objects.repositories.map((r) => r.url)).toEqual(['https://git.example.com/c.git']);
    expect(objects.clusters.map((c) => c.server)).toEqual(['https://prod.example.com']);
    expect(objects.ignored.map((i) => `${i.at} ${i.kind}`)).toEqual([
      'argocd.yaml#4 Secret',
      'argocd.yaml#5 Rollout',
    ]);
  });

  it('collects the problems of every document and keeps the valid ones', async () => {
    const objects = parseArgoObjects(
      await loadDocuments([join('test', 'fixtures', 'model', 'invalid', 'web.yaml')]),
    );
    expect(objects.applications.map((a) => a.value.metadata.name)).toEqual(['web-dev']);
    expect(objects.problems.map(formatProblem)).toEqual([
      'test/fixtures/model/invalid/web.yaml#1: spec.source.helm.skipCrds: must be a boolean, not a string',
      'test/fixtures/model/invalid/web.yaml#1: spec.syncPolicy.syncOptions[0]: must be Key=Value (such as CreateNamespace=true), not "CreateNamespace"',
      'test/fixtures/model/invalid/web.yaml#1: spec.syncPolicy.retry.limit: must be an integer, not a string',
      'test/fixtures/model/invalid/web.yaml#1: spec.syncPolicy.retry.backoff.duration: must be a duration such as 5s, 3m or 1h30m, not "five seconds"',
      'test/fixtures/model/invalid/web.yaml#2: spec.destination: set either server or name, not both',
      'test/fixtures/model/invalid/web.yaml#3: metadata.labels.team: must be a string, not an integer',
      'test/fixtures/model/invalid/web.yaml#3: metadata.name: is required',
      'test/fixtures/model/invalid/web.yaml#3: spec.destination: set server or name',
      'test/fixtures/model/invalid/web.yaml#3: spec.source: is required (or sources)',
    ]);
  });
});

describe('parseArgoObjects: across documents', () => {
  it('reports an Application defined twice in the same namespace', () => {
    const app = (name: string, namespace: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec: {source: {repoURL: x}, destination: {name: prod}}`;
    const text = [
      app('web', 'argocd'),
      app('web', 'team-a'),
      app('api', 'argocd'),
      app('web', 'argocd'),
    ].join('\n---\n');
    const objects = parseArgoObjects(parseDocuments({ file: 'apps.yaml', text }));
    expect(objects.problems.map(formatProblem)).toEqual([
      'apps.yaml#3: metadata.name: Application "web" is already defined at apps.yaml#0',
    ]);
  });

  it('checks ignoreDifferences JSON pointers', () => {
    const text =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web}\nspec:\n  source: {repoURL: x}\n  destination: {name: prod}\n  ignoreDifferences:\n  - {group: apps, kind: Deployment, jsonPointers: [/spec/replicas, spec/template]}\n';
    const objects = parseArgoObjects(parseDocuments({ file: 'web.yaml', text }));
    expect(objects.problems.map(formatProblem)).toEqual([
      'web.yaml#0: spec.ignoreDifferences[0].jsonPointers[1]: must be a JSON pointer starting with /, not "spec/template"',
    ]);
  });
});
