/**
 * The pipeline harness of test/scenario/pipeline with what ApplicationSets need besides: the pull
 * request store in the same state table, a commit status reporter pointed at a local HTTP server
 * that records what it is sent, and any config loader (a config repository on the git server for
 * promotion).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitSource } from '../../../shared/git/index.js';
import { MemoryMetrics } from '../../../shared/observe/index.js';
import {
  type ConfigLoader,
  consumeOnce,
  createPlatform,
  gitConfigLoader,
  type PipelineDeps,
  type PipelineSettings,
  type Platform,
} from '../../../shared/pipeline/index.js';
import { silentLogger } from '../../../shared/ports/logger.js';
import { DynamoPullRequestStore, HttpCommitStatusReporter } from '../../../shared/preview/index.js';
import { MemoryQueue } from '../../../shared/queue/index.js';
import { MemoryRenderCache } from '../../../shared/render/index.js';
import { DynamoStateStore } from '../../../shared/state/index.js';
import { ProcessToolRunner } from '../../../shared/tools/index.js';
import { signGitHubBody, type WebhookRequest } from '../../../shared/webhook/index.js';
import { clientFor, createTestTable } from '../../support/dynamo/index.js';
import { type Environment, GITHUB_SECRET, SkippingClock } from '../pipeline/pipeline-harness.js';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** A provider API stand-in: answers 201 to everything and keeps what it was sent. */
export interface RecordingServer {
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  stop(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface AppSetPipeline {
  readonly platform: Platform;
  readonly clock: SkippingClock;
  readonly state: DynamoStateStore;
  drain(): Promise<number>;
  /** A new platform on the same table and queues, as after a restart. */
  restarted(): Platform;
  stop(): Promise<void>;
}

export async function startAppSetPipeline(options: {
  readonly env: Environment;
  readonly config: ConfigLoader;
  readonly statusServer?: RecordingServer;
  readonly settings?: PipelineSettings;
}): Promise<AppSetPipeline> {
  const { env } = options;
  const clock = new SkippingClock();
  const client = clientFor(env.dynamo);
  const tableName = await createTestTable(client, 'appset');
  const state = new DynamoStateStore({ client, tableName, clock });
  const intake = new MemoryQueue({ name: 'intake.fifo', clock, fifo: true, visibilityTimeoutSeconds: 60 });
  const continuation = new MemoryQueue({
    name: 'continuation',
    clock,
    fifo: false,
    visibilityTimeoutSeconds: 60,
  });
  const cacheDir = mkdtempSync(join(tmpdir(), 'appset-git-'));
  const deps: PipelineDeps = {
    state,
    intake,
    continuation,
    gitFor: ({ credentials }) => createGitSource({ credentials, cacheDir }),
    tools: new ProcessToolRunner(),
    clusters: { clientFor: async () => env.kube },
    config: options.config,
    clock,
    metrics: new MemoryMetrics(),
    logger: silentLogger,
    newId: randomUUID,
    renderCache: new MemoryRenderCache(),
    pullRequests: new DynamoPullRequestStore({ client, tableName }),
    ...(options.statusServer === undefined
      ? {}
      : {
          commitStatus: new HttpCommitStatusReporter({
            github: { baseURL: options.statusServer.baseURL, token: 'status-token' },
          }),
        }),
    promotion: { author: { name: 'Promoter', email: 'promoter@example.com' } },
    settings: {
      step: { pollSeconds: 0.05, waveDelaySeconds: 0, transientDelaySeconds: 0.05 },
      ...options.settings,
    },
  };
  const platform = createPlatform(deps);

  async function drain(): Promise<number> {
    let handled = 0;
    for (let round = 0; round < 500; round++) {
      const process = (message: Parameters<Platform['processMessage']>[0]) =>
        platform.processMessage(message, { deadline: new Date(clock.now().getTime() + 60_000) });
      const n =
        (await consumeOnce({ queue: intake, process, max: 1 })) +
        (await consumeOnce({ queue: continuation, process, max: 1 }));
      handled += n;
      if (n > 0) continue;
      const depths = [await intake.depth(), await continuation.depth()];
      if (!depths.some((d) => d.delayed > 0 || d.inFlight > 0)) return handled;
      clock.skip(1000);
    }
    return handled;
  }

  return {
    platform,
    clock,
    state,
    drain,
    // What a cold Lambda or a restarted server starts with: nothing in memory, the same table.
    restarted: () => createPlatform({ ...deps, state: new DynamoStateStore({ client, tableName, clock }) }),
    stop: async () => {
      intake.close();
      continuation.close();
      client.destroy();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/**
 * A pipeline reading its Argo CD objects from argocd/ on main of the git server's `config`
 * repository, with the config loaded and every message it led to processed.
 */
export async function startConfigRepoAppSetPipeline(options: {
  readonly env: Environment;
}): Promise<AppSetPipeline> {
  const { env } = options;
  const cacheDir = mkdtempSync(join(tmpdir(), 'appset-config-'));
  const pipeline = await startAppSetPipeline({
    env,
    config: gitConfigLoader({
      git: createGitSource({ cacheDir }),
      source: { repoURL: env.git.url('config'), targetRevision: 'main', path: 'argocd' },
    }),
  });
  const stop = async () => {
    await pipeline.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  };
  try {
    await pipeline.platform.reloadConfig();
    await pipeline.drain();
  } catch (e) {
    await stop();
    throw e;
  }
  return { ...pipeline, stop };
}

/** A signed GitHub webhook of any event. */
export function githubRequest(event: string, payload: unknown, now: Date): WebhookRequest {
  const body = new TextEncoder().encode(JSON.stringify(payload));
  return {
    method: 'POST',
    path: '/api/webhook',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signGitHubBody(GITHUB_SECRET, body),
    },
    rawBody: body,
    now,
  };
}
