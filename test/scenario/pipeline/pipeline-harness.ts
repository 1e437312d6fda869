/**
 * The whole pipeline in one process, on real components: dynalite for the state table, in-process
 * queues with SQS semantics (FIFO intake with a dead-letter queue, delayed continuation queue), the
 * Kubernetes API emulator through client-node, and a real git server. Time is real plus whatever a
 * test skips (leases, visibility timeouts, delays), so nothing waits for a clock to run out.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createGitSource } from '../../../shared/git/index.js';
import { ClusterClientFactory, clustersFromKubeconfig } from '../../../shared/kube/index.js';
import { type KubeObject, parseDocuments } from '../../../shared/model/index.js';
import { MemoryMetrics } from '../../../shared/observe/index.js';
import {
  type ConfigLoader,
  configFromDocuments,
  consumeOnce,
  createPlatform,
  type PipelineSettings,
  type Platform,
  type ProgressObserver,
} from '../../../shared/pipeline/index.js';
import type { Clock } from '../../../shared/ports/clock.js';
import type { KubeClient } from '../../../shared/ports/kube-client.js';
import { silentLogger } from '../../../shared/ports/logger.js';
import { MemoryQueue } from '../../../shared/queue/index.js';
import { MemoryRenderCache } from '../../../shared/render/index.js';
import { DynamoStateStore } from '../../../shared/state/index.js';
import { ProcessToolRunner } from '../../../shared/tools/index.js';
import { signGitHubBody, type WebhookRequest } from '../../../shared/webhook/index.js';
import {
  clientFor,
  createTestTable,
  type DynamoEndpoint,
  startDynalite,
} from '../../support/dynamo/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';
import { type KubeEmulator, startKubeEmulator } from '../../support/kube-emulator/index.js';
import { RecordingQueue } from './recording-queue.js';

export const GITHUB_SECRET = 'pipeline-hook-secret';

/** Real time plus what a test skipped. */
export class SkippingClock implements Clock {
  skippedMs = 0;
  now(): Date {
    return new Date(Date.now() + this.skippedMs);
  }
  skip(ms: number): void {
    this.skippedMs += ms;
  }
  async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}

export interface Environment {
  readonly dynamo: DynamoEndpoint;
  readonly emulator: KubeEmulator;
  readonly kube: KubeClient;
  readonly git: GitServer;
  stop(): Promise<void>;
}

export interface EnvironmentOptions {
  /**
   * Delay between the emulator's controller steps (a rollout advancing). Very high keeps a
   * Deployment Progressing for the whole test without depending on timing.
   */
  readonly controllerStepMs?: number;
}

export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  const [dynamo, emulator, git] = await Promise.all([
    startDynalite(),
    startKubeEmulator({ controller: { stepMs: options.controllerStepMs ?? 10 } }),
    startGitServer(),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-kube-'));
  const file = join(dir, 'kubeconfig');
  // client-node talks plain HTTP only when the kubeconfig waives TLS verification.
  const doc = parse(emulator.kubeconfig()) as { clusters: Array<{ cluster: Record<string, unknown> }> };
  for (const c of doc.clusters) c.cluster['insecure-skip-tls-verify'] = true;
  writeFileSync(file, stringify(doc), 'utf8');
  const [cluster] = clustersFromKubeconfig({ file, contexts: ['emulator'] });
  const kube = await new ClusterClientFactory({ clock: new SkippingClock() }).clientFor(cluster!);
  return {
    dynamo,
    emulator,
    kube,
    git,
    stop: async () => {
      await Promise.all([dynamo.stop(), emulator.stop(), git.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A config loader over YAML text the test can change, parsed as any config directory is. */
export class TextConfig implements ConfigLoader {
  constructor(public yaml: string) {}
  async load() {
    return configFromDocuments({ documents: parseDocuments({ file: 'config.yaml', text: this.yaml }) });
  }
}

export interface ApplicationYaml {
  readonly name: string;
  readonly repoURL: string;
  readonly path: string;
  readonly namespace: string;
  readonly policy: 'manual' | 'automated' | 'self-heal';
  readonly finalizer?: boolean;
}

export function applicationYaml(app: ApplicationYaml): string {
  const automated =
    app.policy === 'manual'
      ? '  syncPolicy:\n    syncOptions: [CreateNamespace=true]\n'
      : `  syncPolicy:\n    automated:\n      prune: true\n      selfHeal: ${app.policy === 'self-heal'}\n    syncOptions: [CreateNamespace=true]\n`;
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${app.name}
  namespace: argocd
  annotations:
    argocd.argoproj.io/manifest-generate-paths: .
${app.finalizer ? '  finalizers: [resources-finalizer.argocd.argoproj.io]\n' : ''}spec:
  project: default
  source:
    repoURL: ${app.repoURL}
    targetRevision: main
    path: ${app.path}
  destination:
    server: https://kubernetes.default.svc
    namespace: ${app.namespace}
${automated}---
`;
}

export const ARGOCD_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: argocd-secret
  namespace: argocd
stringData:
  webhook.github.secret: ${GITHUB_SECRET}
---
`;

export interface Pipeline {
  readonly platform: Platform;
  readonly clock: SkippingClock;
  readonly intake: MemoryQueue;
  readonly intakeDeadLetter: MemoryQueue;
  readonly continuation: MemoryQueue;
  /** What the pipeline sent to the continuation queue, delayed messages included. */
  readonly continuationSent: RecordingQueue['sent'];
  readonly state: DynamoStateStore;
  readonly metrics: MemoryMetrics;
  readonly config: TextConfig;
  /** Processes messages until both queues are empty (skipping time over delays), or `maxRounds`. */
  drain(options?: {
    readonly maxRounds?: number;
    readonly workers?: number;
    readonly onProgress?: ProgressObserver;
  }): Promise<number>;
  /**
   * Processes the messages of one queue that are visible now, until none is, without skipping
   * time: delayed messages stay where they are.
   */
  deliver(queue: 'intake' | 'continuation'): Promise<number>;
  stop(): Promise<void>;
}

export interface PipelineOptions {
  readonly env: Environment;
  readonly configYaml: string;
  readonly settings?: PipelineSettings;
  readonly maxReceiveCount?: number;
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { env } = options;
  const clock = new SkippingClock();
  const client = clientFor(env.dynamo);
  const tableName = await createTestTable(client, 'pipeline');
  const state = new DynamoStateStore({ client, tableName, clock });
  const maxReceiveCount = options.maxReceiveCount ?? 3;
  const intakeDeadLetter = new MemoryQueue({ name: 'intake-dlq.fifo', clock, fifo: true });
  const intake = new MemoryQueue({
    name: 'intake.fifo',
    clock,
    fifo: true,
    visibilityTimeoutSeconds: 60,
    redrive: { deadLetter: intakeDeadLetter, maxReceiveCount },
  });
  const continuationDeadLetter = new MemoryQueue({ name: 'continuation-dlq', clock, fifo: false });
  const continuation = new MemoryQueue({
    name: 'continuation',
    clock,
    fifo: false,
    visibilityTimeoutSeconds: 60,
    redrive: { deadLetter: continuationDeadLetter, maxReceiveCount },
  });
  const recordedContinuation = new RecordingQueue(continuation);
  const metrics = new MemoryMetrics();
  const config = new TextConfig(options.configYaml);
  const cacheDir = mkdtempSync(join(tmpdir(), 'pipeline-git-'));
  const platform = createPlatform({
    state,
    intake,
    continuation: recordedContinuation,
    gitFor: ({ credentials }) => createGitSource({ credentials, cacheDir }),
    tools: new ProcessToolRunner(),
    clusters: { clientFor: async () => env.kube },
    config,
    clock,
    metrics,
    logger: silentLogger,
    newId: randomUUID,
    renderCache: new MemoryRenderCache(),
    settings: {
      maxReceiveCount,
      step: { pollSeconds: 0.05, waveDelaySeconds: 0, transientDelaySeconds: 0.05 },
      ...options.settings,
    },
  });

  const processWith =
    (onProgress?: ProgressObserver) => (message: Parameters<Platform['processMessage']>[0]) =>
      platform.processMessage(message, {
        deadline: new Date(clock.now().getTime() + 60_000),
        ...(onProgress === undefined ? {} : { onProgress }),
      });

  async function deliver(which: 'intake' | 'continuation'): Promise<number> {
    const queue = which === 'intake' ? intake : continuation;
    let handled = 0;
    for (;;) {
      const n = await consumeOnce({ queue, process: processWith(), max: 1 });
      if (n === 0) return handled;
      handled += n;
    }
  }

  async function drain(drainOptions: Parameters<Pipeline['drain']>[0] = {}): Promise<number> {
    let handled = 0;
    for (let round = 0; round < (drainOptions.maxRounds ?? 500); round++) {
      const process = processWith(drainOptions.onProgress);
      const workers = drainOptions.workers ?? 1;
      const counts = await Promise.all(
        Array.from({ length: workers }, (_, i) =>
          consumeOnce({ queue: i % 2 === 0 ? intake : continuation, process, max: 1 }).then(
            async (n) =>
              n + (await consumeOnce({ queue: i % 2 === 0 ? continuation : intake, process, max: 1 })),
          ),
        ),
      );
      const n = counts.reduce((a, b) => a + b, 0);
      handled += n;
      if (n > 0) continue;
      const depths = [await intake.depth(), await continuation.depth()];
      const waiting = depths.some((d) => d.delayed > 0 || d.inFlight > 0);
      if (!waiting) return handled;
      // Only delayed or hidden messages remain: skip to when the next one shows.
      clock.skip(1000);
    }
    return handled;
  }

  return {
    platform,
    clock,
    intake,
    intakeDeadLetter,
    continuation,
    continuationSent: recordedContinuation.sent,
    state,
    metrics,
    config,
    drain,
    deliver,
    stop: async () => {
      intake.close();
      continuation.close();
      client.destroy();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as readonly {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}[];

/** GitHub's own push example, pointed at our repository, branch and commit. */
/** An app of the apps repository; `repoURL` only for one that points elsewhere. */
export type AppsRepoApplication = Omit<ApplicationYaml, 'repoURL'> & { readonly repoURL?: string };

export interface AppsPipelineOptions extends Omit<PipelineOptions, 'env' | 'configYaml'> {
  readonly environment?: EnvironmentOptions;
  /** The first commit of the `apps` repository. */
  readonly files: Record<string, string>;
  /** The Applications the config declares after the argocd-secret. */
  readonly apps: readonly AppsRepoApplication[];
}

export interface AppsPipeline {
  readonly env: Environment;
  readonly pipeline: Pipeline;
  /** Clone URL of the `apps` repository. */
  readonly repoURL: string;
  /** Its first commit. */
  readonly head: string;
}

/**
 * The usual scenario: an environment, one `apps` repository on its git server and a pipeline
 * whose config holds the argocd-secret and the given Applications. Config is not loaded yet.
 */
export async function startAppsPipeline(options: AppsPipelineOptions): Promise<AppsPipeline> {
  const { environment, files, apps, ...rest } = options;
  const env = await startEnvironment(environment);
  const head = await env.git.createRepo('apps', { files });
  const repoURL = env.git.url('apps');
  const pipeline = await startPipeline({
    ...rest,
    env,
    configYaml: ARGOCD_SECRET + apps.map((app) => applicationYaml({ repoURL, ...app })).join(''),
  });
  return { env, pipeline, repoURL, head };
}

export function pushRequest(options: {
  readonly repoURL: string;
  readonly before: string;
  readonly after: string;
  readonly files: readonly string[];
  readonly delivery?: string;
  readonly now: Date;
}): WebhookRequest {
  const example = examples.find((e) => e.name === 'push')?.examples[0];
  if (example === undefined) throw new Error('no push example in @octokit/webhooks-examples');
  const web = options.repoURL.replace(/\.git$/, '');
  const repository = example.repository as Record<string, unknown>;
  const commit = {
    id: options.after,
    tree_id: options.after,
    distinct: true,
    message: 'change',
    timestamp: options.now.toISOString(),
    url: `${web}/commit/${options.after}`,
    author: { name: 'dev', email: 'dev@example.com' },
    committer: { name: 'dev', email: 'dev@example.com' },
    added: [],
    removed: [],
    modified: options.files,
  };
  const payload = {
    ...example,
    ref: 'refs/heads/main',
    before: options.before,
    after: options.after,
    created: false,
    deleted: false,
    repository: {
      ...repository,
      html_url: web,
      clone_url: options.repoURL,
      url: web,
      default_branch: 'main',
      master_branch: 'main',
    },
    commits: [commit],
    head_commit: commit,
  };
  const body = new TextEncoder().encode(JSON.stringify(payload));
  return {
    method: 'POST',
    path: '/api/webhook',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': options.delivery ?? randomUUID(),
      'x-hub-signature-256': signGitHubBody(GITHUB_SECRET, body),
    },
    rawBody: body,
    now: options.now,
  };
}

export function configMapYaml(name: string, data: Record<string, string>): string {
  return stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
}

/** An object as the emulator stores it, typed for assertions. */
export function liveObject(
  env: Environment,
  kind: 'ConfigMap',
  namespace: string,
  name: string,
): KubeObject | undefined {
  return env.emulator.getObject('v1', kind, namespace, name) as KubeObject | undefined;
}
