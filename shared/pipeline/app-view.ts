/**
 * Applications as Argo CD's API shows them: the stored spec with a `status` in Argo CD's shape
 * (`sync`, `health`, `operationState`, `history`, `resources`, `conditions`), so tools that read
 * `argocd app get -o json` read Driftless the same way.
 */
import type { Application } from '../model/argo-types.js';
import type { HistoryEntry, StoredApplication, StoredOperation, StoredResource } from '../state/index.js';
import type { OperationRecord } from './operation-record.js';

export interface ApplicationView extends Application {
  readonly status: {
    readonly sync: { readonly status: string; readonly revision?: string };
    readonly health: { readonly status: string; readonly message?: string };
    readonly reconciledAt?: string;
    readonly conditions?: readonly {
      readonly type: string;
      readonly message: string;
      readonly lastTransitionTime?: string;
    }[];
    readonly operationState?: {
      readonly phase: string;
      readonly message: string;
      readonly startedAt: string;
      readonly finishedAt?: string;
      readonly operation: {
        readonly initiatedBy: { readonly username?: string; readonly automated?: boolean };
      };
      readonly syncResult?: { readonly revision: string; readonly resources: readonly unknown[] };
    };
    readonly history: readonly {
      readonly id: number;
      readonly revision: string;
      readonly deployedAt: string;
      readonly deployStartedAt: string;
      readonly initiatedBy?: { readonly username?: string; readonly automated?: boolean };
    }[];
    readonly resources: readonly {
      readonly group: string;
      readonly version: string;
      readonly kind: string;
      readonly namespace: string;
      readonly name: string;
      readonly status: string;
      readonly health?: { readonly status: string; readonly message?: string };
      readonly requiresPruning?: boolean;
      readonly driftedFields?: readonly string[];
    }[];
    /** Driftless: why the last message about this app could not be processed. */
    readonly lastError?: string;
  };
}

/** Just the app and its summary status (list views). */
export function summaryView(stored: StoredApplication): ApplicationView {
  return fullView({ stored, resources: [], history: [] });
}

export interface FullViewOptions {
  readonly stored: StoredApplication;
  readonly operation?: StoredOperation<OperationRecord>;
  readonly history: readonly HistoryEntry<OperationRecord>[];
  readonly resources: readonly StoredResource[];
}

export function fullView({ stored, operation, history, resources }: FullViewOptions): ApplicationView {
  const { status } = stored;
  const op = operation?.operation;
  return {
    ...stored.application,
    status: {
      sync: {
        status: status.sync?.status ?? 'Unknown',
        ...(status.sync?.revision === undefined ? {} : { revision: status.sync.revision }),
      },
      health: status.health ?? { status: 'Unknown' },
      ...(status.reconciledAt === undefined ? {} : { reconciledAt: status.reconciledAt }),
      ...(status.conditions === undefined ? {} : { conditions: status.conditions }),
      ...(op === undefined
        ? {}
        : {
            operationState: {
              phase: op.phase,
              message: op.message ?? op.state.message,
              startedAt: op.startedAt,
              ...(op.finishedAt === undefined ? {} : { finishedAt: op.finishedAt }),
              operation: { initiatedBy: initiatedBy(op) },
              ...(op.results === undefined
                ? {}
                : { syncResult: { revision: op.revision, resources: op.results } }),
            },
          }),
      // Argo CD lists history oldest first.
      history: [...history].reverse().map((h) => ({
        id: h.id,
        revision: h.revision,
        deployedAt: h.finishedAt ?? h.startedAt,
        deployStartedAt: h.startedAt,
        initiatedBy: initiatedBy(h.operation),
      })),
      resources: resources.map((r) => ({
        group: r.key.group,
        version: (r.desired ?? r.live)?.apiVersion.split('/').pop() ?? '',
        kind: r.key.kind,
        namespace: r.key.namespace,
        name: r.key.name,
        status: r.syncStatus,
        ...(r.health === undefined ? {} : { health: r.health }),
        ...(r.desired === undefined && r.live !== undefined ? { requiresPruning: true } : {}),
        ...(r.driftedFields === undefined || r.driftedFields.length === 0
          ? {}
          : { driftedFields: r.driftedFields }),
      })),
      ...(status.lastError === undefined ? {} : { lastError: status.lastError }),
    },
  };
}

function initiatedBy(op: OperationRecord): { username?: string; automated?: boolean } {
  return op.trigger.kind === 'manual' ? { username: op.trigger.initiatedBy ?? 'admin' } : { automated: true };
}
