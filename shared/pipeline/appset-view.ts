/**
 * ApplicationSets as Argo CD's API shows them: the ApplicationSet as last reconciled with a
 * `status` of `conditions` (ErrorOccurred, ParametersGenerated, ResourcesUpToDate) and
 * `resources`, one entry per generated Application with its sync and health, all read from the
 * state table so the api function needs no configuration.
 */
import type { StoredApplication, StoredAppSetStatus } from '../state/index.js';
import { refOfName } from './app-names.js';

export interface AppSetResourceView {
  readonly group: 'argoproj.io';
  readonly version: 'v1alpha1';
  readonly kind: 'Application';
  readonly namespace: string;
  readonly name: string;
  readonly status: string;
  readonly health: { readonly status: string; readonly message?: string };
}

export interface ApplicationSetView {
  readonly apiVersion: string;
  readonly kind: 'ApplicationSet';
  readonly metadata: { readonly name: string } & Readonly<Record<string, unknown>>;
  readonly spec: unknown;
  readonly status: {
    readonly conditions: readonly {
      readonly type: string;
      readonly status: 'True' | 'False';
      readonly reason: string;
      readonly message: string;
      readonly lastTransitionTime: string;
    }[];
    readonly resources: readonly AppSetResourceView[];
    /** Driftless: when the ApplicationSet was last reconciled. */
    readonly reconciledAt: string;
  };
}

export interface AppSetViewOptions {
  readonly stored: StoredAppSetStatus;
  /** The generated Applications found in the table, by name (`name` or `namespace/name`). */
  readonly applications: ReadonlyMap<string, StoredApplication>;
}

export function appSetView({ stored, applications }: AppSetViewOptions): ApplicationSetView {
  const manifest = (stored.applicationSet ?? {}) as {
    apiVersion?: string;
    metadata?: Record<string, unknown>;
    spec?: unknown;
  };
  return {
    apiVersion: manifest.apiVersion ?? 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { ...manifest.metadata, name: stored.name },
    spec: manifest.spec ?? {},
    status: {
      conditions: stored.status.conditions,
      resources: stored.status.applications.map((name) => {
        const app = applications.get(name);
        const ref = refOfName(name);
        return {
          group: 'argoproj.io',
          version: 'v1alpha1',
          kind: 'Application',
          namespace: ref.namespace,
          name: ref.name,
          // An app generated but not yet written by its worker is still unknown.
          status: app?.status.sync?.status ?? 'Unknown',
          health: app?.status.health ?? { status: 'Unknown' },
        };
      }),
      reconciledAt: stored.status.reconciledAt,
    },
  };
}
