import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application, ApplicationSet, KubeObject } from '../../../shared/model/index.js';
import { planDeletion } from '../../../shared/pipeline/index.js';
import {
  HttpCommitStatusReporter,
  MemoryPullRequestStore,
  markPreview,
  previewOf,
  unexpiredPullRequests,
} from '../../../shared/preview/index.js';
import { type RecordingServer, startRecordingServer } from '../../scenario/appset/appset-harness.js';

const repository = { provider: 'github', repository: 'acme/web' } as const;
const pull = (number: number, headSha: string) => ({
  number,
  title: 't',
  branch: `f-${number}`,
  targetBranch: 'main',
  headSha,
  author: 'dev',
  labels: [],
});

describe('MemoryPullRequestStore', () => {
  it('keeps the newest event: a late update does not reopen a closed pull request', async () => {
    const store = new MemoryPullRequestStore();
    await store.record({ repository, pull: pull(1, 'a'), at: new Date(1000) });
    expect(await store.close({ repository, number: 1, at: new Date(3000) })).toBe('closed');
    expect(await store.record({ repository, pull: pull(1, 'b'), at: new Date(2000) })).toBe('stale');
    expect(await store.listOpen(repository)).toEqual([]);
    await store.record({
      repository: { provider: 'github', repository: 'ACME/Web' },
      pull: pull(2, 'c'),
      at: new Date(4000),
    });
    expect((await store.listOpen(repository)).map((p) => p.number)).toEqual([2]);
  });

  it('leaves out pull requests older than the TTL', async () => {
    const store = new MemoryPullRequestStore();
    await store.record({ repository, pull: pull(1, 'a'), at: new Date(0) });
    await store.record({ repository, pull: pull(2, 'b'), at: new Date(50_000) });
    const source = unexpiredPullRequests({ store, ttlMs: 60_000, now: new Date(100_000) });
    expect((await source.listOpen(repository)).map((p) => p.number)).toEqual([2]);
  });
});

describe('preview marking', () => {
  const appSet = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'previews' },
    spec: {
      generators: [
        {
          matrix: {
            generators: [
              { pullRequest: { github: { owner: 'acme', repo: 'web' } } },
              { list: { elements: [] } },
            ],
          },
        },
      ],
    },
  } as unknown as ApplicationSet;
  const app = (targetRevision: string) =>
    ({
      metadata: { name: 'web-pr-12' },
      spec: { project: 'default', source: { repoURL: 'r', targetRevision }, destination: {} },
    }) as unknown as Application;

  it('stamps the pull request a refs/pull/N/head app previews', () => {
    expect(previewOf(markPreview(appSet, app('refs/pull/12/head')))).toEqual({ repository, number: 12 });
    expect(previewOf(markPreview(appSet, app('main')))).toBeUndefined();
  });
});

describe('planDeletion', () => {
  const item = (kind: string, name: string, group = '') => ({
    apiVersion: group ? `${group}/v1` : 'v1',
    key: { group, kind, namespace: kind === 'Namespace' ? '' : 'ns', name },
  });
  const app = (finalizers: string[]) => ({ metadata: { name: 'a', finalizers } }) as unknown as Application;
  const inventory = [
    item('Namespace', 'ns'),
    item('ConfigMap', 'cm'),
    item('Deployment', 'web', 'apps'),
    item('ConfigMap', 'keep'),
  ];
  const manifests = new Map<string, KubeObject>([
    [
      '/ConfigMap/ns/keep',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'keep', annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false' } },
      },
    ],
    [
      'apps/Deployment/ns/web',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
      },
    ],
  ]);

  it('deletes in reverse sync order, foreground, keeping Delete=false', () => {
    const plan = planDeletion({ app: app(['resources-finalizer.argocd.argoproj.io']), inventory, manifests });
    expect(plan.delete.map((t) => `${t.item.key.kind}/${t.item.key.name}:${t.propagation}`)).toEqual([
      'ConfigMap/cm:Foreground',
      'Namespace/ns:Foreground',
      'Deployment/web:Foreground',
    ]);
    expect(plan.kept.map((i) => i.key.name)).toEqual(['keep']);
  });

  it('uses background propagation for the background finalizer and touches nothing without one', () => {
    const background = planDeletion({
      app: app(['resources-finalizer.argocd.argoproj.io/background']),
      inventory,
      manifests,
    });
    expect(new Set(background.delete.map((t) => t.propagation))).toEqual(new Set(['Background']));
    expect(planDeletion({ app: app([]), inventory, manifests })).toEqual({
      cascade: false,
      delete: [],
      kept: [],
    });
  });
});

describe('HttpCommitStatusReporter', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.stop());

  it('posts a GitLab commit status with the project path encoded and GitLab state names', async () => {
    const reporter = new HttpCommitStatusReporter({
      gitlab: { baseURL: `${server.baseURL}/api/v4`, token: 'glpat' },
    });
    await reporter.report({
      repository: { provider: 'gitlab', repository: 'group/web' },
      sha: 'abc123',
      state: 'failure',
      context: 'driftless/preview',
      description: 'web-pr-3: sync Failed',
    });
    expect(server.requests.at(-1)).toMatchObject({
      method: 'POST',
      url: '/api/v4/projects/group%2Fweb/statuses/abc123',
      headers: { 'private-token': 'glpat' },
      body: { state: 'failed', name: 'driftless/preview', description: 'web-pr-3: sync Failed' },
    });
  });

  it('posts nothing for a provider without a token', async () => {
    const before = server.requests.length;
    await new HttpCommitStatusReporter({}).report({
      repository,
      sha: 'abc',
      state: 'success',
      context: 'driftless/preview',
      description: 'ok',
    });
    expect(server.requests.length).toBe(before);
  });
});
