/**
 * The model: Kubernetes object basics and Argo CD's argoproj.io/v1alpha1 objects.
 */
export * from './argo-types.js';
export * from './kube-object.js';
