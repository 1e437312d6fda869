/**
 * A `pull-request` webhook event as the store records it. GitHub's repository is `owner/repo`
 * (the payload's full name); GitLab's is the project path with its namespace. A generator's
 * `gitlab.project` may name the project by path or, as Argo CD allows, by numeric id, so a GitLab
 * event that carries the project id (`project.id` of the Merge Request Hook) is recorded under
 * both keys: whichever form an ApplicationSet uses finds the same merge requests.
 */
import type { PullRequest, PullRequestRepository } from '../appset/index.js';
import type { PullRequestEvent } from '../webhook/index.js';
import type { PullRequestStore } from './pull-request-store.js';

export type PullRequestChange = 'recorded' | 'closed' | 'stale' | 'ignored';

/**
 * GitLab's project id as the webhook parser carries it on the repository (`project.id`);
 * optional because GitHub has none and older parsed events lack it.
 */
export type PullRequestEventWithId = PullRequestEvent & {
  readonly repo: { readonly projectId?: string | number };
};

export function repositoryOfEvent(event: PullRequestEvent): PullRequestRepository {
  const path = event.repo.fullName ?? pathOf(event.repo.webURL);
  return { provider: event.provider, repository: path };
}

/**
 * Every key the event's repository is known by: its path first, then (GitLab) its numeric
 * project id, so routing and recording can match a generator that names either.
 */
export function repositoriesOfEvent(event: PullRequestEventWithId): readonly PullRequestRepository[] {
  const byPath = repositoryOfEvent(event);
  const id = event.provider === 'gitlab' ? projectIdOf(event.repo.projectId) : undefined;
  return id === undefined || id === byPath.repository
    ? [byPath]
    : [byPath, { provider: 'gitlab', repository: id }];
}

/** GitLab's `project.id` from a raw Merge Request Hook payload, as a decimal string. */
export function gitlabProjectIdOf(payload: unknown): string | undefined {
  const project = (payload as { project?: { id?: unknown } } | null)?.project;
  return projectIdOf(project?.id);
}

function projectIdOf(id: unknown): string | undefined {
  if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) return String(id);
  if (typeof id === 'string' && /^[1-9][0-9]*$/.test(id)) return id;
  return undefined;
}

function pathOf(webURL: string): string {
  try {
    return new URL(webURL).pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  } catch {
    return webURL;
  }
}

export function pullOfEvent(event: PullRequestEvent): PullRequest {
  return {
    number: event.number,
    title: event.title,
    branch: event.head.ref,
    targetBranch: event.base.ref,
    headSha: event.head.sha,
    author: event.author,
    labels: [...event.labels],
  };
}

/** Records the event; `ignored` for actions that change nothing a generator reads. */
/**
 * Records the event under every key of its repository; `ignored` for actions that change nothing
 * a generator reads. The change reported is the path key's: the id key mirrors it.
 */
export async function applyPullRequestEvent(options: {
  readonly store: PullRequestStore;
  readonly event: PullRequestEventWithId;
  readonly at: Date;
}): Promise<PullRequestChange> {
  const { store, event, at } = options;
  const changes: PullRequestChange[] = [];
  for (const repository of repositoriesOfEvent(event)) {
    changes.push(await applyTo(store, repository, event, at));
  }
  return changes[0] ?? 'ignored';
}

async function applyTo(
  store: PullRequestStore,
  repository: PullRequestRepository,
  event: PullRequestEvent,
  at: Date,
): Promise<PullRequestChange> {
  switch (event.action) {
    case 'opened':
    case 'reopened':
    case 'synchronize':
    case 'labeled':
    case 'unlabeled':
    case 'edited':
      return store.record({ repository, pull: pullOfEvent(event), at });
    case 'closed':
    case 'merged':
      return store.close({ repository, number: event.number, at });
    case 'other':
      return 'ignored';
  }
}
