import { Stack } from 'aws-cdk-lib';
import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ClusterAccess } from './driftless-props.js';
import type { ResolvedCluster } from './resolve-props.js';

export interface EksAccessProps {
  readonly clusters: readonly ResolvedCluster[];
  /** The sync worker's role: the only principal that talks to clusters. */
  readonly workerRole: IRole;
}

/** EKS access policies (AWS managed, cluster-access-policy ARNs in the `aws` account). */
export const ACCESS_POLICY = {
  namespaces: 'AmazonEKSAdminPolicy',
  clusterAdmin: 'AmazonEKSClusterAdminPolicy',
} as const;

function policyFor(stack: Stack, access: ClusterAccess): CfnAccessEntry.AccessPolicyProperty {
  const arn = (name: string) => `arn:${stack.partition}:eks::aws:cluster-access-policy/${name}`;
  if (access.kind === 'cluster-admin') {
    return { policyArn: arn(ACCESS_POLICY.clusterAdmin), accessScope: { type: 'cluster' } };
  }
  return {
    policyArn: arn(ACCESS_POLICY.namespaces),
    accessScope: { type: 'namespace', namespaces: [...access.namespaces] },
  };
}

/**
 * One EKS access entry per cluster reached with the worker's own role (the cluster must use the
 * API or API_AND_CONFIG_MAP authentication mode). Clusters reached through `roleArn` live in
 * another account or region; their access entry is made there, for that role.
 */
export class EksAccess extends Construct {
  readonly entries: readonly CfnAccessEntry[];

  constructor(scope: Construct, id: string, props: EksAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.entries = props.clusters.flatMap((cluster) => {
      if (cluster.roleArn !== undefined || cluster.access === undefined) return [];
      return [
        new CfnAccessEntry(this, `Entry-${cluster.name}`, {
          clusterName: cluster.eksClusterName,
          principalArn: props.workerRole.roleArn,
          type: 'STANDARD',
          accessPolicies: [policyFor(stack, cluster.access)],
        }),
      ];
    });
  }
}
