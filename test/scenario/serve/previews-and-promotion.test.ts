/**
 * Previews and promotion on the local platform (`startLocalPlatform`, sandbox emulator), with
 * the config repository on a real git server: a copy of examples/config plus the Argo CD objects
 * under argocd/ (web-dev promoting its image to web-staging, pull-request ApplicationSets, an
 * argocd-secret with the webhook secret and a GitHub status token pointed at a local recording
 * server). Webhooks go over HTTP to the platform's own endpoint, signed as GitHub signs them.
 */

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as promoteCommand } from '../../../cli/commands/promote.js';
import { EXAMPLE_CONFIG_DIR, EXAMPLE_REPO_URL } from '../../../cli/example-repo.js';
import { captureIO } from '../../../cli/io.js';
import { type LocalPlatform, startLocalPlatform } from '../../../cli/serve/index.js';
import type { ApplicationView } from '../../../shared/pipeline/index.js';
import type { WebhookRequest } from '../../../shared/webhook/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';
import { githubRequest, type RecordingServer, startRecordingServer } from '../appset/appset-harness.js';
import { GITHUB_SECRET, pushRequest } from '../pipeline/pipeline-harness.js';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as readonly {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}[];

const STEP_MS = 50;
const REPO = 'gitops-config';

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

async function filesUnder(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path).split('\\').join('/')] = await readFile(path, 'utf8');
  }
  return files;
}

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
  let dir: string;
  let server: GitServer;
  let api: RecordingServer;
  let local: LocalPlatform;
  let url: string;
  const heads = new Map<number, string>();

  const git = (...args: string[]) => server.git(REPO, args);
  const app = (name: string) => local.platform.getApp(name);
  const live = async (kind: string, namespace: string, name: string): Promise<boolean> => {
    const kube = await local.platform.runtime.kubeFor({
      metadata: { name: 'probe' },
      spec: { destination: { server: 'https://kubernetes.default.svc' } },
    } as never);
    const apiVersion = kind === 'Namespace' || kind === 'Service' ? 'v1' : 'apps/v1';
    const group = apiVersion === 'v1' ? '' : 'apps';
    return (await kube.get(apiVersion, { group, kind, namespace, name })) !== undefined;
  };

  async function post(request: WebhookRequest): Promise<Response> {
    return fetch(`${url}/api/webhook`, {
      method: 'POST',
      headers: Object.fromEntries(
        Object.entries(request.headers).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ),
      body: request.rawBody,
    });
  }

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

  const syncedAt = (name: string, revision: string) =>
    eventually(`${name} Synced and Healthy at ${revision.slice(0, 7)}`, async () => {
      const view = await app(name);
      return view?.status.sync.revision === revision &&
        view.status.sync.status === 'Synced' &&
        view.status.health.status === 'Healthy' &&
        view.status.operationState?.phase === 'Succeeded'
        ? view
        : undefined;
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serve-previews-'));
    [server, api] = await Promise.all([startGitServer(), startRecordingServer()]);
    const repoURL = server.url(REPO);
    const argo = async (file: string) =>
      (await readFile(join(EXAMPLE_CONFIG_DIR, file), 'utf8')).replaceAll(EXAMPLE_REPO_URL, repoURL);
    const web = (await argo('web.yaml')).split(/^---$/m).slice(0, 2).join('---');
    const files = {
      ...(await filesUnder(join(EXAMPLE_CONFIG_DIR, '..', 'config'))),
      'argocd/projects.yaml': await argo('projects.yaml'),
      'argocd/web.yaml': web.replace(
        '  labels:\n    app.kubernetes.io/part-of: web\n    env: dev\n',
        '  labels:\n    app.kubernetes.io/part-of: web\n    env: dev\n  annotations:\n    driftless.dev/promote-to: web-staging\n    driftless.dev/promote-field: image\n',
      ),
      'argocd/previews.yaml': (
        previewSet('web-pr', 'preview', '1h') + previewSet('short-pr', 'short', '2s')
      ).replaceAll(EXAMPLE_REPO_URL, repoURL),
      'argocd/argocd-secret.yaml': `apiVersion: v1
kind: Secret
metadata: {name: argocd-secret, namespace: argocd}
stringData:
  webhook.github.secret: ${GITHUB_SECRET}
  driftless.github.token: status-token
  driftless.github.url: ${api.baseURL}
`,
    };
    await server.createRepo(REPO, { files });
    await server.tag(REPO, { name: 'v1.0.0', target: 'main' });
    local = await startLocalPlatform({
      configRepo: { repoURL, targetRevision: 'main', path: 'argocd' },
      repoMappings: [],
      stateDir: join(dir, 'state'),
      port: 0,
      allowUnsigned: false,
      env: { ...process.env, KUBECONFIG: join(dir, 'no-such-kubeconfig'), HOME: dir },
      step: { pollSeconds: 0.05, waveDelaySeconds: 0, transientDelaySeconds: 0.05 },
      sandboxStepMs: STEP_MS,
    });
    url = local.url ?? '';
    await local.start();
    const main = await git('rev-parse', 'main');
    await Promise.all([syncedAt('web-dev', main), syncedAt('web-staging', main)]);
  }, 60_000);

  afterAll(async () => {
    await local?.stop();
    await Promise.all([server?.stop(), api?.stop()]);
    await rm(dir, { recursive: true, force: true });
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
    await local.platform.scanDrift();
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
