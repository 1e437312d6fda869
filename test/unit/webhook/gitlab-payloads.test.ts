// GitLab payloads are test/fixtures/webhook/gitlab-*.json, written from the examples GitLab
// documents at https://docs.gitlab.com/user/project/integrations/webhook_events/ (push, tag and
// merge request events).
import { describe, expect, it } from 'vitest';
import { handleWebhook, type WebhookConfig } from '../../../shared/webhook/index.js';
import { app, bytes, GITLAB_SECRET, gitlabFixture, gitlabRequest } from './webhook-fixtures.js';

const apps = [
  app({ name: 'diaspora', repoURL: 'http://example.com/mike/diaspora.git' }),
  app({ name: 'diaspora-app', repoURL: 'git@example.com:mike/diaspora.git', path: 'app', paths: '.' }),
  app({ name: 'diaspora-docs', repoURL: 'http://example.com/mike/diaspora', path: 'docs', paths: '.' }),
  app({ name: 'example-v1', repoURL: 'http://example.com/jsmith/example.git', targetRevision: 'v1.0.0' }),
  app({ name: 'example-head', repoURL: 'http://example.com/jsmith/example.git' }),
];
const config: WebhookConfig = { secrets: { gitlab: GITLAB_SECRET }, apps };
const push = gitlabFixture('push');
// The documented push lists 2 of its 4 commits; this one says it lists them all.
const completePush = { ...push, total_commits_count: 2 };

function signed(event: string, payload: unknown) {
  return gitlabRequest({ event, body: bytes(payload), token: GITLAB_SECRET });
}

describe('GitLab Push Hook', () => {
  it('routes by changed files when the payload lists every commit', () => {
    const decision = handleWebhook(signed('Push Hook', completePush), config);
    expect(decision.status).toBe(202);
    expect(decision.provider).toBe('gitlab');
    expect(decision.deliveryId).toBe('13792a34-cac6-4fda-95a8-c58e00a3954e');
    expect(decision.event).toMatchObject({
      kind: 'push',
      provider: 'gitlab',
      repo: {
        webURL: 'http://example.com/mike/diaspora',
        cloneURLs: ['http://example.com/mike/diaspora.git', 'git@example.com:mike/diaspora.git'],
        defaultBranch: 'master',
        fullName: 'mike/diaspora',
      },
      ref: { type: 'branch', name: 'master' },
      created: false,
      deleted: false,
      changedFiles: ['CHANGELOG', 'app/controller/application.rb'],
      headCommit: { id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', message: 'fixed readme' },
      pusher: 'jsmith',
    });
    expect(decision.refresh.map((target) => target.app)).toEqual(['diaspora', 'diaspora-app']);
    expect(decision.refresh[0]?.revision).toBe('da1560886d4f094c3e6c9ef40349f7d38b5d27d7');
  });

  it('refreshes every matching app when GitLab truncated the commit list', () => {
    const decision = handleWebhook(signed('Push Hook', push), config);
    expect(decision.event).toMatchObject({ kind: 'push', changedFiles: [] });
    expect(decision.refresh.map((target) => target.app)).toEqual([
      'diaspora',
      'diaspora-app',
      'diaspora-docs',
    ]);
  });

  it('accepts the same push delivered as a system hook', () => {
    const decision = handleWebhook(signed('System Hook', completePush), config);
    expect(decision.refresh.map((target) => target.app)).toEqual(['diaspora', 'diaspora-app']);
    const other = handleWebhook(signed('System Hook', { object_kind: 'project_create' }), config);
    expect(other.status).toBe(202);
    expect(other.refresh).toEqual([]);
  });
});

describe('GitLab Tag Push Hook', () => {
  it('refreshes the apps pinned to the tag, not those on the default branch', () => {
    const decision = handleWebhook(signed('Tag Push Hook', gitlabFixture('tag-push')), config);
    expect(decision.status).toBe(202);
    expect(decision.event).toMatchObject({
      kind: 'push',
      ref: { type: 'tag', name: 'v1.0.0', full: 'refs/tags/v1.0.0' },
      created: true,
      changedFiles: [],
    });
    expect(decision.refresh).toEqual([
      {
        app: 'example-v1',
        revision: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
        reason: 'gitlab push to refs/tags/v1.0.0 at 82b3d5ae55f7',
      },
    ]);
  });
});

describe('GitLab Merge Request Hook', () => {
  const mergeRequest = gitlabFixture('merge-request');
  const attributes = mergeRequest.object_attributes as Record<string, unknown>;

  it('parses the merge request and refreshes no Application', () => {
    const decision = handleWebhook(signed('Merge Request Hook', mergeRequest), config);
    expect(decision.status).toBe(202);
    expect(decision.refresh).toEqual([]);
    expect(decision.event).toEqual({
      kind: 'pull-request',
      provider: 'gitlab',
      repo: {
        webURL: 'http://example.com/gitlabhq/gitlab-test',
        cloneURLs: [
          'http://example.com/gitlabhq/gitlab-test.git',
          'git@example.com:gitlabhq/gitlab-test.git',
        ],
        defaultBranch: 'master',
        fullName: 'gitlabhq/gitlab-test',
        projectId: '1',
      },
      action: 'opened',
      providerAction: 'open',
      number: 1,
      title: 'MS-Viewport',
      author: 'root',
      head: { ref: 'ms-viewport', sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7' },
      base: { ref: 'master' },
      labels: ['API'],
    });
  });

  it.each([
    ['reopen', {}, 'reopened'],
    ['update', { oldrev: '0123456789abcdef0123456789abcdef01234567' }, 'synchronize'],
    ['update', {}, 'edited'],
    ['close', {}, 'closed'],
    ['merge', {}, 'merged'],
    ['approved', {}, 'other'],
  ] as const)('maps action %s %j to %s', (action, extra, expected) => {
    const payload = { ...mergeRequest, object_attributes: { ...attributes, ...extra, action } };
    expect(handleWebhook(signed('Merge Request Hook', payload), config).event).toMatchObject({
      action: expected,
      providerAction: action,
    });
  });

  it('400s a merge request without its source branch, naming the field', () => {
    const { source_branch: _dropped, ...rest } = attributes;
    const decision = handleWebhook(
      signed('Merge Request Hook', { ...mergeRequest, object_attributes: rest }),
      config,
    );
    expect(decision.status).toBe(400);
    expect(decision.body.message).toBe(
      'gitlab Merge Request Hook payload: object_attributes.source_branch: must be a string, not undefined',
    );
  });
});

describe('GitLab token', () => {
  const body = bytes(completePush);

  it('refuses a missing or wrong X-Gitlab-Token with 401 and routes nothing', () => {
    const missing = handleWebhook(gitlabRequest({ event: 'Push Hook', body }), config);
    expect(missing.status).toBe(401);
    expect(missing.body.message).toBe('missing X-Gitlab-Token');
    const wrong = handleWebhook(
      gitlabRequest({ event: 'Push Hook', body, token: `${GITLAB_SECRET}x` }),
      config,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toBe('X-Gitlab-Token does not match');
    expect(wrong.refresh).toEqual([]);
  });

  it('refuses GitLab hooks when only a GitHub secret is configured', () => {
    const decision = handleWebhook(signed('Push Hook', completePush), { apps, secrets: { github: 'x' } });
    expect(decision.status).toBe(401);
    expect(decision.body.message).toMatch(/webhook\.gitlab\.secret is not set/);
  });

  it('ignores other GitLab events once authenticated, and 400s a truncated body', () => {
    const note = handleWebhook(signed('Note Hook', { object_kind: 'note' }), config);
    expect(note.status).toBe(202);
    expect(note.body.message).toMatch(/^gitlab event "Note Hook" ignored/);
    const truncated = handleWebhook(
      gitlabRequest({ event: 'Push Hook', body: body.slice(0, 100), token: GITLAB_SECRET }),
      config,
    );
    expect(truncated.status).toBe(400);
    expect(truncated.body.message).toMatch(/^body is not valid JSON/);
  });
});
