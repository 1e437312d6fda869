/**
 * What generators read besides the ApplicationSet itself: repositories (the GitSource port),
 * the branches of a repository, the declared clusters and the open pull requests. Each is an
 * interface so the pipeline, the CLI and tests pass the implementation they have.
 */
import type { GitSource } from '../ports/source-tree.js';

/** Lists the branch names (without `refs/heads/`) of a repository, for the git generator's `branches`. */
export interface BranchLister {
  listBranches(repoURL: string): Promise<readonly string[]>;
}

/** A cluster Argo CD knows, with the labels and annotations of its Secret (the cluster generator selects on them). */
export interface DeclaredCluster {
  readonly name: string;
  readonly server: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export type PullRequestProvider = 'github' | 'gitlab';

/** Which repository's pull requests: `owner/repo` on GitHub, the project path or id on GitLab. */
export interface PullRequestRepository {
  readonly provider: PullRequestProvider;
  readonly repository: string;
}

export interface PullRequest {
  readonly number: number;
  readonly title: string;
  readonly branch: string;
  readonly targetBranch: string;
  readonly headSha: string;
  readonly author: string;
  readonly labels: readonly string[];
}

/** The open pull (merge) requests of a repository, as webhooks report them. */
export interface PullRequestSource {
  listOpen(repository: PullRequestRepository): Promise<readonly PullRequest[]>;
}

export interface GeneratorSources {
  readonly git?: GitSource;
  readonly branches?: BranchLister;
  /** Declared clusters (cluster Secrets); the in-cluster default is added unless one of them is it. */
  readonly clusters?: readonly DeclaredCluster[];
  /** `cluster.inClusterEnabled` in argocd-cm; true unless set to false. */
  readonly inClusterEnabled?: boolean;
  readonly pullRequests?: PullRequestSource;
}

export const IN_CLUSTER_NAME = 'in-cluster';
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
