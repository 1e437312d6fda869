/**
 * A Cluster for an EKS cluster named by `{clusterName, region, roleArn?}`: DescribeCluster supplies
 * the endpoint and CA, IAM tokens do the rest. Registered under `name` (default the EKS name).
 */
import type { Cluster } from './cluster.js';
import { normalizeServer } from './cluster.js';
import { describeEksEndpoint, type EksDescribeClient } from './eks-endpoint.js';

export interface EksClusterOptions {
  readonly eks: EksDescribeClient;
  readonly clusterName: string;
  readonly region: string;
  readonly roleArn?: string;
  readonly name?: string;
  readonly namespaces?: readonly string[];
  readonly clusterResources?: boolean;
}

export async function eksCluster(options: EksClusterOptions): Promise<Cluster> {
  const endpoint = await describeEksEndpoint(options);
  return {
    name: options.name ?? options.clusterName,
    server: normalizeServer(endpoint.server),
    ...(options.namespaces ? { namespaces: options.namespaces } : {}),
    ...(options.clusterResources !== undefined ? { clusterResources: options.clusterResources } : {}),
    connect: {
      kind: 'eks',
      clusterName: options.clusterName,
      region: options.region,
      ...(options.roleArn ? { roleArn: options.roleArn } : {}),
      tls: { caData: endpoint.caData },
    },
  };
}
