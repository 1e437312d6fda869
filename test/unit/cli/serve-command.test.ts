/**
 * `driftless serve` options and target choice: usage errors, a missing kubeconfig or context named
 * in the message, a kubeconfig with a current context used as the target (proved by the objects a
 * `--once` pass leaves in that cluster), and one without a current context falling back to the sandbox.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as serve } from '../../../cli/commands/serve.js';
import { buildExampleRepo, EXAMPLE_REPO_URL } from '../../../cli/example-repo.js';
import { captureIO } from '../../../cli/io.js';
import { chooseTargetCluster } from '../../../cli/serve/index.js';
import { ClusterClientFactory, clustersFromKubeconfig } from '../../../shared/kube/index.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';

const TUNING = {
  step: { pollSeconds: 0.05, waveDelaySeconds: 0, transientDelaySeconds: 0.05 },
  sandboxStepMs: 10,
};

/** Polls a condition the platform reaches asynchronously. */
async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('driftless serve', () => {
  let dir: string;
  let env: Record<string, string | undefined>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serve-command-'));
    env = { ...process.env, KUBECONFIG: join(dir, 'absent'), HOME: dir };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints its usage on --help', async () => {
    const io = captureIO();
    expect(await serve(['--help'], io)).toBe(0);
    expect(io.stdout()).toContain('--once');
    expect(io.stdout()).toContain('--allow-unsigned');
  });

  it.each([
    [['--port', 'abc'], '--port abc: must be a number'],
    [['--port', '70000'], '--port 70000: must be a whole number from 0 to 65535'],
    [['--drift-interval', '-3'], '--drift-interval -3: must be a number'],
    [['--bogus'], 'unknown option --bogus'],
    [['extra'], 'unexpected argument extra'],
  ])('refuses %j with exit 2', async (args, message) => {
    const io = captureIO();
    expect(await serve(args, io, { env })).toBe(2);
    expect(io.stderr()).toContain(message);
  });

  it('names a --kubeconfig that does not exist and stops what it started', async () => {
    const io = captureIO();
    const missing = join(dir, 'nope.kubeconfig');
    expect(
      await serve(['--once', '--kubeconfig', missing, '--state-dir', join(dir, 's1')], io, { env }),
    ).toBe(1);
    expect(io.stderr()).toBe(`driftless serve: --kubeconfig ${missing}: no such file\n`);
  });

  it('refuses --context when there is no kubeconfig rather than starting a sandbox', async () => {
    const io = captureIO();
    expect(await serve(['--once', '--context', 'prod', '--state-dir', join(dir, 's2')], io, { env })).toBe(1);
    expect(io.stderr()).toContain(`--context prod: no kubeconfig at ${join(dir, 'absent')}`);
  });

  it('refuses a state directory another serve holds, and takes over a stale lock', async () => {
    const stateDir = join(dir, 'locked');
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, 'serve.lock'), `${process.pid}\n`);
    const io = captureIO();
    expect(
      await serve(['--once', '--kubeconfig', join(dir, 'nope'), '--state-dir', stateDir], io, { env }),
    ).toBe(1);
    expect(io.stderr()).toContain(
      `state directory ${stateDir} is in use by driftless serve (pid ${process.pid})`,
    );

    // No process has pid 2^22 + 1 (above Linux's pid_max default): the lock is stale.
    await writeFile(join(stateDir, 'serve.lock'), `${2 ** 22 + 1}\n`);
    const stale = captureIO();
    expect(
      await serve(['--once', '--kubeconfig', join(dir, 'nope'), '--state-dir', stateDir], stale, { env }),
    ).toBe(1);
    expect(stale.stderr()).toContain('--kubeconfig');
    expect(existsSync(join(stateDir, 'serve.lock'))).toBe(false);
  });

  describe('with a kubeconfig', () => {
    let emulator: KubeEmulator;

    beforeAll(async () => {
      emulator = await startKubeEmulator({ controller: { stepMs: 10 } });
    });

    afterAll(async () => {
      await emulator.stop();
    });

    /** A kubeconfig for the emulator, a config dir with one web-<env> app, and the example repo. */
    async function clusterSetup(prefix: string, env: string, automated: string) {
      const kubeconfig = join(dir, 'cluster.kubeconfig');
      await emulator.writeKubeconfig(kubeconfig);
      const config = join(dir, `${prefix}config`);
      await mkdir(config, { recursive: true });
      await writeFile(
        join(config, 'app.yaml'),
        `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web-${env}, namespace: argocd}
spec:
  project: default
  source: {repoURL: ${EXAMPLE_REPO_URL}, targetRevision: main, path: apps/web/overlays/${env}}
  destination: {server: https://kubernetes.default.svc, namespace: web-${env}}
  syncPolicy: {automated: ${automated}, syncOptions: [CreateNamespace=true]}
`,
      );
      return { kubeconfig, config, repo: await buildExampleRepo(join(dir, `${prefix}repos`)) };
    }

    it('deploys to its current context', async () => {
      const { kubeconfig, config, repo } = await clusterSetup('', 'dev', '{}');
      const io = captureIO();
      const code = await serve(
        [
          '--once',
          '--config',
          config,
          '--repo',
          `${EXAMPLE_REPO_URL}=${repo}`,
          '--state-dir',
          join(dir, 's3'),
        ],
        io,
        { env: { ...env, KUBECONFIG: kubeconfig }, tuning: TUNING },
      );
      expect(io.stderr()).toBe('');
      expect(code).toBe(0);
      expect(io.stdout()).toContain(`kubeconfig ${kubeconfig}, context "emulator" (${emulator.url})`);
      expect(io.stdout()).not.toContain('SANDBOX');
      expect(io.stdout()).toMatch(/^web-dev\s+Synced\s+Healthy\s/m);
      expect(emulator.getObject('apps/v1', 'Deployment', 'web-dev', 'dev-web')).toBeDefined();
      // A real cluster keeps its state table; only a sandbox starts afresh.
      expect(io.stdout()).toContain('(table driftless-state)');
    });

    it('heals a live edit of a self-heal app on the drift loop and stops on its signal', async () => {
      const { kubeconfig, config, repo } = await clusterSetup('heal-', 'staging', '{selfHeal: true}');
      const stop = new AbortController();
      const io = captureIO();
      const exit = serve(
        [
          '--config',
          config,
          '--repo',
          `${EXAMPLE_REPO_URL}=${repo}`,
          '--state-dir',
          join(dir, 's5'),
          '--port',
          '0',
          '--drift-interval',
          '0.5',
        ],
        io,
        { env: { ...env, KUBECONFIG: kubeconfig }, tuning: TUNING, signal: stop.signal },
      );
      const deployment = () => emulator.getObject('apps/v1', 'Deployment', 'web-staging', 'staging-web');
      try {
        await until(() => deployment() !== undefined);
        const [cluster] = clustersFromKubeconfig({ file: kubeconfig });
        const kube = await new ClusterClientFactory({ clock: systemClock }).clientFor(cluster!);
        // A live edit, as `kubectl scale` would make it; only the drift loop looks at the cluster now.
        await kube.apply(
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'staging-web', namespace: 'web-staging' },
            spec: { replicas: 5 },
          },
          { fieldManager: 'kubectl-scale', force: true },
        );
        const replicas = () => (deployment() as { spec?: { replicas?: number } } | undefined)?.spec?.replicas;
        expect(replicas()).toBe(5);
        await until(() => replicas() === 2);
        await until(() => /web-staging {2}\[drift-scan\] {2}synced/.test(io.stdout()));
      } finally {
        stop.abort();
      }
      expect(await exit).toBe(0);
    });

    it('falls back to the sandbox when the kubeconfig has no current context', async () => {
      const kubeconfig = join(dir, 'no-context.kubeconfig');
      await writeFile(
        kubeconfig,
        readFileSync(join(dir, 'cluster.kubeconfig'), 'utf8').replace(/current-context: .*/, ''),
      );
      const stateDir = join(dir, 's4');
      await mkdir(stateDir, { recursive: true });
      const target = await chooseTargetCluster({ env: { KUBECONFIG: kubeconfig }, stateDir });
      try {
        expect(target.kind).toBe('sandbox');
        expect(existsSync(join(stateDir, 'sandbox.kubeconfig'))).toBe(true);
        expect(target.cluster.server).not.toBe(emulator.url);
      } finally {
        await target.stop();
      }
    });
  });
});
