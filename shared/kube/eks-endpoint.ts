/**
 * Finds an EKS cluster's API endpoint and CA through the EKS DescribeCluster API, for clusters named
 * by `{clusterName, region}` rather than by server URL. The EKS client is passed in; one built with
 * default settings honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_EKS by itself.
 */
import { DescribeClusterCommand, type DescribeClusterCommandOutput } from '@aws-sdk/client-eks';
import { DriftlessError, messageOf } from '../errors/index.js';

/** The one EKS operation needed; an EKSClient satisfies it. */
export interface EksDescribeClient {
  send(command: DescribeClusterCommand): Promise<DescribeClusterCommandOutput>;
}

export interface EksEndpoint {
  readonly server: string;
  /** Base64 PEM, as kubeconfig's certificate-authority-data. */
  readonly caData: string;
}

export async function describeEksEndpoint(options: {
  readonly eks: EksDescribeClient;
  readonly clusterName: string;
  readonly region: string;
}): Promise<EksEndpoint> {
  const where = `EKS cluster "${options.clusterName}" in ${options.region}`;
  let answer: DescribeClusterCommandOutput;
  try {
    answer = await options.eks.send(new DescribeClusterCommand({ name: options.clusterName }));
  } catch (e) {
    const name = (e as { name?: string }).name;
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === 'ResourceNotFoundException') {
      throw new DriftlessError('CLUSTER_NOT_FOUND', `${where}: ${messageOf(e)}`, { cause: e });
    }
    throw new DriftlessError('KUBE_API', `describe ${where}: ${messageOf(e)}`, {
      retryable: status === undefined || status === 429 || status >= 500,
      cause: e,
      context: { status },
    });
  }
  const cluster = answer.cluster;
  const server = cluster?.endpoint;
  const caData = cluster?.certificateAuthority?.data;
  if (!server || !caData) {
    // A cluster still CREATING has neither yet; that passes.
    throw new DriftlessError(
      'KUBE_API',
      `${where} has no endpoint yet (status ${cluster?.status ?? 'unknown'})`,
      {
        retryable: true,
        context: { status: undefined, reason: cluster?.status },
      },
    );
  }
  return { server, caData };
}
