/**
 * The application API's side of the platform: list and get Applications and ApplicationSets from
 * the state table in Argo CD's shapes, and queue a manual sync for the worker. It needs the table, the intake queue, a
 * clock and ids, nothing that renders, syncs or reads git, so the api function builds it alone
 * while the Platform (`driftless serve`, tests) offers the same calls.
 */
import { DriftlessError } from '../errors/index.js';
import { encodePipelineMessage } from '../queue/messages.js';
import type { StoredApplication } from '../state/index.js';
import { nameOfRef, refOfName } from './app-names.js';
import { type ApplicationView, fullView, summaryView } from './app-view.js';
import { type ApplicationSetView, appSetView } from './appset-view.js';
import type { PipelineDeps } from './deps.js';
import type { OperationRecord } from './operation-record.js';

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

export interface ApplicationRequests {
  /** Queues a manual sync; the worker runs it. */
  syncApp(name: string, request?: SyncRequest): Promise<{ readonly operationId: string }>;
  listApps(
    options?: ListAppsOptions,
  ): Promise<{ readonly items: readonly ApplicationView[]; readonly cursor?: string }>;
  getApp(name: string): Promise<ApplicationView | undefined>;
  /** Every ApplicationSet that has been reconciled, by name. */
  listAppSets(): Promise<readonly ApplicationSetView[]>;
  getAppSet(name: string): Promise<ApplicationSetView | undefined>;
}

export type ApplicationRequestsDeps = Pick<PipelineDeps, 'state' | 'intake' | 'clock' | 'newId'>;

export function createApplicationRequests(deps: ApplicationRequestsDeps): ApplicationRequests {
  return {
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

    async listAppSets() {
      const statuses = await deps.state.listAppSetStatuses();
      if (statuses.length === 0) return [];
      const applications = await allApplications(deps);
      return statuses.map((stored) => appSetView({ stored, applications }));
    },

    async getAppSet(name) {
      const stored = await deps.state.getAppSetStatus(name);
      if (stored === undefined) return undefined;
      const found = await Promise.all(
        stored.status.applications.map((n) => deps.state.getApplication(refOfName(n))),
      );
      const applications = new Map(
        found.filter((a): a is StoredApplication => a !== undefined).map((a) => [nameOfRef(a.ref), a]),
      );
      return appSetView({ stored, applications });
    },
  };
}

async function allApplications(deps: ApplicationRequestsDeps): Promise<Map<string, StoredApplication>> {
  const byName = new Map<string, StoredApplication>();
  let cursor: string | undefined;
  do {
    const page = await deps.state.listApplications({
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const app of page.items) byName.set(nameOfRef(app.ref), app);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return byName;
}
