import type { Application } from '../../../shared/model/argo-types.js';
import type { KubeObject } from '../../../shared/model/kube-object.js';

export function app(spec: Partial<Application['spec']> = {}, name = 'web'): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'prod' },
      ...spec,
    },
  };
}

export function obj(
  apiVersion: string,
  kind: string,
  name: string,
  options: { namespace?: string; annotations?: Record<string, string>; spec?: unknown } = {},
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
      ...(options.annotations === undefined ? {} : { annotations: options.annotations }),
    },
    ...(options.spec === undefined ? {} : { spec: options.spec }),
  };
}
