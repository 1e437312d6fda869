/**
 * `driftless serve` in process, as a user on a machine with no kubeconfig runs it: the sandbox
 * emulator is started, the example's automated apps end Synced/Healthy, `driftless app` reads and
 * drives them over HTTP, a signed GitHub push leads to a new sync, and shutdown leaves nothing
 * running. `--once` runs one pass and reports through its exit status.
 */
import * as fs from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppApiClient } from '../../../cli/app-client/index.js';
import { run as app } from '../../../cli/commands/app.js';
import { run as serve } from '../../../cli/commands/serve.js';
import { buildExampleRepo, EXAMPLE_CONFIG_DIR, EXAMPLE_REPO_URL } from '../../../cli/example-repo.js';
import { captureIO } from '../../../cli/io.js';
import type { ApplicationView } from '../../../shared/pipeline/index.js';
import { ARGOCD_SECRET, pushRequest } from '../pipeline/pipeline-harness.js';
import { eventually, sandboxEnv, TUNING } from './serve-harness.js';

const AUTOMATED = ['api-dev', 'infrastructure', 'metrics-agent', 'web-dev', 'web-staging'];
const AUTHOR = { name: 'dev', email: 'dev@example.com' };

describe('driftless serve with no kubeconfig', () => {
  let dir: string;
  let repo: string;
  let url: string;
  let client: AppApiClient;
  let exit: Promise<number>;
  const stop = new AbortController();
  const io = captureIO();
  const handlesBefore = process.getActiveResourcesInfo();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serve-scenario-'));
    repo = await buildExampleRepo(join(dir, 'repos'));
    const config = join(dir, 'config');
    await cp(EXAMPLE_CONFIG_DIR, config, { recursive: true });
    await writeFile(join(config, 'argocd-secret.yaml'), ARGOCD_SECRET);
    let ready: (url: string) => void = () => {};
    const listening = new Promise<string>((resolve) => {
      ready = resolve;
    });
    exit = serve(
      [
        '--config',
        config,
        '--repo',
        `${EXAMPLE_REPO_URL}=${repo}`,
        '--port',
        '0',
        '--state-dir',
        join(dir, 'state'),
        '--drift-interval',
        '0',
      ],
      io,
      {
        signal: stop.signal,
        env: sandboxEnv(dir),
        tuning: TUNING,
        onReady: (local) => ready(local.url ?? ''),
      },
    );
    url = await Promise.race([
      listening,
      exit.then((code) => {
        throw new Error(`serve exited with ${code}: ${io.stderr()}`);
      }),
    ]);
    client = new AppApiClient({ server: url });
  });

  afterAll(async () => {
    stop.abort();
    await exit;
    await rm(dir, { recursive: true, force: true });
  });

  it('starts the emulator as a sandbox cluster, says so, and syncs the automated apps', async () => {
    expect(io.stdout()).toContain('SANDBOX');
    expect(io.stdout()).toContain(`kubectl --kubeconfig ${join(dir, 'state', 'sandbox.kubeconfig')}`);
    expect(io.stdout()).toContain('github set, gitlab not set');
    expect(await readdir(join(dir, 'state'))).toEqual(
      expect.arrayContaining(['store', 'sandbox.kubeconfig', 'driftless.log']),
    );
    const apps = await eventually('automated apps Synced and Healthy', async () => {
      const list = await client.listApps();
      const done = AUTOMATED.every((name) => {
        const a = list.find((v) => v.metadata.name === name);
        return a?.status.sync.status === 'Synced' && a.status.health.status === 'Healthy';
      });
      return done ? list : undefined;
    });
    expect(apps.find((a) => a.metadata.name === 'web-prod')?.status.sync.status).toBe('OutOfSync');
    // One event line per handled message, naming the app and what became of it.
    await eventually('event lines', async () =>
      /web-dev {2}\[config-reload\] {2}synced at [0-9a-f]{7}/.test(io.stdout()) ? true : undefined,
    );
  });

  it('lists, gets and shows history through driftless app', async () => {
    const head = await git.resolveRef({ fs, dir: repo, ref: 'main' });
    const list = captureIO();
    expect(await app(['list', '--server', url], list)).toBe(0);
    expect(list.stdout()).toMatch(
      /^NAME\s+CLUSTER\s+NAMESPACE\s+PROJECT\s+STATUS\s+HEALTH\s+SYNCPOLICY\s+REPO\s+PATH\s+TARGET$/m,
    );
    expect(list.stdout()).toMatch(
      /^argocd\/web-dev\s+https:\/\/kubernetes\.default\.svc\s+web-dev\s+apps\s+Synced\s+Healthy\s+Auto-Prune\s+https:\/\/github\.com\/driftless-dev\/gitops-config\.git\s+apps\/web\/overlays\/dev\s+main$/m,
    );
    expect(list.stdout()).toMatch(/^argocd\/web-prod\s.*\sOutOfSync\s+\S+\s+Manual\s.*\sv1\.0\.0$/m);

    const get = captureIO();
    expect(await app(['get', 'web-dev', '-o', 'json', '--server', url], get)).toBe(0);
    const view = JSON.parse(get.stdout()) as ApplicationView;
    expect(view.status.sync).toEqual({ status: 'Synced', revision: head });
    expect(view.status.health.status).toBe('Healthy');
    expect(view.status.operationState?.phase).toBe('Succeeded');
    expect(view.status.history.map((h) => h.revision)).toEqual([head]);
    expect(view.status.history[0]?.deployedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(view.status.resources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'Deployment',
          namespace: 'web-dev',
          name: 'dev-web',
          status: 'Synced',
        }),
      ]),
    );

    const history = captureIO();
    expect(await app(['history', 'web-dev', '--server', url], history)).toBe(0);
    expect(history.stdout()).toMatch(new RegExp(`^ID\\s+DATE\\s+REVISION\\n\\d+\\s+\\S+\\s+${head}\\n$`));

    const missing = captureIO();
    expect(await app(['get', 'nope', '--server', url], missing)).toBe(1);
    expect(missing.stderr()).toContain(`GET ${url}/api/v1/applications/nope: 404`);
  });

  it('accepts a signed GitHub push and syncs the app it touches to the new commit', async () => {
    const before = await git.resolveRef({ fs, dir: repo, ref: 'main' });
    await writeFile(
      join(repo, 'apps/web/overlays/dev/app.properties'),
      'environment=dev\nfeature.checkout=false\n',
    );
    await git.add({ fs, dir: repo, filepath: 'apps/web/overlays/dev/app.properties' });
    const after = await git.commit({ fs, dir: repo, message: 'turn checkout off', author: AUTHOR });
    const request = pushRequest({
      repoURL: EXAMPLE_REPO_URL,
      before,
      after,
      files: ['apps/web/overlays/dev/app.properties'],
      now: new Date(),
    });
    const post = (headers: Record<string, string | undefined>) =>
      fetch(`${url}/api/webhook`, {
        method: 'POST',
        headers: Object.fromEntries(
          Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
        ),
        body: request.rawBody,
      });
    const unsigned = await post({ ...request.headers, 'x-hub-signature-256': undefined });
    expect(unsigned.status).toBe(401);
    const accepted = await post(request.headers);
    expect(accepted.status).toBe(202);
    // Without manifest-generate-paths, a push refreshes every app following the pushed branch, as
    // in Argo CD; web-prod is pinned to a tag and stays out.
    const queued = ((await accepted.json()) as { queued: string[] }).queued;
    expect(queued).toContain('web-dev');
    expect(queued).not.toContain('web-prod');

    const view = await eventually('web-dev synced to the pushed commit', async () => {
      const v = await client.getApp('web-dev');
      return v.status.sync.revision === after &&
        v.status.sync.status === 'Synced' &&
        v.status.history.length === 2
        ? v
        : undefined;
    });
    expect(view.status.history.map((h) => h.revision)).toEqual([before, after]);
    expect(view.status.operationState?.operation.initiatedBy).toEqual({ automated: true });
  });

  it('syncs a manual app on driftless app sync', async () => {
    const out = captureIO();
    expect(await app(['sync', 'web-prod', '--server', url], out)).toBe(0);
    expect(out.stdout()).toMatch(/^Operation [0-9a-f-]{36} started: sync of web-prod queued\n$/);
    const view = await eventually('web-prod synced', async () => {
      const v = await client.getApp('web-prod');
      return v.status.operationState?.phase === 'Succeeded' && v.status.sync.status === 'Synced'
        ? v
        : undefined;
    });
    expect(view.status.operationState?.operation.initiatedBy).toEqual({ username: 'admin' });
    expect(view.status.history).toHaveLength(1);
  });

  it('stops cleanly: exit 0, servers and connections closed', async () => {
    stop.abort();
    expect(await exit).toBe(0);
    expect(io.stdout()).toMatch(/Stopped\.\n$/);
    const servers = (list: readonly string[]) => list.filter((r) => r === 'TCPServerWrap').length;
    expect(servers(process.getActiveResourcesInfo())).toBe(servers(handlesBefore));
    const sockets = (list: readonly string[]) => list.filter((r) => r === 'TCPSocketWrap').length;
    expect(sockets(process.getActiveResourcesInfo())).toBeLessThanOrEqual(sockets(handlesBefore));
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('driftless serve --once', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serve-once-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs the bundled example once, prints a summary and exits 0', async () => {
    const io = captureIO();
    const code = await serve(['--once', '--state-dir', join(dir, 'state')], io, {
      env: sandboxEnv(dir),
      tuning: TUNING,
    });
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    expect(io.stdout()).toContain('the bundled example');
    for (const name of AUTOMATED)
      expect(io.stdout()).toMatch(
        new RegExp(`^${name}\\s+Synced\\s+Healthy\\s+[0-9a-f]{7}\\s+Succeeded\\s*$`, 'm'),
      );
    expect(io.stdout()).toMatch(/^web-prod\s+OutOfSync\s/m);
    expect(io.stdout()).toContain('6 apps: 5 Synced, 1 OutOfSync, 0 with problems.');
  });

  it('exits 1 and says why when an app cannot be rendered', async () => {
    const config = join(dir, 'broken');
    await mkdir(config, { recursive: true });
    await cp(join(EXAMPLE_CONFIG_DIR, 'projects.yaml'), join(config, 'projects.yaml'));
    await writeFile(
      join(config, 'broken.yaml'),
      `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: broken, namespace: argocd}
spec:
  project: apps
  source: {repoURL: ${EXAMPLE_REPO_URL}, targetRevision: main, path: apps/does-not-exist}
  destination: {server: https://kubernetes.default.svc, namespace: web-broken}
  syncPolicy: {automated: {}}
`,
    );
    const repo = await buildExampleRepo(join(dir, 'repos'));
    const io = captureIO();
    const code = await serve(
      [
        '--once',
        '--config',
        config,
        '--repo',
        `${EXAMPLE_REPO_URL}=${repo}`,
        '--state-dir',
        join(dir, 'state2'),
      ],
      io,
      { env: sandboxEnv(dir), tuning: TUNING },
    );
    expect(code).toBe(1);
    expect(io.stdout()).toMatch(/^broken\s+Unknown\s.*apps\/does-not-exist/m);
    expect(io.stdout()).toContain('1 apps: 0 Synced, 0 OutOfSync, 1 with problems.');
  });
});
