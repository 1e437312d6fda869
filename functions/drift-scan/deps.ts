/**
 * The drift scan's adapters: the state table (the apps to refresh), the intake queue, metrics and
 * logs. It reads no configuration: the ApplicationSets' tick is one message the worker expands,
 * so neither git, repository credentials nor the render, sync or cluster code come into it.
 */
import { DriftlessError } from '../../shared/errors/index.js';
import { scanDrift } from '../../shared/pipeline/drift-scan.js';
import { ENV, type FunctionEnvironmentOptions, pipelineSettingsOf } from '../environment.js';
import { functionObservability } from '../observability.js';
import { stateAndQueues } from '../state-and-queues.js';
import type { DriftScanHandlerDeps } from './handler.js';

export const SERVICE = 'drift-scan';

export function createDriftScanDeps(options: FunctionEnvironmentOptions = {}): DriftScanHandlerDeps {
  const env = options.env ?? process.env;
  const { clock, logger, metrics } = functionObservability({ service: SERVICE, env });
  const { state, intake } = stateAndQueues({ env, clock });
  const { driftScanSeconds } = pipelineSettingsOf(env);
  if (driftScanSeconds === undefined || driftScanSeconds <= 0) {
    throw new DriftlessError(
      'INTERNAL',
      `environment variable ${ENV.driftScanSeconds} must be a positive number of seconds, got "${env[ENV.driftScanSeconds]}"`,
      { context: { name: ENV.driftScanSeconds } },
    );
  }
  const context = { deps: { state, intake, clock, metrics, logger }, settings: { driftScanSeconds } };
  return { scanDrift: () => scanDrift(context), logger, metrics };
}
