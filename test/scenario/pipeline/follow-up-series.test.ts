/**
 * A rollout still Progressing after an operation is watched by one series of delayed `follow-up`
 * refreshes per operation: a drift scan in the watch window refreshes the app without starting a
 * second series, each follow-up of the app's last operation schedules exactly the next one, and a
 * follow-up of an older operation (a newer one has started its own series) schedules nothing.
 * The emulator's rollout steps are an hour apart, so the Deployment stays Progressing throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OperationRecord, refOfName } from '../../../shared/pipeline/index.js';
import type { RefreshMessage } from '../../../shared/queue/index.js';
import { type Environment, type Pipeline, pushRequest, startAppsPipeline } from './pipeline-harness.js';

const HOUR_MS = 3_600_000;

function deploymentYaml(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: rollout
spec:
  replicas: 2
  selector: {matchLabels: {app: rollout}}
  template:
    metadata: {labels: {app: rollout}}
    spec:
      containers: [{name: web, image: ${image}}]
`;
}

describe('one follow-up series per operation', () => {
  let env: Environment;
  let pipeline: Pipeline;
  let repoURL: string;
  let first: string;

  /** The follow-up refreshes of the app sent so far, with their delays, in send order. */
  const followUps = () =>
    pipeline.continuationSent.flatMap((sent) =>
      sent.message.kind === 'refresh' && sent.message.reason === 'follow-up' && sent.message.app === 'rollout'
        ? [{ message: sent.message as RefreshMessage, delaySeconds: sent.delaySeconds ?? 0 }]
        : [],
    );
  const lastOperation = async () =>
    (await pipeline.state.getOperation<OperationRecord>(refOfName('rollout')))?.operation;

  beforeAll(async () => {
    ({
      env,
      pipeline,
      repoURL,
      head: first,
    } = await startAppsPipeline({
      environment: { controllerStepMs: HOUR_MS },
      files: { 'rollout/deploy.yaml': deploymentYaml('nginx:1.27') },
      apps: [{ name: 'rollout', path: 'rollout', namespace: 'rollout', policy: 'automated' }],
    }));
    await pipeline.platform.reloadConfig();
    await pipeline.deliver('intake');
  });

  afterAll(async () => {
    await pipeline?.stop();
    await env?.stop();
  });

  it('schedules one follow-up when the operation ends with the rollout Progressing', async () => {
    const app = await pipeline.platform.getApp('rollout');
    expect(app?.status.operationState?.phase).toBe('Succeeded');
    expect(app?.status.sync.status).toBe('Synced');
    expect(app?.status.health.status).toBe('Progressing');
    const operation = await lastOperation();
    expect(followUps().map((f) => f.message.operationId)).toEqual([operation?.id]);
    expect(followUps()[0]?.delaySeconds).toBeGreaterThan(0);
    expect(await pipeline.continuation.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  });

  it('starts no second series from a drift scan in the watch window', async () => {
    const scan = await pipeline.platform.scanDrift();
    expect(scan.queued).toBe(1);
    // The app's refresh, and the one message that reconciles the (here absent) ApplicationSets.
    expect(await pipeline.deliver('intake')).toBe(scan.queued + scan.applicationSets);
    expect((await pipeline.platform.getApp('rollout'))?.status.health.status).toBe('Progressing');
    expect(followUps()).toHaveLength(1);
    expect(await pipeline.continuation.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  });

  it('goes on through its own follow-up, one next follow-up per delivery', async () => {
    const [pending] = followUps();
    pipeline.clock.skip((pending?.delaySeconds ?? 0) * 1000);
    expect(await pipeline.deliver('continuation')).toBe(1);
    const sent = followUps();
    expect(sent).toHaveLength(2);
    expect(sent[1]?.message.operationId).toBe(pending?.message.operationId);
    expect(await pipeline.continuation.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  });

  it('ends the series of an older operation once a newer operation starts its own', async () => {
    const older = (await lastOperation())?.id;
    const second = await env.git.commit('apps', {
      branch: 'main',
      files: { 'rollout/deploy.yaml': deploymentYaml('nginx:1.28') },
    });
    const answer = await pipeline.platform.acceptWebhook(
      pushRequest({
        repoURL,
        before: first,
        after: second,
        files: ['rollout/deploy.yaml'],
        now: pipeline.clock.now(),
      }),
    );
    expect(answer.queued).toEqual(['rollout']);
    await pipeline.deliver('intake');
    const newer = await lastOperation();
    expect(newer?.phase).toBe('Succeeded');
    expect(newer?.id).not.toBe(older);
    expect((await pipeline.platform.getApp('rollout'))?.status.health.status).toBe('Progressing');

    const byOperation = (id: string | undefined) =>
      followUps().filter((f) => f.message.operationId === id).length;
    expect(byOperation(older)).toBe(2);
    expect(byOperation(newer?.id)).toBe(1);
    expect(await pipeline.continuation.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 2 });

    // Both pending follow-ups come due: the older one refreshes and stops, the newer one goes on.
    pipeline.clock.skip(Math.max(...followUps().map((f) => f.delaySeconds)) * 1000);
    expect(await pipeline.deliver('continuation')).toBe(2);
    expect(byOperation(older)).toBe(2);
    expect(byOperation(newer?.id)).toBe(2);
    expect(await pipeline.continuation.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  });
});
