/**
 * GitHub payloads (https://docs.github.com/en/webhooks/webhook-events-and-payloads) into RepoEvents.
 * The event name comes from `X-GitHub-Event`; events Driftless does not act on are not parsed.
 */
import { type JsonObject, PayloadFields } from './payload-fields.js';
import { gitRef, unionOfChangedFiles } from './push-fields.js';
import type { PullRequestAction, RepoEvent, RepoRef } from './webhook-types.js';

export const GITHUB_EVENTS = ['push', 'pull_request', 'create', 'delete', 'ping'] as const;
export type GitHubEventName = (typeof GITHUB_EVENTS)[number];

export function isGitHubEvent(name: string): name is GitHubEventName {
  return (GITHUB_EVENTS as readonly string[]).includes(name);
}

export function parseGitHubEvent(name: GitHubEventName, payload: JsonObject): RepoEvent {
  const fields = new PayloadFields(`github ${name} payload`, payload);
  switch (name) {
    case 'push':
      return githubPush(fields);
    case 'pull_request':
      return githubPullRequest(fields);
    case 'create':
    case 'delete':
      return githubRefChange(fields, name === 'create' ? 'created' : 'deleted');
    case 'ping':
      return {
        kind: 'ping',
        provider: 'github',
        ...(fields.at('repository') === undefined ? {} : { repo: githubRepo(fields) }),
        ...optional('hookId', fields.optionalNumber('hook_id')),
        ...optional('zen', fields.optionalString('zen')),
      };
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function githubRepo(fields: PayloadFields): RepoRef {
  const webURL = fields.string('repository.html_url');
  const cloneURLs = [
    fields.optionalString('repository.clone_url'),
    fields.optionalString('repository.ssh_url'),
  ].filter((url): url is string => url !== undefined && url !== '');
  return {
    webURL,
    cloneURLs,
    ...optional('defaultBranch', fields.optionalString('repository.default_branch')),
    ...optional('fullName', fields.optionalString('repository.full_name')),
  };
}

function githubPush(fields: PayloadFields): RepoEvent {
  const commits = fields.objects('commits');
  const headCommit =
    fields.at('head_commit') === undefined
      ? undefined
      : {
          id: fields.string('head_commit.id'),
          message: fields.optionalString('head_commit.message') ?? '',
          ...optional('author', fields.optionalString('head_commit.author.name')),
          ...optional('timestamp', fields.optionalString('head_commit.timestamp')),
        };
  return {
    kind: 'push',
    provider: 'github',
    repo: githubRepo(fields),
    ref: gitRef(fields.string('ref')),
    before: fields.string('before'),
    after: fields.string('after'),
    created: fields.optionalBoolean('created') ?? false,
    deleted: fields.optionalBoolean('deleted') ?? false,
    changedFiles: unionOfChangedFiles(fields, 'commits', commits),
    ...optional('headCommit', headCommit),
    ...optional('pusher', fields.optionalString('pusher.name')),
  };
}

function githubPullRequest(fields: PayloadFields): RepoEvent {
  const providerAction = fields.string('action');
  const merged = fields.optionalBoolean('pull_request.merged') ?? false;
  const labels = fields
    .objects('pull_request.labels')
    .map((label, index) => fields.child(`pull_request.labels[${index}]`, label).string('name'));
  return {
    kind: 'pull-request',
    provider: 'github',
    repo: githubRepo(fields),
    action: githubPullRequestAction(providerAction, merged),
    providerAction,
    number: fields.number('number'),
    title: fields.optionalString('pull_request.title') ?? '',
    author: fields.optionalString('pull_request.user.login') ?? '',
    head: { ref: fields.string('pull_request.head.ref'), sha: fields.string('pull_request.head.sha') },
    base: { ref: fields.string('pull_request.base.ref') },
    labels,
  };
}

function githubPullRequestAction(action: string, merged: boolean): PullRequestAction {
  switch (action) {
    case 'opened':
    case 'reopened':
    case 'synchronize':
    case 'labeled':
    case 'unlabeled':
    case 'edited':
      return action;
    case 'closed':
      return merged ? 'merged' : 'closed';
    default:
      return 'other';
  }
}

function githubRefChange(fields: PayloadFields, change: 'created' | 'deleted'): RepoEvent {
  const refType = fields.string('ref_type');
  if (refType !== 'branch' && refType !== 'tag') {
    fields.fail('ref_type', `must be "branch" or "tag", not ${JSON.stringify(refType)}`);
  }
  return {
    kind: 'ref-change',
    provider: 'github',
    repo: githubRepo(fields),
    change,
    refType,
    name: fields.string('ref'),
  };
}
