/**
 * A `pull-request` webhook event as the store records it. GitHub's repository is `owner/repo`
 * (the payload's full name); GitLab's is the project path with its namespace, which is what a
 * pull request generator's `gitlab.project` names when it is not a numeric id.
 */
import type { PullRequest, PullRequestRepository } from '../appset/index.js';
import type { PullRequestEvent } from '../webhook/index.js';
import type { PullRequestStore } from './pull-request-store.js';

export type PullRequestChange = 'recorded' | 'closed' | 'stale' | 'ignored';

export function repositoryOfEvent(event: PullRequestEvent): PullRequestRepository {
  const path = event.repo.fullName ?? pathOf(event.repo.webURL);
  return { provider: event.provider, repository: path };
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
export async function applyPullRequestEvent(options: {
  readonly store: PullRequestStore;
  readonly event: PullRequestEvent;
  readonly at: Date;
}): Promise<PullRequestChange> {
  const { store, event, at } = options;
  const repository = repositoryOfEvent(event);
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
