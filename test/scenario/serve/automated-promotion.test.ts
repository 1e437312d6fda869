/**
 * The automated promotion rule on the local platform (`startLocalPlatform`, sandbox emulator with
 * slow simulated controllers), reading its Argo CD objects from a config repository that is also
 * the apps' repository, as the example lays it out. web-dev carries `driftless.dev/promote-to:
 * web-staging` with `promote-field: image`. A push bumps dev's image tag: while dev's Deployment
 * rolls out nothing is committed; once dev is Healthy exactly one commit sets staging's tag, and
 * the push webhook for that commit brings staging to Synced at it, running the new image.
 */

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG_DIR, EXAMPLE_REPO_URL } from '../../../cli/example-repo.js';
import { type LocalPlatform, startLocalPlatform } from '../../../cli/serve/index.js';
import type { WebhookRequest } from '../../../shared/webhook/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';
import { GITHUB_SECRET, pushRequest } from '../pipeline/pipeline-harness.js';

/** Slow enough that dev's rollout is seen Progressing for several polls. */
const STEP_MS = 300;
const REPO = 'gitops-config';
const DEV_OVERLAY = 'apps/web/overlays/dev/kustomization.yaml';
const STAGING_OVERLAY = 'apps/web/overlays/staging/kustomization.yaml';

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
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

/**
 * The example's web app without its Sync hook: the operation then ends as soon as its wave is
 * applied, so the refresh after it always finds the Deployment still rolling out.
 */
async function webFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(
    await filesUnder(join(EXAMPLE_CONFIG_DIR, '..', 'config', 'apps', 'web')),
  )) {
    if (path === 'base/smoke-test.yaml') continue;
    files[`apps/web/${path}`] =
      path === 'base/kustomization.yaml' ? text.replace('  - smoke-test.yaml\n', '') : text;
  }
  return files;
}

describe('automated promotion on the local platform', () => {
  let dir: string;
  let server: GitServer;
  let local: LocalPlatform;
  let url: string;

  const git = (...args: string[]) => server.git(REPO, args);
  const app = (name: string) => local.platform.getApp(name);
  const commitCount = async () => Number(await git('rev-list', '--count', 'main'));
  const liveImage = async (namespace: string, name: string): Promise<string | undefined> => {
    const kube = await local.platform.runtime.kubeFor({
      metadata: { name: 'probe' },
      spec: { destination: { server: 'https://kubernetes.default.svc' } },
    } as never);
    const deployment = (await kube.get('apps/v1', { group: 'apps', kind: 'Deployment', namespace, name })) as
      | { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }
      | undefined;
    return deployment?.spec?.template?.spec?.containers?.[0]?.image;
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
    dir = await mkdtemp(join(tmpdir(), 'serve-promotion-'));
    server = await startGitServer();
    const repoURL = server.url(REPO);
    const argo = async (file: string) =>
      (await readFile(join(EXAMPLE_CONFIG_DIR, file), 'utf8')).replaceAll(EXAMPLE_REPO_URL, repoURL);
    const web = (await argo('web.yaml')).split(/^---$/m).slice(0, 2).join('---');
    await server.createRepo(REPO, {
      files: {
        ...(await webFiles()),
        'argocd/projects.yaml': await argo('projects.yaml'),
        'argocd/web.yaml': web.replace(
          '    env: dev\n',
          '    env: dev\n  annotations:\n    driftless.dev/promote-to: web-staging\n    driftless.dev/promote-field: image\n',
        ),
        'argocd/argocd-secret.yaml': `apiVersion: v1
kind: Secret
metadata: {name: argocd-secret, namespace: argocd}
stringData:
  webhook.github.secret: ${GITHUB_SECRET}
`,
      },
    });
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
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits nothing while both environments run the same tag', async () => {
    expect(await local.idle({ timeoutMs: 10_000 })).toBe(true);
    expect(await commitCount()).toBe(1);
    expect((await app('web-dev'))?.status.conditions?.map((c) => c.type)).not.toContain('PromotionError');
  });

  it('promotes dev → staging by one commit only after dev is Healthy, and staging then runs it', async () => {
    const before = await git('rev-parse', 'main');
    const bumped = (await git('show', `main:${DEV_OVERLAY}`)).replace('newTag: 1.0.0', 'newTag: 1.1.0');
    const pushed = await server.commit(REPO, { branch: 'main', files: { [DEV_OVERLAY]: bumped } });
    expect(
      await post(
        pushRequest({
          repoURL: server.url(REPO),
          before,
          after: pushed,
          files: [DEV_OVERLAY],
          now: new Date(),
        }),
      ),
    ).toHaveProperty('status', 202);

    // Dev's new ReplicaSet rolls out step by step: seen Progressing, nothing is committed meanwhile.
    let progressingPolls = 0;
    await eventually('web-dev Healthy at the pushed commit', async () => {
      const view = await app('web-dev');
      const healthy =
        view?.status.sync.revision === pushed &&
        view.status.sync.status === 'Synced' &&
        view.status.health.status === 'Healthy';
      if (healthy) return true;
      if (view?.status.health.status === 'Progressing') {
        progressingPolls += 1;
        expect(await git('rev-parse', 'main')).toBe(pushed);
      }
      return undefined;
    });
    expect(progressingPolls).toBeGreaterThan(0);
    expect(await liveImage('web-dev', 'dev-web')).toBe('ghcr.io/driftless-dev/web:1.1.0');

    const promotion = await eventually('the promotion commit', async () => {
      const head = await git('rev-parse', 'main');
      return head === pushed ? undefined : head;
    });
    expect(await commitCount()).toBe(3);
    expect(await git('log', '-1', '--format=%s', 'main')).toBe(
      `promote web-staging: image -> ghcr.io/driftless-dev/web:1.1.0 (web-dev is Synced and Healthy at ${pushed.slice(0, 7)})`,
    );
    expect(await git('diff', '--name-only', pushed, promotion)).toBe(STAGING_OVERLAY);
    expect(await git('show', `main:${STAGING_OVERLAY}`)).toContain('newTag: 1.1.0');

    expect(
      await post(
        pushRequest({
          repoURL: server.url(REPO),
          before: pushed,
          after: promotion,
          files: [STAGING_OVERLAY],
          now: new Date(),
        }),
      ),
    ).toHaveProperty('status', 202);
    await syncedAt('web-staging', promotion);
    expect(await liveImage('web-staging', 'staging-web')).toBe('ghcr.io/driftless-dev/web:1.1.0');
    expect(await local.idle({ timeoutMs: 10_000 })).toBe(true);
    expect(await commitCount()).toBe(3);
    const dev = await app('web-dev');
    expect(dev?.status.conditions?.find((c) => c.type === 'Promoted')?.message).toBe(
      'web-staging image ghcr.io/driftless-dev/web:1.1.0',
    );
  }, 40_000);
});
