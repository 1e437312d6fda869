/**
 * Generated Applications follow their inputs through the whole pipeline (dynalite, the kube
 * emulator, a real git server): a new directory and a new release branch each become an app that
 * syncs; a removed directory deletes its app and prunes what it owned (not what says
 * Delete=false); a generator whose repository is gone changes nothing and says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refOfName } from '../../../shared/pipeline/index.js';
import {
  ARGOCD_SECRET,
  configMapYaml,
  type Environment,
  liveObject,
  pushRequest,
  startEnvironment,
  TextConfig,
} from '../pipeline/pipeline-harness.js';
import { type AppSetPipeline, startAppSetPipeline } from './appset-harness.js';

function appSetsYaml(repoURL: string): string {
  return `${ARGOCD_SECRET}apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: dirs
  namespace: argocd
spec:
  generators:
    - git:
        repoURL: ${repoURL}
        revision: main
        directories:
          - path: apps/*
  template:
    metadata:
      name: 'dir-{{path.basename}}'
      finalizers: [resources-finalizer.argocd.argoproj.io]
    spec:
      project: default
      source:
        repoURL: ${repoURL}
        targetRevision: main
        path: '{{path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{path.basename}}'
      syncPolicy:
        automated: {prune: true}
        syncOptions: [CreateNamespace=true]
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: releases
  namespace: argocd
spec:
  generators:
    - git:
        repoURL: ${repoURL}
        revision: main
        branches: ['release-*']
  template:
    metadata:
      name: 'rel-{{branch}}'
    spec:
      project: default
      source:
        repoURL: ${repoURL}
        targetRevision: '{{branch}}'
        path: apps/a
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{branch}}'
      syncPolicy:
        automated: {}
        syncOptions: [CreateNamespace=true]
`;
}

/** Commits the removal of a directory on main (plumbing on a scratch work tree; the repository is bare). */
async function removeDirectory(env: Environment, repo: string, dir: string): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'appset-rm-'));
  try {
    const git = (args: readonly string[]) => env.git.git(repo, [`--work-tree=${scratch}`, ...args]);
    await git(['read-tree', 'main']);
    await git(['rm', '--cached', '-r', '-q', dir]);
    const tree = await git(['write-tree']);
    const commit = await git(['commit-tree', tree, '-p', 'main', '-m', `remove ${dir}`]);
    await git(['update-ref', 'refs/heads/main', commit]);
    return commit;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const KEEP = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'keep', annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false' } },
  data: { kept: 'yes' },
};

describe('ApplicationSet lifecycle in the pipeline', () => {
  let env: Environment;
  let pipeline: AppSetPipeline;
  let repoURL: string;
  let head: string;

  beforeAll(async () => {
    env = await startEnvironment();
    head = await env.git.createRepo('apps', {
      files: {
        'apps/a/cm.yaml': configMapYaml('a', { app: 'a' }),
        'apps/a/keep.yaml': JSON.stringify(KEEP),
        'apps/b/cm.yaml': configMapYaml('b', { app: 'b' }),
      },
    });
    repoURL = env.git.url('apps');
    pipeline = await startAppSetPipeline({ env, config: new TextConfig(appSetsYaml(repoURL)) });
    await pipeline.platform.reloadConfig();
    await pipeline.drain();
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
    await env?.stop();
  });

  const stored = (name: string) => pipeline.state.getApplication(refOfName(name));

  it('generates one synced app per directory on the config reload', async () => {
    expect((await stored('dir-a'))?.status.sync?.status).toBe('Synced');
    expect((await stored('dir-b'))?.status.sync?.status).toBe('Synced');
    expect(liveObject(env, 'ConfigMap', 'a', 'a')?.data).toEqual({ app: 'a' });
    expect(liveObject(env, 'ConfigMap', 'b', 'b')?.data).toEqual({ app: 'b' });
    expect(await stored('rel-release-1')).toBeUndefined();
  });

  it('a pushed new directory becomes a new app through the webhook', async () => {
    const before = head;
    head = await env.git.commit('apps', {
      branch: 'main',
      files: { 'apps/c/cm.yaml': configMapYaml('c', { app: 'c' }) },
    });
    const answer = await pipeline.platform.acceptWebhook(
      pushRequest({ repoURL, before, after: head, files: ['apps/c/cm.yaml'], now: pipeline.clock.now() }),
    );
    expect(answer.status).toBe(202);
    expect(answer.applicationSets).toEqual(['dirs', 'releases']);
    await pipeline.drain();
    expect((await stored('dir-c'))?.status.sync?.status).toBe('Synced');
    expect(liveObject(env, 'ConfigMap', 'c', 'c')?.data).toEqual({ app: 'c' });
  });

  it('a new release branch becomes a new app on the drift tick', async () => {
    await env.git.commit('apps', {
      branch: 'release-1',
      files: { 'apps/a/cm.yaml': configMapYaml('a', { app: 'a-release-1' }) },
    });
    pipeline.clock.skip(200_000);
    const scan = await pipeline.platform.scanDrift();
    expect(scan.applicationSets).toBe(1);
    await pipeline.drain();
    const app = await stored('rel-release-1');
    expect(app?.application.spec.source?.targetRevision).toBe('release-1');
    expect(app?.status.sync?.status).toBe('Synced');
    expect(liveObject(env, 'ConfigMap', 'release-1', 'a')?.data).toEqual({ app: 'a-release-1' });
  });

  it('a removed directory deletes its app and prunes its resources, except Delete=false ones', async () => {
    const before = head;
    head = await removeDirectory(env, 'apps', 'apps/a');
    await pipeline.platform.acceptWebhook(
      pushRequest({ repoURL, before, after: head, files: ['apps/a/cm.yaml'], now: pipeline.clock.now() }),
    );
    await pipeline.drain();
    expect(await stored('dir-a')).toBeUndefined();
    expect(liveObject(env, 'ConfigMap', 'a', 'a')).toBeUndefined();
    expect(liveObject(env, 'ConfigMap', 'a', 'keep')?.data).toEqual({ kept: 'yes' });
    expect(await stored('dir-b')).toBeDefined();
  });

  it('a generator whose repository is gone deletes nothing and records the error', async () => {
    rmSync(env.git.repoPath('apps'), { recursive: true, force: true });
    pipeline.clock.skip(200_000);
    await pipeline.platform.scanDrift();
    await pipeline.drain();
    expect(await stored('dir-b')).toBeDefined();
    expect(await stored('dir-c')).toBeDefined();
    expect(await stored('rel-release-1')).toBeDefined();
    expect(liveObject(env, 'ConfigMap', 'b', 'b')?.data).toEqual({ app: 'b' });
    const restarted = pipeline.restarted();
    const appSet = await restarted.getAppSet('dirs');
    const byType = new Map(appSet?.status.conditions.map((c) => [c.type, c]));
    expect(byType.get('ErrorOccurred')?.status).toBe('True');
    expect(byType.get('ErrorOccurred')?.reason).toBe('ApplicationParamsGenerationError');
    expect(byType.get('ErrorOccurred')?.message).toContain('ApplicationSet "dirs"');
    expect(byType.get('ParametersGenerated')?.status).toBe('False');
    expect(byType.get('ResourcesUpToDate')?.status).toBe('False');
    // The apps' own refresh cannot read the repository either: sync Unknown, health as last seen.
    expect(appSet?.status.resources.map((r) => [r.name, r.status, r.health.status])).toEqual([
      ['dir-b', 'Unknown', 'Healthy'],
      ['dir-c', 'Unknown', 'Healthy'],
    ]);
    // The branch generator reads the same repository: its ApplicationSet reports the error too.
    const listed = await restarted.listAppSets();
    expect(
      listed.map((s) => [
        s.metadata.name,
        s.status.conditions.find((c) => c.type === 'ErrorOccurred')?.status,
      ]),
    ).toEqual([
      ['dirs', 'True'],
      ['releases', 'True'],
    ]);
  });
});
