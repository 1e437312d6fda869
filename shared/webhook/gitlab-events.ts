/**
 * GitLab payloads (https://docs.gitlab.com/user/project/integrations/webhook_events/) into
 * RepoEvents. The event comes from `X-Gitlab-Event`; for `System Hook` deliveries, which Argo CD
 * also accepts, the payload's `object_kind` says what happened.
 */
import { type JsonObject, PayloadFields } from './payload-fields.js';
import { gitRef, unionOfChangedFiles } from './push-fields.js';
import type { CommitSummary, PullRequestAction, RepoEvent, RepoRef } from './webhook-types.js';

export const GITLAB_EVENTS = ['Push Hook', 'Tag Push Hook', 'Merge Request Hook', 'System Hook'] as const;
export type GitLabEventName = (typeof GITLAB_EVENTS)[number];

const ZERO_SHA = /^0+$/;

export function isGitLabEvent(name: string): name is GitLabEventName {
  return (GITLAB_EVENTS as readonly string[]).includes(name);
}

/** The RepoEvent of a payload, or undefined for a system hook about something else. */
export function parseGitLabEvent(name: GitLabEventName, payload: JsonObject): RepoEvent | undefined {
  const kind = name === 'System Hook' ? payload.object_kind : undefined;
  if (name === 'Push Hook' || name === 'Tag Push Hook' || kind === 'push' || kind === 'tag_push') {
    return gitlabPush(new PayloadFields(`gitlab ${name} payload`, payload));
  }
  if (name === 'Merge Request Hook' || kind === 'merge_request') {
    return gitlabMergeRequest(new PayloadFields(`gitlab ${name} payload`, payload));
  }
  return undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function gitlabProject(fields: PayloadFields): RepoRef {
  const cloneURLs = [
    fields.optionalString('project.git_http_url'),
    fields.optionalString('project.git_ssh_url'),
  ].filter((url): url is string => url !== undefined && url !== '');
  return {
    webURL: fields.string('project.web_url'),
    cloneURLs,
    ...optional('defaultBranch', fields.optionalString('project.default_branch')),
    ...optional('fullName', fields.optionalString('project.path_with_namespace')),
    ...optional('projectId', projectIdOf(fields.optionalNumber('project.id'))),
  };
}

function projectIdOf(id: number | undefined): string | undefined {
  return id !== undefined && Number.isSafeInteger(id) && id > 0 ? String(id) : undefined;
}

function gitlabPush(fields: PayloadFields): RepoEvent {
  const before = fields.string('before');
  const after = fields.string('after');
  const commits = fields.objects('commits');
  const total = fields.optionalNumber('total_commits_count');
  // GitLab lists at most 20 commits; files of the others are unknown, so claim none rather than some.
  const complete = total === undefined || total <= commits.length;
  const head = commits.findIndex((commit) => commit.id === after);
  let headCommit: CommitSummary | undefined;
  if (head >= 0) {
    const commit = fields.child(`commits[${head}]`, commits[head] as JsonObject);
    headCommit = {
      id: after,
      message: commit.optionalString('message') ?? '',
      ...optional('author', commit.optionalString('author.name')),
      ...optional('timestamp', commit.optionalString('timestamp')),
    };
  }
  return {
    kind: 'push',
    provider: 'gitlab',
    repo: gitlabProject(fields),
    ref: gitRef(fields.string('ref')),
    before,
    after,
    created: ZERO_SHA.test(before),
    deleted: ZERO_SHA.test(after),
    changedFiles: complete ? unionOfChangedFiles(fields, 'commits', commits) : [],
    ...optional('headCommit', headCommit),
    ...optional('pusher', fields.optionalString('user_username') ?? fields.optionalString('user_name')),
  };
}

function gitlabMergeRequest(fields: PayloadFields): RepoEvent {
  const providerAction = fields.optionalString('object_attributes.action') ?? '';
  const labels = fields
    .objects('labels')
    .map((label, index) => fields.child(`labels[${index}]`, label).string('title'));
  return {
    kind: 'pull-request',
    provider: 'gitlab',
    repo: gitlabProject(fields),
    action: gitlabMergeRequestAction(providerAction, fields.at('object_attributes.oldrev') !== undefined),
    providerAction,
    number: fields.number('object_attributes.iid'),
    title: fields.optionalString('object_attributes.title') ?? '',
    author: fields.optionalString('user.username') ?? '',
    head: {
      ref: fields.string('object_attributes.source_branch'),
      sha: fields.string('object_attributes.last_commit.id'),
    },
    base: { ref: fields.string('object_attributes.target_branch') },
    labels,
  };
}

/** `update` with `oldrev` means new commits on the source branch: GitHub's `synchronize`. */
function gitlabMergeRequestAction(action: string, hasOldRevision: boolean): PullRequestAction {
  switch (action) {
    case 'open':
      return 'opened';
    case 'reopen':
      return 'reopened';
    case 'update':
      return hasOldRevision ? 'synchronize' : 'edited';
    case 'close':
      return 'closed';
    case 'merge':
      return 'merged';
    default:
      return 'other';
  }
}
