/**
 * The API's adapters: the state table it answers from and the intake queue a sync request goes
 * to. It never reads the configuration, renders or reaches a cluster, so it builds the
 * application requests alone and none of the Platform's engine comes into its bundle.
 */
import { randomUUID } from 'node:crypto';
import { createApplicationRequests } from '../../shared/pipeline/app-requests.js';
import type { FunctionEnvironmentOptions } from '../environment.js';
import { functionObservability } from '../observability.js';
import { stateAndQueues } from '../state-and-queues.js';
import type { ApiHandlerDeps } from './handler.js';

export const SERVICE = 'api';

export function createApiDeps(options: FunctionEnvironmentOptions = {}): ApiHandlerDeps {
  const env = options.env ?? process.env;
  const { clock, logger, metrics } = functionObservability({ service: SERVICE, env });
  const { state, intake } = stateAndQueues({ env, clock });
  return {
    applications: createApplicationRequests({ state, intake, clock, newId: randomUUID }),
    clock,
    logger,
    metrics,
  };
}
