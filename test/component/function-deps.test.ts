/**
 * Each function's deps.ts composed from an environment as the stack sets it, on real adapters:
 * DynamoDB (dynalite) through the SDK's endpoint variable and a loopback stand-in for SQS that
 * keeps what was sent (sqs-send-endpoint.ts).
 * The api answers from the table alone; the drift scan needs neither the config repository nor
 * its credentials; a function refuses, naming the variable, a setting it cannot work without.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiDeps } from '../../functions/api/deps.js';
import { makeHandler as makeApiHandler } from '../../functions/api/handler.js';
import { createDriftScanDeps } from '../../functions/drift-scan/deps.js';
import { makeHandler as makeDriftScanHandler } from '../../functions/drift-scan/handler.js';
import { ENV, type Environment } from '../../functions/environment.js';
import type { HttpApiEvent, LambdaContext } from '../../functions/lambda-types.js';
import { createWorkerDeps } from '../../functions/sync-worker/deps.js';
import { createWebhookDeps } from '../../functions/webhook/deps.js';
import { parseApplication, parseDocuments } from '../../shared/model/index.js';
import { systemClock } from '../../shared/ports/clock.js';
import { DynamoStateStore } from '../../shared/state/index.js';
import { applicationYaml } from '../scenario/pipeline/pipeline-harness.js';
import { clientFor, createTestTable, type DynamoEndpoint, startDynalite } from '../support/dynamo/index.js';
import { type SqsSendEndpoint, startSqsSendEndpoint } from './sqs-send-endpoint.js';

// Named, never fetched: none of these functions reads the configuration when it is built.
const CONFIG_REPO = 'https://git.example.com/config.git';
const APPS_REPO = 'https://git.example.com/apps.git';

const context: LambdaContext = { awsRequestId: 'deps-test', getRemainingTimeInMillis: () => 30_000 };

function get(path: string): HttpApiEvent {
  return { rawPath: path, headers: {}, requestContext: { http: { method: 'GET' } } };
}

describe('function deps from the environment', () => {
  let dynamo: DynamoEndpoint;
  let sqs: SqsSendEndpoint;
  let cacheDir: string;
  let env: Environment;

  beforeAll(async () => {
    [dynamo, sqs] = await Promise.all([startDynalite(), startSqsSendEndpoint()]);
    cacheDir = mkdtempSync(join(tmpdir(), 'function-deps-'));
    // The SDK reads its endpoint and credentials from the process environment, as in Lambda.
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    vi.stubEnv('AWS_ENDPOINT_URL_SQS', sqs.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('DRIFTLESS_CACHE_DIR', cacheDir);
    env = {
      AWS_REGION: 'us-east-1',
      [ENV.tableName]: await createTestTable(clientFor(dynamo)),
      [ENV.intakeQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/1/intake.fifo',
      [ENV.continuationQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/1/continuation',
      [ENV.configRepoUrl]: CONFIG_REPO,
      [ENV.configPath]: 'apps',
      [ENV.driftScanSeconds]: '180',
    };
    const [doc] = parseDocuments({
      file: 'web.yaml',
      text: applicationYaml({
        name: 'web',
        repoURL: APPS_REPO,
        path: 'web',
        namespace: 'web',
        policy: 'manual',
      }),
    });
    const parsed = parseApplication(doc!);
    if (parsed.kind !== 'valid') throw new Error('fixture Application is invalid');
    const state = new DynamoStateStore({
      client: clientFor(dynamo),
      tableName: env[ENV.tableName]!,
      clock: systemClock,
    });
    await state.putApplication({ application: parsed.value });
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([dynamo?.stop(), sqs?.stop()]);
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('names the variable a function is missing', () => {
    const { [ENV.tableName]: _table, ...withoutTable } = env;
    expect(() => createWebhookDeps({ env: withoutTable })).toThrow(/DRIFTLESS_TABLE_NAME is not set/);
    const { [ENV.configRepoUrl]: _repo, ...withoutRepo } = env;
    expect(() => createWebhookDeps({ env: withoutRepo })).toThrow(/DRIFTLESS_CONFIG_REPO_URL is not set/);
    expect(() => createDriftScanDeps({ env: { ...env, [ENV.driftScanSeconds]: 'often' } })).toThrow(
      /DRIFTLESS_DRIFT_SCAN_SECONDS must be a positive number of seconds, got "often"/,
    );
  });

  it('answers the api from the state table alone', async () => {
    const { [ENV.configRepoUrl]: _repo, [ENV.configPath]: _path, ...tableOnly } = env;
    const deps = createApiDeps({ env: tableOnly });

    const api = makeApiHandler(deps);
    const list = await api(get('/api/v1/applications'), context as never);
    expect(list.statusCode).toBe(200);
    expect(JSON.parse(list.body).items.map((a: { metadata: { name: string } }) => a.metadata.name)).toEqual([
      'web',
    ]);
    const one = await api(get('/api/v1/applications/web'), context as never);
    expect(JSON.parse(one.body).status).toMatchObject({ sync: { status: 'Unknown' }, history: [] });

    const before = sqs.sent.length;
    const sync = await api(
      { ...get('/api/v1/applications/web/sync'), requestContext: { http: { method: 'POST' } } },
      context as never,
    );
    expect(sync.statusCode).toBe(202);
    expect(sqs.sent.slice(before).map((m) => [m.queueUrl, m.groupId, JSON.parse(m.body).kind])).toEqual([
      [env[ENV.intakeQueueUrl], 'web', 'sync'],
    ]);
  });

  it('scans drift from the table and the intake queue alone, leaving ApplicationSets to the worker', async () => {
    const { [ENV.configRepoUrl]: _repo, [ENV.configPath]: _path, ...tableOnly } = env;
    const scan = makeDriftScanHandler(createDriftScanDeps({ env: tableOnly }));
    const before = sqs.sent.length;
    const summary = await scan({}, context as never);
    expect(summary).toMatchObject({ queued: 1, applicationSets: 1, outOfSync: 0 });
    const queued = sqs.sent.slice(before);
    expect(queued.map((m) => [m.queueUrl, m.groupId])).toEqual([
      [env[ENV.intakeQueueUrl], 'web'],
      [env[ENV.intakeQueueUrl], 'driftless:appsets'],
    ]);
    expect(queued.map((m) => JSON.parse(m.body))).toEqual([
      expect.objectContaining({ kind: 'refresh', app: 'web', reason: 'drift-scan' }),
      expect.objectContaining({ kind: 'refresh', app: 'driftless:appsets', reason: 'drift-scan' }),
    ]);
  });

  it('sends a worker record back to the queue it came from', () => {
    const deps = createWorkerDeps({ env });
    const { intake, continuation } = deps.platform.runtime.deps;
    expect(deps.queueOf('arn:aws:sqs:us-east-1:1:intake.fifo')).toBe(intake);
    expect(deps.queueOf('arn:aws:sqs:us-east-1:1:continuation')).toBe(continuation);
  });
});
