/**
 * The worker's adapters, all of them: the state table, both queues, git over HTTP with the
 * repository credentials, kubectl and helm from the layer, EKS clusters, the configuration from
 * the config repository, and the preview commit status reporter, whose tokens come from the
 * Secrets Manager secret DRIFTLESS_COMMIT_STATUS_SECRET_NAME names (unset: nothing is posted).
 * Queue ARNs and URLs both end in the queue's name and only the FIFO one ends in `.fifo`, which
 * tells a record's source queue.
 */
import { randomUUID } from 'node:crypto';
import { createPlatform } from '../../shared/pipeline/platform.js';
import { DeferredCommitStatusReporter } from '../../shared/preview/commit-status-settings.js';
import { MemoryRenderCache } from '../../shared/render/index.js';
import { ProcessToolRunner } from '../../shared/tools/index.js';
import { configFromGit, gitSourceFor } from '../config-from-git.js';
import { eksAccess } from '../eks-access.js';
import { type FunctionEnvironmentOptions, pipelineSettingsOf } from '../environment.js';
import { functionObservability } from '../observability.js';
import { secretSources } from '../secret-sources.js';
import { stateAndQueues } from '../state-and-queues.js';
import type { WorkerHandlerDeps } from './handler.js';

export const SERVICE = 'sync-worker';

export function createWorkerDeps(options: FunctionEnvironmentOptions = {}): WorkerHandlerDeps {
  const env = options.env ?? process.env;
  const { clock, logger, metrics } = functionObservability({ service: SERVICE, env });
  const stores = stateAndQueues({ env, clock });
  const secrets = secretSources({ env });
  const platform = createPlatform({
    ...stores,
    gitFor: gitSourceFor,
    tools: new ProcessToolRunner(),
    clusters: eksAccess({ env, clock }),
    config: configFromGit({ env, secrets }),
    commitStatus: new DeferredCommitStatusReporter({ endpoints: secrets.commitStatus }),
    clock,
    metrics,
    logger,
    newId: randomUUID,
    renderCache: new MemoryRenderCache(),
    settings: pipelineSettingsOf(env),
  });
  return {
    platform,
    queueOf: (arn) => (arn?.endsWith('.fifo') ? stores.intake : stores.continuation),
  };
}
