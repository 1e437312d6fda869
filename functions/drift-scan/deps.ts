/**
 * The drift scan's adapters: the state table (the apps to refresh), the intake queue, metrics and
 * logs. It also reads the configuration, for the ApplicationSets it queues a reconcile for, so it
 * carries the git config loader; no render, sync or cluster code.
 */
import { randomUUID } from 'node:crypto';
import { scanDrift } from '../../shared/pipeline/drift-scan.js';
import { PipelineRuntime } from '../../shared/pipeline/runtime.js';
import { configFromGit } from '../config-from-git.js';
import { type FunctionEnvironmentOptions, pipelineSettingsOf } from '../environment.js';
import { functionObservability } from '../observability.js';
import { secretSources } from '../secret-sources.js';
import { stateAndQueues } from '../state-and-queues.js';
import { unwiredPorts } from '../unwired-ports.js';
import type { DriftScanHandlerDeps } from './handler.js';

export const SERVICE = 'drift-scan';

export function createDriftScanDeps(options: FunctionEnvironmentOptions = {}): DriftScanHandlerDeps {
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
  return { platform: { runtime, scanDrift: () => scanDrift(runtime) } };
}
