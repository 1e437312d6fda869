/**
 * The automated promotion rule on the local platform (`startLocalPlatform`, sandbox emulator with
 * slow simulated controllers), reading its Argo CD objects from a config repository that is also
 * the apps' repository, as the example lays it out. web-dev carries `driftless.dev/promote-to:
 * web-staging` with `promote-field: image`. A push bumps dev's image tag: while dev's Deployment
 * rolls out nothing is committed; once dev is Healthy exactly one commit sets staging's tag, and
 * the push webhook for that commit brings staging to Synced at it, running the new image.
 */

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG_DIR } from '../../../cli/example-repo.js';
import { pushRequest } from '../pipeline/pipeline-harness.js';
import {
  argocdSecretYaml,
  type ConfigRepoPlatform,
  eventually,
  exampleArgo,
  filesUnder,
  promotingWebYaml,
  REPO,
  startConfigRepoPlatform,
} from './serve-harness.js';

/** Slow enough that dev's rollout is seen Progressing for several polls. */
const STEP_MS = 300;
const DEV_OVERLAY = 'apps/web/overlays/dev/kustomization.yaml';
const STAGING_OVERLAY = 'apps/web/overlays/staging/kustomization.yaml';

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
  let env: ConfigRepoPlatform;

  const git = (...args: string[]) => env.git(...args);
  const app = (name: string) => env.app(name);
  const commitCount = async () => Number(await git('rev-list', '--count', 'main'));
  const liveImage = async (namespace: string, name: string): Promise<string | undefined> => {
    const deployment = (await env.liveObject('apps/v1', 'Deployment', namespace, name)) as
      | { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }
      | undefined;
    return deployment?.spec?.template?.spec?.containers?.[0]?.image;
  };

  beforeAll(async () => {
    env = await startConfigRepoPlatform({
      tempPrefix: 'serve-promotion-',
      sandboxStepMs: STEP_MS,
      files: async (repoURL) => ({
        ...(await webFiles()),
        'argocd/projects.yaml': await exampleArgo('projects.yaml', repoURL),
        'argocd/web.yaml': await promotingWebYaml(repoURL),
        'argocd/argocd-secret.yaml': argocdSecretYaml(),
      }),
    });
  }, 60_000);

  afterAll(async () => {
    await env?.stop();
  });

  it('commits nothing while both environments run the same tag', async () => {
    expect(await env.local.idle({ timeoutMs: 10_000 })).toBe(true);
    expect(await commitCount()).toBe(1);
    expect((await app('web-dev'))?.status.conditions?.map((c) => c.type)).not.toContain('PromotionError');
  });

  it('promotes dev → staging by one commit only after dev is Healthy, and staging then runs it', async () => {
    const before = await git('rev-parse', 'main');
    const bumped = (await git('show', `main:${DEV_OVERLAY}`)).replace('newTag: 1.0.0', 'newTag: 1.1.0');
    const pushed = await env.server.commit(REPO, { branch: 'main', files: { [DEV_OVERLAY]: bumped } });
    expect(
      await env.post(
        pushRequest({
          repoURL: env.server.url(REPO),
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
      await env.post(
        pushRequest({
          repoURL: env.server.url(REPO),
          before: pushed,
          after: promotion,
          files: [STAGING_OVERLAY],
          now: new Date(),
        }),
      ),
    ).toHaveProperty('status', 202);
    await env.syncedAt('web-staging', promotion);
    expect(await liveImage('web-staging', 'staging-web')).toBe('ghcr.io/driftless-dev/web:1.1.0');
    expect(await env.local.idle({ timeoutMs: 10_000 })).toBe(true);
    expect(await commitCount()).toBe(3);
    const dev = await app('web-dev');
    expect(dev?.status.conditions?.find((c) => c.type === 'Promoted')?.message).toBe(
      'web-staging image ghcr.io/driftless-dev/web:1.1.0',
    );
  }, 40_000);
});
