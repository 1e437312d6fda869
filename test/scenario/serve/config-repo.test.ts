/**
 * `driftless serve --config-repo URL#BRANCH:PATH`: the Argo CD objects come from a repository on
 * the git server (here also the apps' repository), so a push to it changes what runs. `--once`
 * shows the apps synced from it; a long-running serve takes a new Application from a pushed
 * commit and its webhook. Malformed or conflicting options are refused before anything starts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as serve } from '../../../cli/commands/serve.js';
import { EXAMPLE_CONFIG_DIR } from '../../../cli/example-repo.js';
import { captureIO } from '../../../cli/io.js';
import type { LocalPlatform } from '../../../cli/serve/index.js';
import type { WebhookRequest } from '../../../shared/webhook/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';
import { pushRequest } from '../pipeline/pipeline-harness.js';
import {
  argocdSecretYaml,
  eventually,
  exampleArgo,
  filesUnder,
  postWebhook,
  REPO,
  sandboxEnv,
  TUNING,
} from './serve-harness.js';

describe('driftless serve --config-repo', () => {
  let dir: string;
  let server: GitServer;
  let repoURL: string;
  const env = () => sandboxEnv(dir);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serve-config-repo-'));
    server = await startGitServer();
    repoURL = server.url(REPO);
    const argo = (file: string) => exampleArgo(file, repoURL);
    await server.createRepo(REPO, {
      files: {
        ...(await filesUnder(join(EXAMPLE_CONFIG_DIR, '..', 'config', 'apps', 'web'), 'apps/web/')),
        'argocd/projects.yaml': await argo('projects.yaml'),
        // web-dev alone: the first document of web.yaml.
        'argocd/web.yaml': (await argo('web.yaml')).split(/^---$/m)[0] ?? '',
        'argocd/argocd-secret.yaml': argocdSecretYaml(),
      },
    });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('--once syncs the apps the repository declares under PATH on BRANCH', async () => {
    const io = captureIO();
    const code = await serve(
      ['--once', '--config-repo', `${repoURL}#main:argocd`, '--state-dir', join(dir, 'once')],
      io,
      { env: env(), tuning: TUNING },
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    expect(io.stdout()).toContain(`Config   ${repoURL} at main, under argocd`);
    const head = (await server.git(REPO, ['rev-parse', 'main'])).slice(0, 7);
    expect(io.stdout()).toMatch(
      new RegExp(`^web-dev\\s+Synced\\s+Healthy\\s+${head}\\s+Succeeded\\s*$`, 'm'),
    );
    expect(io.stdout()).toContain('1 apps: 1 Synced, 0 OutOfSync, 0 with problems.');
  });

  it('a pushed Application and its webhook start a new app while serve runs', async () => {
    const stop = new AbortController();
    let ready: (local: LocalPlatform) => void = () => {};
    const started = new Promise<LocalPlatform>((resolve) => {
      ready = resolve;
    });
    const exit = serve(
      ['--config-repo', `${repoURL}#main:argocd`, '--port', '0', '--state-dir', join(dir, 'serve')],
      captureIO(),
      { env: env(), tuning: TUNING, signal: stop.signal, onReady: ready },
    );
    try {
      const local = await started;
      await eventually('web-dev Synced', async () =>
        (await local.platform.getApp('web-dev'))?.status.sync.status === 'Synced' ? true : undefined,
      );
      expect(await local.platform.getApp('web-qa')).toBeUndefined();
      const before = await server.git(REPO, ['rev-parse', 'main']);
      const qa = (await server.git(REPO, ['show', 'main:argocd/web.yaml']))
        .replaceAll('web-dev', 'web-qa')
        .replace('env: dev', 'env: qa')
        .replace('apps/web/overlays/dev', 'apps/web/base');
      const after = await server.commit(REPO, { branch: 'main', files: { 'argocd/web-qa.yaml': qa } });
      const request: WebhookRequest = pushRequest({
        repoURL,
        before,
        after,
        files: ['argocd/web-qa.yaml'],
        now: new Date(),
      });
      const answer = await postWebhook(local.url ?? '', request);
      expect(answer.status).toBe(202);
      const view = await eventually('web-qa Synced at the pushed commit', async () => {
        const v = await local.platform.getApp('web-qa');
        return v?.status.sync.status === 'Synced' && v.status.sync.revision === after ? v : undefined;
      });
      expect(view.spec.destination.namespace).toBe('web-qa');
    } finally {
      stop.abort();
      expect(await exit).toBe(0);
    }
  }, 40_000);

  it('refuses --config with --config-repo, and a --config-repo with no URL', async () => {
    const both = captureIO();
    expect(await serve(['--config', 'argocd', '--config-repo', repoURL, '--once'], both)).toBe(2);
    expect(both.stderr()).toContain('--config and --config-repo cannot be used together');
    const noURL = captureIO();
    expect(await serve(['--config-repo', '#main:argocd', '--once'], noURL)).toBe(2);
    expect(noURL.stderr()).toContain('--config-repo #main:argocd: no repository URL');
  });
});
