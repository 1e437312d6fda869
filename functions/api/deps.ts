/**
 * The API's adapters: the state table it answers from and the intake queue a sync request goes
 * to. It never reads the configuration, renders or reaches a cluster.
 */
import { randomUUID } from 'node:crypto';
import { createPlatform } from '../../shared/pipeline/platform.js';
import { type FunctionEnvironmentOptions, pipelineSettingsOf } from '../environment.js';
import { functionObservability } from '../observability.js';
import { stateAndQueues } from '../state-and-queues.js';
import { unwiredConfig, unwiredPorts } from '../unwired-ports.js';
import type { ApiHandlerDeps } from './handler.js';

export const SERVICE = 'api';

export function createApiDeps(options: FunctionEnvironmentOptions = {}): ApiHandlerDeps {
  const env = options.env ?? process.env;
  const { clock, logger, metrics } = functionObservability({ service: SERVICE, env });
  return {
    platform: createPlatform({
      ...stateAndQueues({ env, clock }),
      ...unwiredPorts(SERVICE),
      config: unwiredConfig(SERVICE),
      clock,
      metrics,
      logger,
      newId: randomUUID,
      settings: pipelineSettingsOf(env),
    }),
  };
}
