/**
 * The Platform: the one engine the Lambda handlers, `driftless serve`, tests and benchmarks share.
 * Writes come in as webhooks, scans and sync requests and go out as queue messages; the worker
 * turns messages into refreshes and operations; the read API (app-requests.ts, which the api
 * function also builds on its own) shows the state table in Argo CD's shapes.
 */
import type { ReceivedMessage } from '../ports/queue.js';
import type { WebhookRequest } from '../webhook/index.js';
import { type ApplicationRequests, createApplicationRequests } from './app-requests.js';
import { type ReloadSummary, reloadConfig } from './config-reload.js';
import type { PipelineDeps } from './deps.js';
import { type DriftScanSummary, scanDrift } from './drift-scan.js';
import { acceptWebhook, type WebhookAnswer } from './intake.js';
import { PipelineRuntime } from './runtime.js';
import { type MessageOutcome, type ProcessOptions, processMessage } from './worker.js';

export interface Platform extends ApplicationRequests {
  acceptWebhook(request: WebhookRequest): Promise<WebhookAnswer>;
  processMessage(message: ReceivedMessage, options: ProcessOptions): Promise<MessageOutcome>;
  scanDrift(): Promise<DriftScanSummary>;
  reloadConfig(): Promise<ReloadSummary>;
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
    ...createApplicationRequests(deps),
  };
}
