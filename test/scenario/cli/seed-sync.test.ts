/**
 * The seed scenario end to end through the CLI on the Kubernetes API emulator: `driftless sync`
 * of examples/argocd/web.yaml's web-dev (kustomize overlay apps/web/overlays/dev from
 * examples/config, CreateNamespace, a Sync-hook smoke-test Job), then `driftless diff` in sync,
 * a live edit that diff names, a sync that heals it, and clusters chosen from cluster Secrets.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run as diff } from '../../../cli/commands/diff.js';
import { run as sync } from '../../../cli/commands/sync.js';
import { captureIO } from '../../../cli/io.js';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { EMULATOR_TOKEN } from '../../support/kube-emulator/kubeconfig.js';

const REPO = 'https://github.com/driftless-dev/gitops-config.git';
const TRACKING = 'argocd.argoproj.io/tracking-id';

describe('driftless sync and diff of the seed app on the emulator', () => {
  let emulator: KubeEmulator;
  let dir: string;
  let kubeconfig: string;

  beforeAll(async () => {
    emulator = await startKubeEmulator({ controller: { stepMs: 10 } });
    dir = mkdtempSync(join(tmpdir(), 'cli-scenario-'));
    kubeconfig = join(dir, 'kubeconfig');
    await emulator.writeKubeconfig(kubeconfig);
  });

  afterAll(async () => {
    await emulator?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const webDev = () => [
    'examples/argocd/web.yaml',
    '--app',
    'web-dev',
    '--repo',
    `${REPO}=examples/config`,
    '--kubeconfig',
    kubeconfig,
  ];
  const fast = ['--poll', '0.05', '--wave-delay', '0'];

  async function livePatch(path: string, contentType: string, body: unknown): Promise<void> {
    const response = await fetch(`${emulator.url}${path}?fieldManager=kubectl-edit`, {
      method: 'PATCH',
      headers: { 'content-type': contentType, authorization: `Bearer ${EMULATOR_TOKEN}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  }

  function deploymentSpec(): { replicas: number; image: string } {
    const live = emulator.getObject('apps/v1', 'Deployment', 'web-dev', 'dev-web') as {
      spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
    };
    return { replicas: live.spec.replicas, image: live.spec.template.spec.containers[0]!.image };
  }

  it('syncs web-dev: namespace, overlay resources, and the smoke-test hook that gates it', async () => {
    const io = captureIO();
    const code = await sync([...webDev(), ...fast], io);
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const lines = io.stdout().split('\n');
    expect(lines[0]).toMatch(
      /^web-dev: syncing [0-9a-f]{12} to in-cluster \(https:\/\/kubernetes\.default\.svc\)$/,
    );
    const progress = lines.slice(1, -2).map((l) => l.split(/\s+/).slice(0, 4).join(' '));
    expect(progress[0]).toBe('Namespace/web-dev namespace Synced -');
    expect(progress).toContain('Job/dev-smoke-test Sync-hook Synced Healthy');
    // How far the rollout got between two looks depends on timing; that it was applied does not.
    expect(progress.filter((l) => l.startsWith('Deployment/dev-web')).length).toBeGreaterThan(0);
    expect(progress.filter((l) => l.startsWith('Deployment/dev-web'))).toEqual(
      progress
        .filter((l) => l.startsWith('Deployment/dev-web'))
        .map((l) =>
          /^Deployment\/dev-web apply Synced (Progressing|Healthy)$/.test(l) ? l : `unexpected: ${l}`,
        ),
    );
    expect(progress.filter((l) => l.startsWith('Service/dev-web apply Synced'))).toHaveLength(1);
    expect(lines.at(-2)).toMatch(/^web-dev: Succeeded: successfully synced .*API requests \(.*apply \d+/);

    const deployment = emulator.getObject('apps/v1', 'Deployment', 'web-dev', 'dev-web') as {
      metadata: { annotations: Record<string, string> };
    };
    expect(deployment.metadata.annotations[TRACKING]).toBe('web-dev:apps/Deployment:web-dev/dev-web');
    expect(deploymentSpec()).toEqual({ replicas: 1, image: 'ghcr.io/driftless-dev/web:1.0.0' });
    // The hook ran to completion and, per HookSucceeded, was deleted afterwards.
    const hookRuns = emulator.requests.filter((r) => r.resource === 'jobs' && !r.dryRun);
    expect(hookRuns.map((r) => r.verb)).toEqual(expect.arrayContaining(['apply', 'delete']));
    expect(emulator.getObject('batch/v1', 'Job', 'web-dev', 'dev-smoke-test')).toBeUndefined();
  });

  it('diffs in sync right after the sync: server defaults are not drift', async () => {
    const io = captureIO();
    expect(await diff(webDev(), io)).toBe(0);
    expect(io.stdout()).toBe('');
    expect(io.stderr()).toMatch(
      /^web-dev: Synced \(0 of 3 resources differ\), health Healthy at [0-9a-f]+\n$/,
    );
  });

  it('names a live edit, and sync heals it', async () => {
    await livePatch('/apis/apps/v1/namespaces/web-dev/deployments/dev-web', 'application/merge-patch+json', {
      spec: { replicas: 3 },
    });
    await livePatch(
      '/apis/apps/v1/namespaces/web-dev/deployments/dev-web',
      'application/strategic-merge-patch+json',
      {
        spec: {
          template: { spec: { containers: [{ name: 'web', image: 'ghcr.io/driftless-dev/web:1.0.1' }] } },
        },
      },
    );
    const io = captureIO();
    expect(await diff(webDev(), io)).toBe(1);
    expect(io.stdout()).toContain('===== apps/Deployment web-dev/dev-web ======');
    expect(io.stdout()).toContain('-  replicas: 3\n+  replicas: 1\n');
    expect(io.stdout()).toContain(
      '-        image: ghcr.io/driftless-dev/web:1.0.1\n+        image: ghcr.io/driftless-dev/web:1.0.0\n',
    );
    expect(io.stdout()).not.toContain('===== /Service');
    expect(io.stderr()).toContain('web-dev: OutOfSync (1 of 3 resources differ)');

    expect(await sync([...webDev(), ...fast], captureIO())).toBe(0);
    expect(deploymentSpec()).toEqual({ replicas: 1, image: 'ghcr.io/driftless-dev/web:1.0.0' });
    expect(await diff(webDev(), captureIO())).toBe(0);
  });

  it('syncs nothing with --dry-run', async () => {
    await livePatch('/apis/apps/v1/namespaces/web-dev/deployments/dev-web', 'application/merge-patch+json', {
      spec: { replicas: 2 },
    });
    emulator.resetRequests();
    const io = captureIO();
    expect(await sync([...webDev(), ...fast, '--dry-run'], io)).toBe(0);
    expect(io.stdout()).toContain('dry run');
    const writes = emulator.requests.filter(
      (r) => !r.dryRun && ['apply', 'create', 'update', 'patch', 'delete'].includes(r.verb),
    );
    expect(writes).toEqual([]);
    expect(deploymentSpec().replicas).toBe(2);
  });

  it('takes other clusters from Argo CD cluster Secrets and names an unknown destination', async () => {
    // The kubeconfig points elsewhere; the Secret is the only way to the emulator.
    const elsewhere = join(dir, 'elsewhere-kubeconfig');
    writeFileSync(
      elsewhere,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'local', cluster: { server: 'http://127.0.0.1:9', 'insecure-skip-tls-verify': true } },
        ],
        users: [{ name: 'local', user: { token: 'x' } }],
        contexts: [{ name: 'local', context: { cluster: 'local', user: 'local' } }],
        'current-context': 'local',
      }),
    );
    const config = join(dir, 'apps.yaml');
    const app = (name: string, destination: Record<string, string>) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: REPO, targetRevision: 'main', path: 'apps/web/overlays/staging' },
        destination,
      },
    });
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'emulator-cluster',
        namespace: 'argocd',
        labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
      },
      stringData: {
        name: 'emulated',
        server: emulator.url,
        config: JSON.stringify({ bearerToken: EMULATOR_TOKEN, tlsClientConfig: { insecure: true } }),
      },
    };
    writeFileSync(
      config,
      [
        app('web-staging', { name: 'emulated', namespace: 'web-staging' }),
        app('lost', { server: 'https://lost.example.com:6443', namespace: 'lost' }),
        secret,
      ]
        .map((d) => stringify(d))
        .join('---\n'),
    );
    const common = ['--repo', `${REPO}=examples/config`, '--kubeconfig', elsewhere];

    const staging = captureIO();
    const stagingCode = await diff([config, '--app', 'web-staging', ...common], staging);
    expect(staging.stderr()).not.toContain('driftless diff:');
    expect(stagingCode).toBe(1);
    expect(staging.stdout()).toContain('===== apps/Deployment web-staging/staging-web ======');
    expect(staging.stderr()).toContain('web-staging: OutOfSync (3 of 3 resources differ), health Missing');

    const lost = captureIO();
    expect(await diff([config, '--app', 'lost', ...common], lost)).toBe(2);
    expect(lost.stderr()).toContain(
      'driftless diff: app "lost": destination server "https://lost.example.com:6443": no such cluster is configured',
    );
    expect(lost.stderr()).toContain('cluster Secrets: emulated');
  });

  it('prunes what git no longer renders only with --prune', async () => {
    const repo = join(dir, 'prune-repo');
    mkdirSync(join(repo, 'settings'), { recursive: true });
    const cm = (name: string) =>
      stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { name } });
    writeFileSync(join(repo, 'settings', 'a.yaml'), cm('keep'));
    writeFileSync(join(repo, 'settings', 'b.yaml'), cm('drop'));
    const config = join(dir, 'prune-app.yaml');
    writeFileSync(
      config,
      stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'pruning', namespace: 'argocd' },
        spec: {
          project: 'default',
          source: { repoURL: 'https://git.example.com/prune.git', targetRevision: 'main', path: 'settings' },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'pruning' },
          syncPolicy: { syncOptions: ['CreateNamespace=true'] },
        },
      }),
    );
    const args = [
      config,
      '--repo',
      `https://git.example.com/prune.git=${repo}`,
      '--kubeconfig',
      kubeconfig,
      ...fast,
    ];
    expect(await sync(args, captureIO())).toBe(0);
    expect(emulator.getObject('v1', 'ConfigMap', 'pruning', 'drop')).toBeDefined();

    rmSync(join(repo, 'settings', 'b.yaml'));
    const withoutPrune = captureIO();
    expect(await sync(args, withoutPrune)).toBe(0);
    expect(withoutPrune.stdout()).toMatch(
      /ConfigMap\/drop +prune +PruneSkipped +- +ignored \(requires pruning\)/,
    );
    expect(emulator.getObject('v1', 'ConfigMap', 'pruning', 'drop')).toBeDefined();
    expect(await diff(args.slice(0, 5), captureIO())).toBe(1);

    const pruning = captureIO();
    expect(await sync([...args, '--prune'], pruning)).toBe(0);
    expect(pruning.stdout()).toMatch(/ConfigMap\/drop +prune +Pruned/);
    expect(emulator.getObject('v1', 'ConfigMap', 'pruning', 'drop')).toBeUndefined();
    expect(emulator.getObject('v1', 'ConfigMap', 'pruning', 'keep')).toBeDefined();
    expect(await diff(args.slice(0, 5), captureIO())).toBe(0);
  });

  it('refuses bad options with usage errors', async () => {
    const io = captureIO();
    expect(await sync([...webDev(), '--timeout', 'soon'], io)).toBe(2);
    expect(io.stderr()).toContain('--timeout takes a number of seconds, not "soon"');
    expect(await diff([], captureIO())).toBe(2);
  });
});
