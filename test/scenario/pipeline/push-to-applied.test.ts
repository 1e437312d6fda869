/**
 * End to end: a signed GitHub push → queued → rendered → applied in the emulated cluster with the
 * tracking id → state, status and history written; a manual-policy app is only marked OutOfSync;
 * a replayed delivery queues nothing; a bad signature is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configMapYaml,
  type Environment,
  liveObject,
  type Pipeline,
  pushRequest,
  startAppsPipeline,
} from './pipeline-harness.js';

describe('push to applied', () => {
  let env: Environment;
  let pipeline: Pipeline;
  let repoURL: string;
  let first: string;

  beforeAll(async () => {
    ({
      env,
      pipeline,
      repoURL,
      head: first,
    } = await startAppsPipeline({
      files: {
        'web/cm.yaml': configMapYaml('web-settings', { color: 'blue' }),
        'api/cm.yaml': configMapYaml('api-settings', { color: 'blue' }),
      },
      apps: [
        { name: 'web', path: 'web', namespace: 'web', policy: 'automated' },
        { name: 'api', path: 'api', namespace: 'api', policy: 'manual' },
      ],
    }));
    const reload = await pipeline.platform.reloadConfig();
    expect(reload.created).toEqual(['web', 'api']);
    await pipeline.drain();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await env?.stop();
  });

  it('syncs an automated app and only marks a manual one OutOfSync', async () => {
    const second = await env.git.commit('apps', {
      branch: 'main',
      files: {
        'web/cm.yaml': configMapYaml('web-settings', { color: 'green' }),
        'api/cm.yaml': configMapYaml('api-settings', { color: 'green' }),
      },
    });
    const request = pushRequest({
      repoURL,
      before: first,
      after: second,
      files: ['web/cm.yaml', 'api/cm.yaml'],
      delivery: 'delivery-1',
      now: pipeline.clock.now(),
    });
    const answer = await pipeline.platform.acceptWebhook(request);
    expect(answer.status).toBe(202);
    expect([...answer.queued].sort()).toEqual(['api', 'web']);

    const replay = await pipeline.platform.acceptWebhook(request);
    expect(replay).toMatchObject({ status: 200, body: { message: 'duplicate delivery' }, queued: [] });

    await pipeline.drain();

    const live = liveObject(env, 'ConfigMap', 'web', 'web-settings');
    expect(live?.data).toEqual({ color: 'green' });
    expect(live?.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(
      'web:/ConfigMap:web/web-settings',
    );

    const web = await pipeline.platform.getApp('web');
    expect(web?.status.sync).toEqual({ status: 'Synced', revision: second });
    expect(web?.status.health.status).toBe('Healthy');
    expect(web?.status.operationState?.phase).toBe('Succeeded');
    expect(web?.status.history.map((h) => h.revision)).toEqual([first, second]);
    expect(web?.status.resources).toEqual([
      expect.objectContaining({
        kind: 'ConfigMap',
        name: 'web-settings',
        namespace: 'web',
        status: 'Synced',
      }),
    ]);
    const latency = pipeline.metrics.values({ name: 'WebhookToSyncLatency' });
    expect(latency.length).toBeGreaterThan(0);

    const api = await pipeline.platform.getApp('api');
    expect(api?.status.sync.status).toBe('OutOfSync');
    expect(api?.status.history).toEqual([]);
    expect(api?.status.operationState).toBeUndefined();
    expect(liveObject(env, 'ConfigMap', 'api', 'api-settings')).toBeUndefined();
  });

  it('refuses a push with a wrong signature and queues nothing', async () => {
    const request = pushRequest({
      repoURL,
      before: first,
      after: first,
      files: ['web/cm.yaml'],
      now: pipeline.clock.now(),
    });
    const tampered = {
      ...request,
      headers: { ...request.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    };
    const answer = await pipeline.platform.acceptWebhook(tampered);
    expect(answer.status).toBe(401);
    expect(await pipeline.intake.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('syncs a manual app on request', async () => {
    const { operationId } = await pipeline.platform.syncApp('api', { initiatedBy: 'alice' });
    await pipeline.drain();
    const api = await pipeline.platform.getApp('api');
    expect(api?.status.operationState?.phase).toBe('Succeeded');
    expect(api?.status.sync.status).toBe('Synced');
    expect(api?.status.operationState?.operation.initiatedBy).toEqual({ username: 'alice' });
    expect(api?.status.history).toHaveLength(1);
    expect(operationId).toBeTruthy();
    expect(liveObject(env, 'ConfigMap', 'api', 'api-settings')?.data).toEqual({
      color: 'green',
    });
  });
});
