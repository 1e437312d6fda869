/**
 * The local platform: the engine of the Lambda functions composed on embedded parts in one
 * process. Order of start: state directory → dynalite on disk → target cluster (kubeconfig, or the
 * sandbox emulator) → configuration (a directory; the bundled example as a real git repository) →
 * Platform → HTTP server → worker loop → drift loop. Open pull requests are kept in the same
 * table (DynamoPullRequestStore) and preview results are posted as commit statuses when the
 * configuration's argocd-secret holds a provider token (platform-config-source.ts). `start()` then loads the configuration into
 * the table and queues a refresh of every app; automated apps sync from there. `stop()` undoes it
 * all in reverse order.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { createGitSource, parseLocalSourceMappings } from '../../shared/git/index.js';
import { JsonLogger, MemoryMetrics } from '../../shared/observe/index.js';
import {
  type ApplicationView,
  appNameOf,
  createPlatform,
  type PipelineSettings,
  type Platform,
  type PlatformConfig,
  type ReloadSummary,
} from '../../shared/pipeline/index.js';
import { DeferredCommitStatusReporter, DynamoPullRequestStore } from '../../shared/preview/index.js';
import { encodePipelineMessage, MemoryQueue } from '../../shared/queue/index.js';
import { MemoryRenderCache } from '../../shared/render/index.js';
import { createStateTable, DEFAULT_TABLE_NAME, DynamoStateStore } from '../../shared/state/index.js';
import { ProcessToolRunner } from '../../shared/tools/index.js';
import type { ConfigSource } from '../../shared/webhook/index.js';
import { buildExampleRepo, EXAMPLE_CONFIG_DIR, EXAMPLE_REPO_URL } from '../example-repo.js';
import { type ApiServer, startApiServer } from './api-server.js';
import { localClusterAccess } from './cluster-access.js';
import { type DriftLoop, startDriftLoop } from './drift-loop.js';
import { type EmbeddedStore, startEmbeddedDynalite } from './embedded-dynalite.js';
import { appOfMessage } from './event-lines.js';
import { platformConfigSource } from './platform-config-source.js';
import { lockStateDir } from './state-dir-lock.js';
import { StoppableClock } from './stoppable-clock.js';
import { chooseTargetCluster, type TargetCluster } from './target-cluster.js';
import { type HandledMessage, startWorkerLoop, type WorkerLoop } from './worker-loop.js';

export interface LocalPlatformOptions {
  /** A directory of Argo CD objects; undefined (and no configRepo) means the bundled example. */
  readonly configDir?: string;
  /**
   * Read the Argo CD objects from this repository at its branch head instead of a directory, as
   * the Lambdas do: pushes to it reload them and automated promotion commits to it.
   */
  readonly configRepo?: ConfigSource;
  /** `URL=PATH` mappings of repositories to local git repositories or directories. */
  readonly repoMappings: readonly string[];
  /** Where the store, logs and sandbox kubeconfig go. */
  readonly stateDir: string;
  /** The HTTP port (0 = any free one); undefined runs no server (`--once`). */
  readonly port?: number;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** The drift scan's period; undefined or 0 runs no drift loop. */
  readonly driftIntervalSeconds?: number;
  readonly allowUnsigned: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Each handled message with the app as it is afterwards. */
  readonly onHandled?: (handled: HandledMessage, view: ApplicationView | undefined) => void;
  /** Sync step timings; the defaults suit a real cluster. */
  readonly step?: PipelineSettings['step'];
  /** How fast the sandbox's simulated controllers move. */
  readonly sandboxStepMs?: number;
}

export interface LocalPlatform {
  readonly platform: Platform;
  /** The HTTP server's base URL, when one runs. */
  readonly url?: string;
  readonly target: TargetCluster;
  readonly storePath: string;
  readonly tableName: string;
  readonly logFile: string;
  /** Set when the bundled example is in use. */
  readonly example?: { readonly repoURL: string; readonly configDir: string };
  readonly deadLetters: { readonly intake: MemoryQueue; readonly continuation: MemoryQueue };
  /** Loads the configuration into the table and queues a refresh of every app. */
  start(): Promise<{
    readonly reload: ReloadSummary;
    readonly config: PlatformConfig;
    readonly apps: number;
  }>;
  /** Resolves true once both queues are empty and no message is in hand, false after `timeoutMs`. */
  idle(options: { readonly timeoutMs: number }): Promise<boolean>;
  /** Every app with its operation, history and resources. */
  listApps(): Promise<readonly ApplicationView[]>;
  stop(): Promise<void>;
}

/** A sandbox starts empty every time, so its state does too; a real cluster keeps its history. */
const SANDBOX_TABLE_NAME = 'driftless-sandbox';
/** A message may run as long as a Lambda invocation may. */
const INVOCATION_MS = 15 * 60 * 1000;

export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const stateDir = resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const lock = lockStateDir(stateDir);
  const clock = new StoppableClock();
  const logFile = join(stateDir, 'driftless.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const logger = new JsonLogger({
    write: (line) => logStream.write(`${line}\n`),
    clock,
    fields: { service: 'serve' },
  });
  const stops: (() => Promise<void>)[] = [
    async () => lock.release(),
    () => new Promise<void>((done) => logStream.end(() => done())),
    async () => clock.stop(),
  ];
  let stopped = false;
  const stopAll = async () => {
    stopped = true;
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };

  try {
    const storePath = join(stateDir, 'store');
    mkdirSync(storePath, { recursive: true });
    const store: EmbeddedStore = await startEmbeddedDynalite({ path: storePath });
    stops.push(store.stop);
    const target = await chooseTargetCluster({
      ...(options.kubeconfig === undefined ? {} : { kubeconfig: options.kubeconfig }),
      ...(options.context === undefined ? {} : { context: options.context }),
      env: options.env,
      stateDir,
      ...(options.sandboxStepMs === undefined ? {} : { sandboxStepMs: options.sandboxStepMs }),
    });
    stops.push(target.stop);
    const tableName = target.kind === 'sandbox' ? SANDBOX_TABLE_NAME : DEFAULT_TABLE_NAME;
    if (target.kind === 'sandbox') {
      await store.client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => {});
    }
    await createStateTable({ client: store.client, tableName, clock });

    const repoMappings = [...options.repoMappings];
    let example: LocalPlatform['example'];
    if (options.configDir === undefined && options.configRepo === undefined) {
      const repo = await buildExampleRepo(stateDir);
      repoMappings.push(`${EXAMPLE_REPO_URL}=${repo}`);
      example = { repoURL: EXAMPLE_REPO_URL, configDir: EXAMPLE_CONFIG_DIR };
    }
    const localSources = parseLocalSourceMappings(repoMappings);
    const gitCache = join(stateDir, 'git');
    const configSource = platformConfigSource(
      options.configRepo === undefined
        ? { kind: 'directory', paths: [options.configDir ?? EXAMPLE_CONFIG_DIR] }
        : {
            kind: 'repository',
            source: options.configRepo,
            git: createGitSource({ cacheDir: gitCache, localSources }),
          },
    );

    const intakeDeadLetter = new MemoryQueue({ name: 'intake-dlq.fifo', clock, fifo: true });
    const continuationDeadLetter = new MemoryQueue({ name: 'continuation-dlq', clock, fifo: false });
    const maxReceiveCount = 5;
    const visibilityTimeoutSeconds = INVOCATION_MS / 1000 + 60;
    const intake = new MemoryQueue({
      name: 'intake.fifo',
      clock,
      fifo: true,
      visibilityTimeoutSeconds,
      redrive: { deadLetter: intakeDeadLetter, maxReceiveCount },
    });
    const continuation = new MemoryQueue({
      name: 'continuation',
      clock,
      fifo: false,
      visibilityTimeoutSeconds,
      redrive: { deadLetter: continuationDeadLetter, maxReceiveCount },
    });
    stops.push(async () => {
      for (const queue of [intake, continuation, intakeDeadLetter, continuationDeadLetter]) queue.close();
    });

    const platform = createPlatform({
      state: new DynamoStateStore({ client: store.client, tableName, clock }),
      intake,
      continuation,
      gitFor: ({ credentials }) => createGitSource({ credentials, cacheDir: gitCache, localSources }),
      tools: new ProcessToolRunner(),
      clusters: localClusterAccess({ target: target.cluster, clock }),
      config: configSource.loader,
      clock,
      metrics: new MemoryMetrics(),
      logger,
      newId: randomUUID,
      renderCache: new MemoryRenderCache(),
      pullRequests: new DynamoPullRequestStore({ client: store.client, tableName }),
      commitStatus: new DeferredCommitStatusReporter({ endpoints: configSource.commitStatus }),
      settings: {
        maxReceiveCount,
        // Waiting in process costs nothing here, unlike an idle Lambda.
        inlineWaitMs: 60_000,
        busyRetrySeconds: 2,
        allowUnsignedWebhooks: options.allowUnsigned,
        step: { pollSeconds: 1, transientDelaySeconds: 2, ...options.step },
        ...(options.driftIntervalSeconds ? { driftScanSeconds: options.driftIntervalSeconds } : {}),
      },
    });

    let server: ApiServer | undefined;
    if (options.port !== undefined) {
      server = await startApiServer({ platform, clock, logger, port: options.port });
      stops.push(server.close);
    }

    const worker: WorkerLoop = startWorkerLoop({
      platform,
      queues: [
        { queue: intake, consumers: 4 },
        { queue: continuation, consumers: 2 },
      ],
      clock,
      logger,
      invocationMs: INVOCATION_MS,
      onHandled: async (handled) => {
        if (options.onHandled === undefined) return;
        const app = appOfMessage(handled.message.body)?.app;
        const view = app === undefined ? undefined : await platform.getApp(app).catch(() => undefined);
        options.onHandled(handled, view);
      },
    });
    stops.push(async () => {
      // Shutdown wakes every sleeper, so operations in hand finish their step and return.
      clock.stop();
      intake.close();
      continuation.close();
      await worker.stop();
    });

    let drift: DriftLoop | undefined;
    if (options.driftIntervalSeconds) {
      drift = startDriftLoop({ platform, logger, periodSeconds: options.driftIntervalSeconds });
      stops.push(drift.stop);
    }

    const listApps = async (): Promise<ApplicationView[]> => {
      const views: ApplicationView[] = [];
      let cursor: string | undefined;
      do {
        const page = await platform.listApps({ limit: 100, ...(cursor === undefined ? {} : { cursor }) });
        // The full view, with the operation and history the summary table reads.
        for (const item of page.items) views.push((await platform.getApp(appNameOf(item))) ?? item);
        cursor = page.cursor;
      } while (cursor !== undefined);
      return views;
    };

    return {
      platform,
      ...(server === undefined ? {} : { url: server.url }),
      target,
      storePath,
      tableName,
      logFile,
      ...(example === undefined ? {} : { example }),
      deadLetters: { intake: intakeDeadLetter, continuation: continuationDeadLetter },
      async start() {
        const reload = await platform.reloadConfig();
        const config = await platform.runtime.config();
        const fresh = new Set([...reload.created, ...reload.updated]);
        const receivedAt = clock.now().toISOString();
        const rest = (await listApps()).map((v) => appNameOf(v)).filter((name) => !fresh.has(name));
        for (let i = 0; i < rest.length; i += 10) {
          await intake.send(
            rest
              .slice(i, i + 10)
              .map((app) => encodePipelineMessage({ kind: 'refresh', app, reason: 'manual', receivedAt })),
          );
        }
        return { reload, config, apps: fresh.size + rest.length };
      },
      async idle({ timeoutMs }) {
        const until = Date.now() + timeoutMs;
        for (;;) {
          const depths = await Promise.all([intake.depth(), continuation.depth()]);
          const queued = depths.reduce((n, d) => n + d.visible + d.inFlight + d.delayed, 0);
          if (queued === 0 && worker.busy() === 0) return true;
          if (stopped || Date.now() >= until) return false;
          await clock.sleep(100);
        }
      },
      listApps,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
