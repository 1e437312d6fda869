/**
 * Previews and promotion on the local platform (`startLocalPlatform`, sandbox emulator), with
 * the config repository on a real git server: a copy of examples/config plus the Argo CD objects
 * under argocd/ (web-dev promoting its image to web-staging, pull-request ApplicationSets, an
 * argocd-secret with the webhook secret and a GitHub status token pointed at a local recording
 * server). Webhooks go over HTTP to the platform's own endpoint, signed as GitHub signs them.
 */

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as promoteCommand } from '../../../cli/commands/promote.js';
import { EXAMPLE_CONFIG_DIR, EXAMPLE_REPO_URL } from '../../../cli/example-repo.js';
import { captureIO } from '../../../cli/io.js';
import type { ApplicationView } from '../../../shared/pipeline/index.js';
import type { GitServer } from '../../support/git-server.js';
import { githubRequest, type RecordingServer, startRecordingServer } from '../appset/appset-harness.js';
import { pushRequest } from '../pipeline/pipeline-harness.js';
import {
  argocdSecretYaml,
  type ConfigRepoPlatform,
  eventually as eventuallyWithin,
  exampleArgo,
  filesUnder,
  promotingWebYaml,
  REPO,
  startConfigRepoPlatform,
} from './serve-harness.js';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as readonly {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}[];

const STEP_MS = 50;
const WAIT_MS = 30_000;

const eventually = <T>(what: string, check: () => Promise<T | undefined>) =>
  eventuallyWithin(what, check, WAIT_MS);

function previewSet(name: string, label: string, ttl: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
  namespace: argocd
  annotations:
    driftless.dev/preview-ttl: ${ttl}
spec:
  generators:
    - pullRequest:
        github: {owner: driftless-dev, repo: gitops-config, labels: [${label}]}
  template:
    metadata:
      name: '${name}-{{number}}'
      finalizers: [resources-finalizer.argocd.argoproj.io]
    spec:
      project: default
      source:
        repoURL: ${EXAMPLE_REPO_URL}
        targetRevision: 'refs/pull/{{number}}/head'
        path: apps/web/base
      destination:
        server: https://kubernetes.default.svc
        namespace: 'pr-{{number}}'
      syncPolicy:
        automated: {prune: true}
        syncOptions: [CreateNamespace=true]
---
`;
}

describe('previews and promotion on the local platform', () => {
  let env: ConfigRepoPlatform;
  let server: GitServer;
  let api: RecordingServer;
  const heads = new Map<number, string>();

  const git = (...args: string[]) => env.git(...args);
  const app = (name: string) => env.app(name);
  const post = (...args: Parameters<ConfigRepoPlatform['post']>) => env.post(...args);
  const syncedAt = (name: string, revision: string) => env.syncedAt(name, revision);
  const live = async (kind: string, namespace: string, name: string): Promise<boolean> => {
    const apiVersion = kind === 'Namespace' || kind === 'Service' ? 'v1' : 'apps/v1';
    return (await env.liveObject(apiVersion, kind, namespace, name)) !== undefined;
  };

  function pullRequest(action: 'opened' | 'synchronize' | 'closed', number: number, label: string) {
    const example =
      examples.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === action) ??
      examples.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === 'opened');
    if (example === undefined) throw new Error('no pull_request example');
    const pr = example.pull_request as Record<string, unknown>;
    return githubRequest(
      'pull_request',
      {
        ...example,
        action,
        number,
        pull_request: {
          ...pr,
          number,
          state: action === 'closed' ? 'closed' : 'open',
          labels: [{ name: label }],
          head: { ...(pr.head as object), ref: `feature-${number}`, sha: heads.get(number) },
          base: { ...(pr.base as object), ref: 'main' },
        },
        repository: {
          ...(example.repository as object),
          full_name: 'driftless-dev/gitops-config',
          html_url: 'https://github.com/driftless-dev/gitops-config',
        },
      },
      new Date(),
    );
  }

  async function pushHead(number: number, files: Record<string, string | null>): Promise<string> {
    // A new branch starts where the pull request forks off: main.
    if (!heads.has(number)) await server.setRef(REPO, { ref: `feature-${number}`, target: 'main' });
    const sha = await server.commit(REPO, { branch: `feature-${number}`, files });
    await server.setRef(REPO, { ref: `refs/pull/${number}/head`, target: sha });
    heads.set(number, sha);
    return sha;
  }

  beforeAll(async () => {
    api = await startRecordingServer();
    env = await startConfigRepoPlatform({
      tempPrefix: 'serve-previews-',
      sandboxStepMs: STEP_MS,
      waitMs: WAIT_MS,
      tags: ['v1.0.0'],
      files: async (repoURL) => ({
        ...(await filesUnder(join(EXAMPLE_CONFIG_DIR, '..', 'config'))),
        'argocd/projects.yaml': await exampleArgo('projects.yaml', repoURL),
        'argocd/web.yaml': await promotingWebYaml(repoURL),
        'argocd/previews.yaml': (
          previewSet('web-pr', 'preview', '1h') + previewSet('short-pr', 'short', '2s')
        ).replaceAll(EXAMPLE_REPO_URL, repoURL),
        'argocd/argocd-secret.yaml': argocdSecretYaml(
          `  driftless.github.token: status-token\n  driftless.github.url: ${api.baseURL}\n`,
        ),
      }),
    });
    server = env.server;
  }, 60_000);

  afterAll(async () => {
    await env?.stop();
    await api?.stop();
  });

  it('a pull_request opened webhook becomes a preview synced into pr-N, its Sync hook ran, the status is posted', async () => {
    const head = await pushHead(7, {
      'apps/web/base/kustomization.yaml': (
        await git('show', 'main:apps/web/base/kustomization.yaml')
      ).replace('LOG_LEVEL=info', 'LOG_LEVEL=trace'),
    });
    const answer = await post(pullRequest('opened', 7, 'preview'));
    expect(answer.status).toBe(202);
    const view = await syncedAt('web-pr-7', head);
    expect(view.spec.destination.namespace).toBe('pr-7');
    const results = view.status.operationState?.syncResult?.resources ?? [];
    expect(results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'Job',
          name: 'smoke-test',
          hookType: 'Sync',
          hookPhase: 'Succeeded',
        }),
        expect.objectContaining({ kind: 'Deployment', namespace: 'pr-7', name: 'web' }),
      ]),
    );
    expect(await live('Deployment', 'pr-7', 'web')).toBe(true);
    const posted = await eventually('the commit status', async () => {
      const found = api.requests.filter(
        (r) => r.url === `/repos/driftless-dev/gitops-config/statuses/${head}`,
      );
      return found.length > 0 ? found : undefined;
    });
    expect(posted).toHaveLength(1);
    expect(posted[0]?.headers.authorization).toBe('Bearer status-token');
    expect(posted[0]?.body).toMatchObject({ state: 'success', context: 'driftless/preview' });
  });

  it('synchronize with a new head moves the preview to that commit (a deleted file is pruned)', async () => {
    const kustomization = (await git('show', `${heads.get(7)}:apps/web/base/kustomization.yaml`)).replace(
      '  - service.yaml\n',
      '',
    );
    const head = await pushHead(7, {
      'apps/web/base/kustomization.yaml': kustomization,
      'apps/web/base/service.yaml': null,
    });
    expect(await post(pullRequest('synchronize', 7, 'preview'))).toHaveProperty('status', 202);
    const view = await syncedAt('web-pr-7', head);
    expect(view.status.history.map((h) => h.revision).at(-1)).toBe(head);
    await eventually('the Service pruned', async () =>
      (await live('Service', 'pr-7', 'web')) ? undefined : true,
    );
    expect(api.requests.some((r) => r.url === `/repos/driftless-dev/gitops-config/statuses/${head}`)).toBe(
      true,
    );
  });

  it('closed removes the preview with its resources and its namespace', async () => {
    expect(await post(pullRequest('closed', 7, 'preview'))).toHaveProperty('status', 202);
    await eventually('web-pr-7 gone', async () => ((await app('web-pr-7')) === undefined ? true : undefined));
    await eventually('namespace pr-7 gone', async () =>
      (await live('Namespace', '', 'pr-7')) ? undefined : true,
    );
    expect(await live('Deployment', 'pr-7', 'web')).toBe(false);
  });

  it('a preview whose close event was lost is removed on the drift tick after its TTL', async () => {
    const head = await pushHead(8, {});
    expect(await post(pullRequest('opened', 8, 'short'))).toHaveProperty('status', 202);
    const openedAt = Date.now();
    await syncedAt('short-pr-8', head);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, openedAt + 2_500 - Date.now())));
    await env.local.platform.scanDrift();
    await eventually('short-pr-8 gone', async () =>
      (await app('short-pr-8')) === undefined ? true : undefined,
    );
    await eventually('namespace pr-8 gone', async () =>
      (await live('Namespace', '', 'pr-8')) ? undefined : true,
    );
  });

  it('driftless promote commits to the git server and its push webhook syncs the new revision', async () => {
    await server.tag(REPO, { name: 'v1.1.0', target: 'main' });
    const tagged = await git('rev-parse', 'v1.1.0^{commit}');
    const before = await git('rev-parse', 'main');
    const io = captureIO();
    const code = await promoteCommand(
      [
        'web-staging',
        '--to',
        'v1.1.0',
        '--config',
        server.url(REPO),
        '--author',
        'Ana Lima <ana@example.com>',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.stderr() + io.stdout()).toContain('spec.source.targetRevision: main -> v1.1.0');
    const after = await git('rev-parse', 'main');
    expect(after).not.toBe(before);
    expect(await git('log', '-1', '--format=%an', 'main')).toBe('Ana Lima');
    expect(await git('show', 'main:argocd/web.yaml')).toMatch(/path: apps\/web\/overlays\/staging/);
    const answer = await post(
      pushRequest({ repoURL: server.url(REPO), before, after, files: ['argocd/web.yaml'], now: new Date() }),
    );
    expect(answer.status).toBe(202);
    const view: ApplicationView = await eventually('web-staging on v1.1.0', async () => {
      const v = await app('web-staging');
      return v?.spec.source?.targetRevision === 'v1.1.0' ? v : undefined;
    });
    expect(view.spec.source?.targetRevision).toBe('v1.1.0');
    expect((await syncedAt('web-staging', tagged)).status.sync.status).toBe('Synced');
  });
});
