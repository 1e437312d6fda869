/**
 * The pull request generator over the PullRequestSource port (fed by GitHub and GitLab webhooks
 * instead of polling their APIs). `github: {owner, repo, labels}` or `gitlab: {project, labels}`
 * select the repository (`project` is the path with namespace or the numeric id, matched against
 * the key the webhook recorded the merge request under); a pull request must carry every listed label; `filters` keep those that
 * match any filter, a filter matching when all of its regexps (`branchMatch`,
 * `targetBranchMatch`, `titleMatch`) do. Parameters are Argo CD's: `number`, `title`, `branch`,
 * `branch_slug`, `target_branch`, `target_branch_slug`, `head_sha`, `head_short_sha` (8),
 * `head_short_sha_7`, `author`, and `labels` with goTemplate.
 */
import { DriftlessError } from '../../errors/index.js';
import { branchSlug } from '../names.js';
import { isPlainObject, type ParamSet } from '../params.js';
import type { PullRequest, PullRequestRepository } from '../sources.js';
import type { LeafGenerator } from './generator-run.js';

interface Filter {
  readonly branchMatch?: RegExp;
  readonly targetBranchMatch?: RegExp;
  readonly titleMatch?: RegExp;
}

export const pullRequestGenerator: LeafGenerator = async (body, at, run) => {
  const { repository, labels } = repositoryOf(body, at);
  const filters = readFilters(body.filters, `${at}.filters`);
  const source = run.sources.pullRequests;
  if (!source) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `${at}: no pull request source for ${repository.repository}`,
    );
  }
  const pulls = await source.listOpen(repository);
  return pulls
    .filter((pull) => labels.every((label) => pull.labels.includes(label)))
    .filter((pull) => filters.length === 0 || filters.some((filter) => matches(filter, pull)))
    .map((pull) => pullParams(pull, run.mode.goTemplate));
};

function repositoryOf(body: Readonly<Record<string, unknown>>, at: string) {
  const github = body.github;
  const gitlab = body.gitlab;
  if (isPlainObject(github)) {
    const { owner, repo } = github;
    if (typeof owner !== 'string' || typeof repo !== 'string' || !owner || !repo) {
      throw new DriftlessError('INVALID_MANIFEST', `${at}.github: owner and repo are required`);
    }
    const repository: PullRequestRepository = { provider: 'github', repository: `${owner}/${repo}` };
    return { repository, labels: stringList(github.labels, `${at}.github.labels`) };
  }
  if (isPlainObject(gitlab)) {
    // A numeric id written unquoted in YAML arrives as a number; it names the same project.
    const project = typeof gitlab.project === 'number' ? String(gitlab.project) : gitlab.project;
    if (typeof project !== 'string' || !project) {
      throw new DriftlessError('INVALID_MANIFEST', `${at}.gitlab.project: is required`);
    }
    const state = gitlab.pullRequestState;
    if (state !== undefined && state !== '' && state !== 'opened') {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `${at}.gitlab.pullRequestState: only opened merge requests are known, not ${JSON.stringify(state)}`,
      );
    }
    const repository: PullRequestRepository = { provider: 'gitlab', repository: project };
    return { repository, labels: stringList(gitlab.labels, `${at}.gitlab.labels`) };
  }
  const others = Object.keys(body).filter((k) => !['filters', 'requeueAfterSeconds', 'template'].includes(k));
  throw new DriftlessError(
    'INVALID_MANIFEST',
    `${at}: set github or gitlab${others.length > 0 ? ` (${others.join(', ')} is not supported)` : ''}`,
  );
}

function stringList(value: unknown, at: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}: must be a list of strings`);
  }
  return value;
}

function readFilters(value: unknown, at: string): Filter[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DriftlessError('INVALID_MANIFEST', `${at}: must be a list`);
  return value.map((filter, i) => {
    if (!isPlainObject(filter))
      throw new DriftlessError('INVALID_MANIFEST', `${at}[${i}]: must be an object`);
    const out: { -readonly [K in keyof Filter]: Filter[K] } = {};
    for (const key of ['branchMatch', 'targetBranchMatch', 'titleMatch'] as const) {
      const pattern = filter[key];
      if (pattern === undefined || pattern === null) continue;
      if (typeof pattern !== 'string')
        throw new DriftlessError('INVALID_MANIFEST', `${at}[${i}].${key}: must be a string`);
      try {
        out[key] = new RegExp(pattern, 'u');
      } catch (e) {
        throw new DriftlessError(
          'INVALID_MANIFEST',
          `${at}[${i}].${key}: bad regular expression ${JSON.stringify(pattern)}`,
          {
            cause: e,
          },
        );
      }
    }
    return out;
  });
}

function matches(filter: Filter, pull: PullRequest): boolean {
  if (filter.branchMatch && !filter.branchMatch.test(pull.branch)) return false;
  if (filter.targetBranchMatch && !filter.targetBranchMatch.test(pull.targetBranch)) return false;
  if (filter.titleMatch && !filter.titleMatch.test(pull.title)) return false;
  return true;
}

function pullParams(pull: PullRequest, goTemplate: boolean): ParamSet {
  const params: Record<string, unknown> = {
    number: String(pull.number),
    title: pull.title,
    branch: pull.branch,
    branch_slug: branchSlug(pull.branch),
    target_branch: pull.targetBranch,
    target_branch_slug: branchSlug(pull.targetBranch),
    head_sha: pull.headSha,
    head_short_sha: pull.headSha.slice(0, 8),
    head_short_sha_7: pull.headSha.slice(0, 7),
    author: pull.author,
  };
  if (goTemplate) params.labels = [...pull.labels];
  return params;
}
