/**
 * The Platform: the one engine the Lambda handlers, `driftless serve`, tests and benchmarks share.
 * Writes come in as webhooks, scans and sync requests and go out as queue messages; the worker
 * turns messages into refreshes and operations; the read API shows the state table in Argo CD's
 * shapes.
 */
import { DriftlessError } from '../errors/index.js';
import type { ReceivedMessage } from '../ports/queue.js';
import { encodePipelineMessage } from '../queue/index.js';
import type { WebhookRequest } from '../webhook/index.js';
import { refOfName } from './app-names.js';
import { type ApplicationView, fullView, summaryView } from './app-view.js';
import { type ReloadSummary, reloadConfig } from './config-reload.js';
import type { PipelineDeps } from './deps.js';
import { type DriftScanSummary, scanDrift } from './drift-scan.js';
import { acceptWebhook, type WebhookAnswer } from './intake.js';
import type { OperationRecord } from './operation-record.js';
import { PipelineRuntime } from './runtime.js';
import { type MessageOutcome, type ProcessOptions, processMessage } from './worker.js';

export interface SyncRequest {
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  /** Branch, tag or commit; default each source's targetRevision. */
  readonly revision?: string;
  readonly initiatedBy?: string;
}

export interface ListAppsOptions {
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Platform {
  acceptWebhook(request: WebhookRequest): Promise<WebhookAnswer>;
  processMessage(message: ReceivedMessage, options: ProcessOptions): Promise<MessageOutcome>;
  scanDrift(): Promise<DriftScanSummary>;
  reloadConfig(): Promise<ReloadSummary>;
  /** Queues a manual sync; the worker runs it. */
  syncApp(name: string, request?: SyncRequest): Promise<{ readonly operationId: string }>;
  listApps(
    options?: ListAppsOptions,
  ): Promise<{ readonly items: readonly ApplicationView[]; readonly cursor?: string }>;
  getApp(name: string): Promise<ApplicationView | undefined>;
  readonly runtime: PipelineRuntime;
}

export function createPlatform(deps: PipelineDeps): Platform {
  const runtime = new PipelineRuntime(deps);
  return {
    runtime,
    acceptWebhook: (request) => acceptWebhook(runtime, request),
    processMessage: (message, options) => processMessage(runtime, message, options),
    scanDrift: () => scanDrift(runtime),
    reloadConfig: () => reloadConfig(runtime),

    async syncApp(name, request = {}) {
      const ref = refOfName(name);
      const stored = await deps.state.getApplication(ref);
      if (stored === undefined) {
        throw new DriftlessError('NOT_FOUND', `sync: no application "${name}"`, { context: { app: name } });
      }
      const operationId = deps.newId();
      await deps.intake.send([
        encodePipelineMessage({
          kind: 'sync',
          app: name,
          operationId,
          revision: request.revision ?? 'HEAD',
          receivedAt: deps.clock.now().toISOString(),
          ...(request.initiatedBy === undefined ? {} : { initiatedBy: request.initiatedBy }),
          ...(request.prune === undefined ? {} : { prune: request.prune }),
          ...(request.dryRun === undefined ? {} : { dryRun: request.dryRun }),
        }),
      ]);
      return { operationId };
    },

    async listApps(options = {}) {
      const page = await deps.state.listApplications(options);
      return {
        items: page.items.map(summaryView),
        ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
      };
    },

    async getApp(name) {
      const ref = refOfName(name);
      const stored = await deps.state.getApplication(ref);
      if (stored === undefined) return undefined;
      const [operation, history, resources] = await Promise.all([
        deps.state.getOperation<OperationRecord>(ref),
        deps.state.listHistory<OperationRecord>(ref),
        deps.state.getResources(ref),
      ]);
      return fullView({
        stored,
        ...(operation === undefined ? {} : { operation }),
        history,
        resources: resources.resources,
      });
    },
  };
}
