/**
 * The Lambda handlers through makeHandler with test deps (dynalite, in-process queues, the kube
 * emulator, a git server): API Gateway v2 events with base64 bodies in, SQS batches with partial
 * batch responses, the scheduled drift scan, and the read/sync API in Argo CD's shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as makeApiHandler } from '../../functions/api/handler.js';
import { makeHandler as makeDriftScanHandler } from '../../functions/drift-scan/handler.js';
import type { HttpApiEvent, LambdaContext, SqsEvent } from '../../functions/lambda-types.js';
import { makeHandler as makeWorkerHandler } from '../../functions/sync-worker/handler.js';
import { makeHandler as makeWebhookHandler } from '../../functions/webhook/handler.js';
import type { ReceivedMessage } from '../../shared/ports/queue.js';
import {
  configMapYaml,
  type Environment,
  liveObject,
  type Pipeline,
  pushRequest,
  startAppsPipeline,
} from '../scenario/pipeline/pipeline-harness.js';

const context: LambdaContext = { awsRequestId: 'test-request', getRemainingTimeInMillis: () => 60_000 };

function httpEvent(
  method: string,
  path: string,
  options: { headers?: Record<string, string | undefined>; body?: Uint8Array; query?: string } = {},
): HttpApiEvent {
  return {
    rawPath: path,
    ...(options.query === undefined ? {} : { rawQueryString: options.query }),
    headers: options.headers ?? {},
    ...(options.body === undefined
      ? {}
      : { body: Buffer.from(options.body).toString('base64'), isBase64Encoded: true }),
    requestContext: { http: { method } },
  };
}

function sqsEvent(messages: readonly ReceivedMessage[], arn: string): SqsEvent {
  return {
    Records: messages.map((m) => ({
      messageId: m.id,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.attempt),
        SentTimestamp: String(m.sentAt.getTime()),
        MessageGroupId: m.groupId,
      },
      eventSourceARN: arn,
    })),
  };
}

describe('Lambda handlers', () => {
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
      files: { 'web/cm.yaml': configMapYaml('web', { v: '1' }) },
      apps: [{ name: 'web', path: 'web', namespace: 'web', policy: 'automated' }],
    }));
    await pipeline.platform.reloadConfig();
  });

  afterAll(async () => {
    await pipeline?.stop();
    await env?.stop();
  });

  it('turns a webhook event into applied objects through the worker batch handler', async () => {
    const webhook = makeWebhookHandler({ platform: pipeline.platform });
    const worker = makeWorkerHandler({
      platform: pipeline.platform,
      queueOf: (arn) => (arn?.endsWith('.fifo') ? pipeline.intake : pipeline.continuation),
    });
    const second = await env.git.commit('apps', {
      branch: 'main',
      files: { 'web/cm.yaml': configMapYaml('web', { v: '2' }) },
    });
    const request = pushRequest({
      repoURL,
      before: first,
      after: second,
      files: ['web/cm.yaml'],
      now: pipeline.clock.now(),
    });
    const answer = await webhook(
      httpEvent('POST', '/api/webhook', { headers: request.headers, body: request.rawBody }),
      context as never,
    );
    expect(answer.statusCode).toBe(202);
    expect(JSON.parse(answer.body)).toMatchObject({ queued: ['web'] });

    for (let round = 0; round < 10; round++) {
      const messages = await pipeline.intake.receive({ max: 10 });
      if (messages.length === 0) break;
      const result = await worker(
        sqsEvent(messages, 'arn:aws:sqs:us-east-1:1:intake.fifo'),
        context as never,
      );
      expect(result.batchItemFailures).toEqual([]);
      for (const m of messages) await pipeline.intake.ack(m.receiptHandle);
    }
    expect(liveObject(env, 'ConfigMap', 'web', 'web')?.data).toEqual({ v: '2' });
    expect(pipeline.metrics.flushes).toBeGreaterThan(0);
  });

  it('serves Applications in Argo CD shape and queues a manual sync', async () => {
    const { clock, logger, metrics } = pipeline.platform.runtime.deps;
    const api = makeApiHandler({ applications: pipeline.platform, clock, logger, metrics });
    const list = await api(httpEvent('GET', '/api/v1/applications'), context as never);
    expect(list.statusCode).toBe(200);
    expect(JSON.parse(list.body).items.map((a: { metadata: { name: string } }) => a.metadata.name)).toEqual([
      'web',
    ]);

    const one = await api(httpEvent('GET', '/api/v1/applications/web'), context as never);
    const app = JSON.parse(one.body);
    expect(app.status.sync.status).toBe('Synced');
    // The config-reload refresh and the push were handled after the commit: one sync, to its head.
    expect(app.status.history).toHaveLength(1);

    const missing = await api(httpEvent('GET', '/api/v1/applications/nope'), context as never);
    expect(missing.statusCode).toBe(404);

    const sync = await api(
      httpEvent('POST', '/api/v1/applications/web/sync', {
        body: new TextEncoder().encode('{"prune":true}'),
      }),
      context as never,
    );
    expect(sync.statusCode).toBe(202);
    const received = await pipeline.intake.receive({ max: 10 });
    expect(received.map((m) => JSON.parse(m.body))).toEqual([
      expect.objectContaining({ kind: 'sync', app: 'web', prune: true }),
    ]);
    for (const m of received) await pipeline.intake.ack(m.receiptHandle);
  });

  it('queues one refresh per app from the scheduled drift scan', async () => {
    pipeline.clock.skip(400_000);
    const { logger, metrics } = pipeline.platform.runtime.deps;
    const scan = makeDriftScanHandler({ scanDrift: () => pipeline.platform.scanDrift(), logger, metrics });
    const summary = await scan({}, context as never);
    expect(summary).toMatchObject({ queued: 1, applicationSets: 1 });
  });
  // Last: the foreign lease it plants stays until it expires.
  it('reports a busy app as a batch item failure and delays it', async () => {
    const worker = makeWorkerHandler({
      platform: pipeline.platform,
      queueOf: (arn) => (arn?.endsWith('.fifo') ? pipeline.intake : pipeline.continuation),
    });
    const state = pipeline.state;
    const held = await state.beginOperation({
      app: { namespace: 'argocd', name: 'web' },
      operation: { phase: 'Running', revision: first, startedAt: pipeline.clock.now().toISOString() },
      owner: 'another-worker',
      leaseMs: 60_000,
    });
    expect(held.kind).toBe('started');
    await pipeline.platform.scanDrift();
    const received = await pipeline.intake.receive({ max: 10 });
    // The ApplicationSets' tick travels alongside; this configuration has none to reconcile.
    const messages = received.filter((m) => JSON.parse(m.body).app === 'web');
    expect(messages).toHaveLength(1);
    const result = await worker(sqsEvent(received, 'arn:aws:sqs:us-east-1:1:intake.fifo'), context as never);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(messages.map((m) => m.id));
    // Not lost and not failed for good: it comes back once the busy delay has passed.
    expect(await pipeline.intake.receive({ max: 10 })).toEqual([]);
    pipeline.clock.skip(11_000);
    expect((await pipeline.intake.receive({ max: 10 })).map((m) => m.id)).toEqual(messages.map((m) => m.id));
  });
});
