/**
 * The sources ApplicationSet tests generate from: the repository under repo/ (HEAD and main),
 * one directory per extra branch under branches/, declared clusters and open pull requests.
 * Only the branch listing is a stand-in; trees are real DirectorySourceTrees.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InMemoryPullRequestSource } from '../../../shared/appset/index.js';
import type { DeclaredCluster, GeneratorSources } from '../../../shared/appset/index.js';
import { DriftlessError } from '../../../shared/errors/index.js';
import { DirectorySourceTree } from '../../../shared/git/directory-tree.js';
import type { GitSource, SourceTree } from '../../../shared/ports/source-tree.js';

export const here = fileURLToPath(new URL('.', import.meta.url));
export const REPO = 'https://git.example.com/org/config.git';

const BRANCH_DIRS: Readonly<Record<string, string>> = {
  HEAD: 'repo',
  main: 'repo',
  'release-1.0': 'branches/release-1.0',
  'release-2.0': 'branches/release-2.0',
  'feature-login': 'branches/feature-login',
};

/** A GitSource over plain directories: one per branch of the one test repository. */
export class DirectoryBranches implements GitSource {
  readonly #trees = new Map<string, Promise<SourceTree>>();

  async resolve(repoURL: string, revision: string): Promise<string> {
    if (repoURL !== REPO) throw new DriftlessError('GIT_NOT_FOUND', `repository ${repoURL} not found`);
    if (!BRANCH_DIRS[revision]) throw new DriftlessError('GIT_NOT_FOUND', `${repoURL}: revision ${revision} not found`);
    return revision;
  }

  open(_repoURL: string, commit: string): Promise<SourceTree> {
    let tree = this.#trees.get(commit);
    if (!tree) {
      tree = DirectorySourceTree.open(REPO, join(here, BRANCH_DIRS[commit] as string));
      this.#trees.set(commit, tree);
    }
    return tree;
  }

  async listBranches(repoURL: string): Promise<readonly string[]> {
    await this.resolve(repoURL, 'main');
    return ['main', 'release-1.0', 'release-2.0', 'feature-login', 'hotfix/release-3'];
  }
}

export const CLUSTERS: readonly DeclaredCluster[] = [
  {
    name: 'prod-eu',
    server: 'https://prod-eu.example.com',
    labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'prod' },
    annotations: { 'example.com/region': 'eu-west-1' },
  },
  {
    name: 'prod_US',
    server: 'https://prod-us.example.com',
    labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'prod', tier: 'experimental' },
    annotations: {},
  },
  {
    name: 'Staging.EU',
    server: 'https://staging.example.com',
    labels: { 'argocd.argoproj.io/secret-type': 'cluster', env: 'staging' },
    annotations: { 'example.com/region': 'eu-central-1' },
  },
];

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

export function pullRequests(): InMemoryPullRequestSource {
  const source = new InMemoryPullRequestSource();
  const web = { provider: 'github', repository: 'org/web' } as const;
  const pr = (number: number, branch: string, targetBranch: string, labels: string[]) => ({
    number,
    title: `PR ${number}: ${branch}`,
    branch,
    targetBranch,
    headSha: `${SHA.slice(number % 10)}${SHA.slice(0, number % 10)}`,
    author: 'dev',
    labels,
  });
  source.upsert(web, pr(12, 'feature/ADD-login_page', 'main', ['preview', 'ui']));
  source.upsert(web, pr(13, 'fix/typo', 'main', ['preview']));
  source.upsert(web, pr(14, 'chore/deps', 'release-2.0', ['preview']));
  source.upsert(web, pr(15, 'feature/unlabelled', 'main', []));
  source.upsert(web, pr(16, 'feature/closed', 'main', ['preview']));
  source.close(web, 16);
  source.upsert({ provider: 'gitlab', repository: 'group/api' }, pr(3, 'feature_x/Ünïcode & more', 'main', ['a']));
  return source;
}

export function sources(): GeneratorSources {
  const git = new DirectoryBranches();
  return { git, branches: git, clusters: CLUSTERS, pullRequests: pullRequests() };
}
