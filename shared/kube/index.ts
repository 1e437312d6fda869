/**
 * Cluster access. A Cluster (cluster.ts) is a named destination with a way to connect; the
 * ClusterRegistry collects them from a kubeconfig, Argo CD cluster Secrets, EKS DescribeCluster and
 * the in-cluster default, and resolves an Application's `destination` with Argo CD's rules. The
 * ClusterClientFactory turns a Cluster into a KubeClient (one per cluster, cached):
 *
 *   destination → registry.resolve → factory.clientFor → ClientNodeKubeClient
 *     → discovery (cached per cluster, refreshed once on an unknown kind)
 *     → request through client-node (auth: kubeconfig | bearer | renewing EKS token)
 *     → answer as plain JSON, or a KUBE_API DriftlessError naming verb and object
 *
 * EKS tokens are presigned STS GetCallerIdentity URLs (eks-token.ts), re-signed every 10 minutes.
 */
export * from './api-error.js';
export * from './argocd-cluster-secret.js';
export * from './assumed-role-credentials.js';
export * from './client-node-kube-client.js';
export * from './cluster.js';
export * from './cluster-client-factory.js';
export * from './cluster-registry.js';
export * from './discovery.js';
export * from './eks-cluster.js';
export * from './eks-endpoint.js';
export * from './eks-token.js';
export * from './eks-token-source.js';
export * from './kubeconfig-clusters.js';
export * from './token-authenticator.js';
