/**
 * Objects shaped like what the API server returns for a Deployment applied by Argo CD with
 * server-side apply: server defaults, bookkeeping metadata, managedFields of the applier and of
 * controllers, status. Built fresh per call and deep-frozen so tests also prove inputs are never
 * mutated.
 */
import type { KubeObject, ResourceKey } from '../../../shared/model/index.js';

/** The parts of a Deployment the tests read and change. */
export interface DeploymentView extends KubeObject {
  spec: {
    replicas?: number;
    selector: Record<string, unknown>;
    template: {
      metadata: { labels?: Record<string, string> };
      spec: { containers: Record<string, unknown>[] };
    };
  };
}

export function asDeployment(obj: KubeObject | undefined): DeploymentView {
  return structuredClone(obj) as DeploymentView;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const deploymentKey: ResourceKey = {
  group: 'apps',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'web',
};

export interface DeploymentShape {
  readonly replicas?: number;
  readonly image?: string;
  readonly labels?: Record<string, string>;
  readonly containers?: Record<string, unknown>[];
  readonly annotations?: Record<string, string>;
}

export function desiredDeployment(shape: DeploymentShape = {}): KubeObject {
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      labels: shape.labels ?? { app: 'web' },
      ...(shape.annotations ? { annotations: shape.annotations } : {}),
    },
    spec: {
      replicas: shape.replicas ?? 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: shape.containers ?? [
            { name: 'web', image: shape.image ?? 'nginx:1.27', ports: [{ containerPort: 8080 }] },
          ],
        },
      },
    },
  });
}

/** Adds what the API server and controllers add to a container. */
function defaultedContainer(c: Record<string, unknown>): Record<string, unknown> {
  const ports = Array.isArray(c.ports)
    ? c.ports.map((p) => ({ protocol: 'TCP', ...(p as object) }))
    : undefined;
  return {
    imagePullPolicy: 'IfNotPresent',
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...c,
    ...(ports ? { ports } : {}),
  };
}

export interface LiveOptions {
  /** Extra managedFields entries, after the applier's. */
  readonly managedFields?: Record<string, unknown>[];
  /** Extra annotations a controller or webhook added. */
  readonly annotations?: Record<string, string>;
  readonly labels?: Record<string, string>;
  /** Containers to use instead of desired's (already in the live shape, defaults added). */
  readonly containers?: Record<string, unknown>[];
  readonly replicas?: number;
}

export function applierManagedFields(fieldsV1: Record<string, unknown>): Record<string, unknown> {
  return {
    manager: 'argocd-controller',
    operation: 'Apply',
    apiVersion: 'apps/v1',
    time: '2026-11-20T10:00:00Z',
    fieldsType: 'FieldsV1',
    fieldsV1,
  };
}

/**
 * The fieldsV1 trie server-side apply records for an applied value: maps as `f:` children, lists
 * of named items keyed by name, ports keyed by containerPort and protocol, other lists atomic.
 */
export function ownedFields(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'object' && v !== null)) return {};
    const entries = value.map((item: Record<string, unknown>) => {
      const key =
        typeof item.name === 'string'
          ? { name: item.name }
          : { containerPort: item.containerPort, protocol: item.protocol ?? 'TCP' };
      return [`k:${JSON.stringify(key)}`, { '.': {}, ...ownedFields(item) }];
    });
    return { '.': {}, ...Object.fromEntries(entries) };
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        const child = ownedFields(v);
        return [`f:${k}`, Object.keys(child).length === 0 ? {} : { '.': {}, ...child }];
      }),
    );
  }
  return {};
}

/** The live object after desired was applied, optionally changed afterwards. */
export function liveDeployment(desired: KubeObject, options: LiveOptions = {}): KubeObject {
  const d = asDeployment(desired);
  const containers = (options.containers ?? d.spec.template.spec.containers).map(defaultedContainer);
  const fieldsV1 = {
    'f:metadata': {
      'f:annotations': { 'f:argocd.argoproj.io/tracking-id': {} },
      'f:labels': Object.fromEntries(Object.keys(desired.metadata.labels ?? {}).map((k) => [`f:${k}`, {}])),
    },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': ownedFields(d.spec.template.spec.containers),
        },
      },
    },
  };
  return deepFreeze({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: '5c1f6a6e-3b2d-4c8e-9a51-0d7c2b1e4f00',
      resourceVersion: '482913',
      generation: 3,
      creationTimestamp: '2026-11-01T08:00:00Z',
      labels: { ...(desired.metadata.labels ?? {}), ...(options.labels ?? {}) },
      annotations: {
        'argocd.argoproj.io/tracking-id': 'shop:apps/Deployment:shop/web',
        'deployment.kubernetes.io/revision': '3',
        ...(options.annotations ?? {}),
      },
      managedFields: [
        applierManagedFields(fieldsV1),
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion: 'apps/v1',
          time: '2026-11-20T10:00:05Z',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:metadata': { 'f:annotations': { '.': {}, 'f:deployment.kubernetes.io/revision': {} } },
            'f:status': { 'f:availableReplicas': {}, 'f:replicas': {} },
          },
          subresource: 'status',
        },
        ...(options.managedFields ?? []),
      ],
    },
    spec: {
      progressDeadlineSeconds: 600,
      replicas: options.replicas ?? d.spec.replicas,
      revisionHistoryLimit: 10,
      selector: d.spec.selector,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { creationTimestamp: null, labels: d.spec.template.metadata.labels },
        spec: {
          containers,
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    },
    status: {
      availableReplicas: 2,
      observedGeneration: 3,
      readyReplicas: 2,
      replicas: 2,
      updatedReplicas: 2,
    },
  });
}
