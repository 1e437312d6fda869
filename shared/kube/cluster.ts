/**
 * A Cluster is a named deployment destination, as Argo CD knows them: a server URL and a name an
 * Application's `destination` can point at, optional namespace/cluster-scope limits, and how to
 * authenticate. The connect variants mirror where clusters come from: a local kubeconfig context,
 * an EKS cluster (IAM-signed tokens), an Argo CD cluster Secret with a bearer token and TLS
 * material, or the service account of the pod we run in.
 */

/** Argo CD's `tlsClientConfig`; byte fields are base64 as in the Secret's JSON. */
export interface TlsClientConfig {
  readonly insecure?: boolean;
  readonly serverName?: string;
  readonly caData?: string;
  readonly certData?: string;
  readonly keyData?: string;
}

export type ClusterConnect =
  | { readonly kind: 'kubeconfig'; readonly file: string; readonly context: string }
  | {
      readonly kind: 'eks';
      readonly clusterName: string;
      readonly region: string;
      readonly roleArn?: string;
      /** Named AWS profile (Argo CD `awsAuthConfig.profile`), passed to the credentials source. */
      readonly profile?: string;
      readonly tls: TlsClientConfig;
    }
  | {
      readonly kind: 'bearer';
      readonly bearerToken?: string;
      readonly username?: string;
      readonly password?: string;
      readonly tls: TlsClientConfig;
    }
  | { readonly kind: 'service-account' };

export interface Cluster {
  readonly name: string;
  /** API server URL without a trailing slash. */
  readonly server: string;
  /** When set, only these namespaces are managed (Argo CD `namespaces`). */
  readonly namespaces?: readonly string[];
  /** With `namespaces` set: whether cluster-scoped resources may be managed too. */
  readonly clusterResources?: boolean;
  readonly project?: string;
  readonly connect: ClusterConnect;
}

export const inClusterServer = 'https://kubernetes.default.svc';
export const inClusterName = 'in-cluster';

export function normalizeServer(server: string): string {
  return server.replace(/\/+$/, '');
}
