/**
 * The webhook's adapters: the state table (delivery dedupe, stored apps per repository, open pull
 * requests), the intake queue, and the configuration from the config repository, which routing
 * reads on every request (webhook secrets, ApplicationSets, the config repository itself) and the
 * runtime loads once per container. No render, sync or cluster code: only the intake entry.
 */
import { randomUUID } from 'node:crypto';
import { acceptWebhook } from '../../shared/pipeline/intake.js';
import { PipelineRuntime } from '../../shared/pipeline/runtime.js';
import { configFromGit } from '../config-from-git.js';
import { type FunctionEnvironmentOptions, pipelineSettingsOf } from '../environment.js';
import { functionObservability } from '../observability.js';
import { secretSources } from '../secret-sources.js';
import { stateAndQueues } from '../state-and-queues.js';
import { unwiredPorts } from '../unwired-ports.js';
import type { WebhookHandlerDeps } from './handler.js';

export const SERVICE = 'webhook';

export function createWebhookDeps(options: FunctionEnvironmentOptions = {}): WebhookHandlerDeps {
  const env = options.env ?? process.env;
  const { clock, logger, metrics } = functionObservability({ service: SERVICE, env });
  const runtime = new PipelineRuntime({
    ...stateAndQueues({ env, clock }),
    ...unwiredPorts(SERVICE),
    config: configFromGit({ env, secrets: secretSources({ env }) }),
    clock,
    metrics,
    logger,
    newId: randomUUID,
    settings: pipelineSettingsOf(env),
  });
  return { platform: { runtime, acceptWebhook: (request) => acceptWebhook(runtime, request) } };
}
