/**
 * The ports a function does not wire because its pipeline entry never reaches them: only the
 * sync-worker renders (git sources, kubectl and helm) and talks to clusters. Leaving them out keeps
 * isomorphic-git, the Kubernetes client, the EKS and STS clients and the render and sync engine
 * out of the lighter bundles. Should a future pipeline path reach one, it fails loudly, naming the
 * function and the port, instead of doing half the work.
 */
import { DriftlessError } from '../shared/errors/index.js';
import type { ClusterAccess, ConfigLoader, PipelineDeps } from '../shared/pipeline/deps.js';
import type { ToolRunner } from '../shared/ports/tool-runner.js';

const WORKER_ONLY = 'only the sync-worker renders and reaches clusters';

function unwired(service: string, port: string, why: string = WORKER_ONLY): DriftlessError {
  return new DriftlessError('INTERNAL', `the ${service} function has no ${port}: ${why}`, {
    context: { service, port },
  });
}

export interface UnwiredPorts {
  readonly gitFor: PipelineDeps['gitFor'];
  readonly tools: ToolRunner;
  readonly clusters: ClusterAccess;
}

export function unwiredPorts(service: string): UnwiredPorts {
  return {
    gitFor: () => {
      throw unwired(service, 'git source');
    },
    tools: {
      run: async () => {
        throw unwired(service, 'kubectl/helm runner');
      },
    },
    clusters: {
      clientFor: async () => {
        throw unwired(service, 'cluster access');
      },
    },
  };
}

/** For a function that never reads the Argo CD objects (the api answers from the state table). */
export function unwiredConfig(service: string): ConfigLoader {
  return {
    load: async () => {
      throw unwired(service, 'configuration loader', 'it answers from the state table alone');
    },
  };
}
