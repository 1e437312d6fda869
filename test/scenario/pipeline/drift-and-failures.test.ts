/**
 * After the first sync: a live edit found by the drift scan is healed for a selfHeal app and only
 * reported for one without selfHeal; a burst of pushes to one app ends with the last commit
 * applied and never two operations at once; a worker killed mid-operation is resumed by the next
 * delivery once its lease expires; a message that keeps failing lands in the dead-letter queue
 * with the reason stored on the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricName } from '../../../shared/observe/index.js';
import {
  configMapYaml,
  type Environment,
  liveObject,
  type Pipeline,
  pushRequest,
  startAppsPipeline,
} from './pipeline-harness.js';

/** Wave 0 takes a while to become healthy, so the operation needs more than one step. */
const CRASH_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: crash-a
spec:
  replicas: 1
  selector: {matchLabels: {app: crash-a}}
  template:
    metadata: {labels: {app: crash-a}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`;

const CRASH_LAST_WAVE = `apiVersion: v1
kind: ConfigMap
metadata:
  name: crash-b
  annotations: {argocd.argoproj.io/sync-wave: "1"}
data: {count: "1"}
`;

describe('drift, bursts and failures', () => {
  let env: Environment;
  let pipeline: Pipeline;
  let repoURL: string;
  let head: string;

  beforeAll(async () => {
    ({ env, pipeline, repoURL, head } = await startAppsPipeline({
      files: {
        'healed/cm.yaml': configMapYaml('healed', { level: '1' }),
        'reported/cm.yaml': configMapYaml('reported', { level: '1' }),
        'busy/cm.yaml': configMapYaml('busy', { push: '0' }),
        'crash/deploy.yaml': CRASH_DEPLOYMENT,
        'crash/cm.yaml': CRASH_LAST_WAVE,
      },
      apps: [
        { name: 'healed', path: 'healed', namespace: 'healed', policy: 'self-heal' },
        { name: 'reported', path: 'reported', namespace: 'reported', policy: 'automated' },
        { name: 'busy', path: 'busy', namespace: 'busy', policy: 'automated' },
        { name: 'crash', path: 'crash', namespace: 'crash', policy: 'manual' },
        {
          name: 'poison',
          repoURL: 'http://127.0.0.1:9/nothing-listens.git',
          path: 'x',
          namespace: 'poison',
          policy: 'automated',
        },
      ],
      maxReceiveCount: 3,
    }));
    await pipeline.platform.reloadConfig();
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await env?.stop();
  });

  it('heals a live edit for a selfHeal app and only reports it for another', async () => {
    for (const name of ['healed', 'reported']) {
      expect((await pipeline.platform.getApp(name))?.status.sync.status).toBe('Synced');
      await env.kube.apply(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: name }, data: { level: '9' } },
        { fieldManager: 'kubectl-edit', force: true },
      );
    }
    pipeline.clock.skip(10_000); // past the first self-heal backoff
    const scan = await pipeline.platform.scanDrift();
    expect(scan.queued).toBe(5);
    await pipeline.drain();

    expect(liveObject(env, 'ConfigMap', 'healed', 'healed')?.data).toEqual({ level: '1' });
    const healed = await pipeline.platform.getApp('healed');
    expect(healed?.status.sync.status).toBe('Synced');
    expect(healed?.status.history).toHaveLength(2);

    expect(liveObject(env, 'ConfigMap', 'reported', 'reported')?.data).toEqual({ level: '9' });
    const reported = await pipeline.platform.getApp('reported');
    expect(reported?.status.sync.status).toBe('OutOfSync');
    expect(reported?.status.history).toHaveLength(1);
    expect(reported?.status.resources[0]?.driftedFields).toEqual(['data.level']);

    // The next scan publishes the fleet by status, zeros included, for the dashboard's stacks.
    await pipeline.platform.scanDrift();
    const { items: apps } = await pipeline.platform.listApps();
    const count = (pick: (app: (typeof apps)[number]) => string, status: string) =>
      apps.filter((app) => pick(app) === status).length;
    const gauge = (dimensions: Record<string, string>) =>
      pipeline.metrics.last({ name: MetricName.Applications, dimensions });
    for (const status of ['Synced', 'OutOfSync', 'Unknown']) {
      expect(gauge({ SyncStatus: status }), status).toBe(count((a) => a.status.sync.status, status));
    }
    for (const status of ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown']) {
      expect(gauge({ HealthStatus: status }), status).toBe(count((a) => a.status.health.status, status));
    }
    expect(gauge({ SyncStatus: 'OutOfSync' })).toBeGreaterThanOrEqual(1); // 'reported' at least
    expect(pipeline.metrics.last({ name: MetricName.OutOfSyncApplications })).toBe(
      gauge({ SyncStatus: 'OutOfSync' }),
    );
  });

  it('ends a burst of 50 pushes with the last commit applied, one operation at a time', async () => {
    let running = 0;
    let maxRunning = 0;
    const active = new Set<string>();
    const observe = async ({ operationId, phase }: { operationId: string; phase: string }) => {
      if (phase === 'Running') active.add(operationId);
      else active.delete(operationId);
      running = active.size;
      maxRunning = Math.max(maxRunning, running);
    };
    const draining = pipeline.drain({ workers: 4, onProgress: observe });
    let before = head;
    for (let i = 1; i <= 50; i++) {
      const after = await env.git.commit('apps', {
        branch: 'main',
        files: { 'busy/cm.yaml': configMapYaml('busy', { push: String(i) }) },
      });
      const answer = await pipeline.platform.acceptWebhook(
        pushRequest({ repoURL, before, after, files: ['busy/cm.yaml'], now: pipeline.clock.now() }),
      );
      expect(answer.queued).toEqual(['busy']);
      before = after;
    }
    await draining;
    await pipeline.drain({ workers: 4, onProgress: observe });
    head = before;

    expect(liveObject(env, 'ConfigMap', 'busy', 'busy')?.data).toEqual({ push: '50' });
    const busy = await pipeline.platform.getApp('busy');
    expect(busy?.status.sync).toEqual({ status: 'Synced', revision: head });
    expect(maxRunning).toBeLessThanOrEqual(1);
    const history = busy?.status.history ?? [];
    expect(history.at(-1)?.revision).toBe(head);
    // History ids are consecutive (nothing lost) and operations never overlap in time.
    const ids = history.map((h) => h.id);
    expect(ids).toEqual(ids.map((_, i) => (ids[0] ?? 0) + i));
    for (let i = 1; i < history.length; i++) {
      expect(Date.parse(history[i]?.deployStartedAt ?? '')).toBeGreaterThanOrEqual(
        Date.parse(history[i - 1]?.deployedAt ?? ''),
      );
    }
  });

  it('resumes an operation whose worker died after a step, once the lease expires', async () => {
    await pipeline.platform.syncApp('crash', { initiatedBy: 'alice' });
    const [message] = await pipeline.intake.receive({ max: 1 });
    expect(message).toBeDefined();
    // The worker dies right after saving its first step: no ack, no release.
    const killed = await pipeline.platform
      .processMessage(message!, {
        deadline: new Date(pipeline.clock.now().getTime() + 60_000),
        onProgress: () => {
          throw new Error('worker killed');
        },
      })
      .then(
        () => 'finished',
        (e: Error) => e.message,
      );
    expect(killed).toBe('worker killed');
    const stuck = await pipeline.platform.getApp('crash');
    expect(stuck?.status.operationState?.phase).toBe('Running');

    // Before the lease expires, another delivery must not run a second operation.
    const early = await pipeline.platform.processMessage(
      { ...message!, attempt: 2 },
      { deadline: new Date(pipeline.clock.now().getTime() + 60_000) },
    );
    expect(early.kind).toBe('retry-later');

    pipeline.clock.skip(200_000); // lease and visibility timeout both pass
    await pipeline.drain();
    const crash = await pipeline.platform.getApp('crash');
    expect(crash?.status.operationState?.phase).toBe('Succeeded');
    expect(crash?.status.sync.status).toBe('Synced');
    expect(crash?.status.history).toHaveLength(1);
    expect(liveObject(env, 'ConfigMap', 'crash', 'crash-b')?.data).toEqual({ count: '1' });
  });

  it('moves a message that keeps failing to the dead-letter queue and says why on the app', async () => {
    const poison = await pipeline.platform.getApp('poison');
    expect(poison?.status.lastError).toMatch(
      /refresh message failed 3 times, moved to the dead-letter queue/,
    );
    const dead = pipeline.intakeDeadLetter.snapshot().filter((m) => m.groupId === 'poison');
    expect(dead.length).toBeGreaterThan(0);
    expect(dead[0]?.deadLetter?.reason).toBeTruthy();
  });
});
