import { describe, expect, it } from 'vitest';
import { handleWebhook, type WebhookConfig } from '../../../shared/webhook/index.js';
import { app, bytes, GITHUB_SECRET, githubExample, githubRequest, NOW } from './webhook-fixtures.js';

// The examples describe https://github.com/Codertocat/Hello-World, default branch master.
const apps = [
  app({ name: 'hello-head', repoURL: 'https://github.com/Codertocat/Hello-World.git' }),
  app({ name: 'hello-ssh', repoURL: 'git@github.com:codertocat/hello-world.git', targetRevision: 'master' }),
  app({
    name: 'hello-deploy-only',
    repoURL: 'https://github.com/Codertocat/Hello-World',
    path: 'deploy',
    paths: '.',
  }),
  app({
    name: 'hello-readme',
    repoURL: 'https://github.com/Codertocat/Hello-World',
    path: 'deploy',
    paths: '/README.md',
  }),
  app({
    name: 'hello-tag',
    repoURL: 'https://github.com/Codertocat/Hello-World',
    targetRevision: 'simple-tag',
  }),
  app({ name: 'other-repo', repoURL: 'https://github.com/Codertocat/Hello-World-2' }),
];
const config: WebhookConfig = { secrets: { github: GITHUB_SECRET }, apps };

const branchPush = githubExample('push', (p) => p.ref === 'refs/heads/master');
const tagCreated = githubExample('push', (p) => p.ref === 'refs/tags/simple-tag' && p.created === true);
const tagDeleted = githubExample('push', (p) => p.ref === 'refs/tags/simple-tag' && p.deleted === true);

function signed(event: string, payload: unknown, delivery?: string) {
  return githubRequest({
    event,
    body: bytes(payload),
    secret: GITHUB_SECRET,
    ...(delivery ? { delivery } : {}),
  });
}

describe('GitHub push', () => {
  it('refreshes the apps tracking the pushed branch of that repository, filtered by manifest-generate-paths', () => {
    const decision = handleWebhook(signed('push', branchPush, 'delivery-1'), config);
    expect(decision.status).toBe(202);
    expect(decision.deliveryId).toBe('delivery-1');
    expect(decision.provider).toBe('github');
    expect(decision.receivedAt).toBe(NOW.toISOString());
    expect(decision.refresh.map((target) => target.app)).toEqual(['hello-head', 'hello-ssh', 'hello-readme']);
    expect(decision.refresh[0]).toEqual({
      app: 'hello-head',
      revision: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      reason: 'github push to refs/heads/master at 6113728f27ae',
    });
    expect(decision.reloadConfig).toBe(false);
  });

  it('normalises the payload: repository URLs, ref, SHAs, flags, changed files and head commit', () => {
    const { event } = handleWebhook(signed('push', branchPush), config);
    expect(event).toMatchObject({
      kind: 'push',
      repo: {
        webURL: 'https://github.com/Codertocat/Hello-World',
        cloneURLs: [
          'https://github.com/Codertocat/Hello-World.git',
          'git@github.com:Codertocat/Hello-World.git',
        ],
        defaultBranch: 'master',
        fullName: 'Codertocat/Hello-World',
      },
      ref: { type: 'branch', name: 'master', full: 'refs/heads/master' },
      before: '0000000000000000000000000000000000000000',
      after: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      created: true,
      deleted: false,
      changedFiles: ['README.md'],
      headCommit: { id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
    });
  });

  it('routes a tag push to the apps pinned to that tag only', () => {
    const decision = handleWebhook(signed('push', tagCreated), config);
    expect(decision.status).toBe(202);
    expect(decision.event).toMatchObject({
      kind: 'push',
      ref: { type: 'tag', name: 'simple-tag' },
      changedFiles: [],
    });
    expect(decision.refresh).toEqual([
      {
        app: 'hello-tag',
        revision: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        reason: 'github push to refs/tags/simple-tag at 6113728f27ae',
      },
    ]);
  });

  it('names the ref, not the zero SHA, when the push deleted it', () => {
    const decision = handleWebhook(signed('push', tagDeleted), config);
    expect(decision.refresh).toEqual([
      { app: 'hello-tag', revision: 'simple-tag', reason: 'github push to refs/tags/simple-tag (deleted)' },
    ]);
  });

  it('gives the same decision when a delivery is replayed, so the store can drop it by id', () => {
    const first = handleWebhook(signed('push', branchPush, 'replayed'), config);
    const again = handleWebhook(signed('push', branchPush, 'replayed'), config);
    expect(again).toEqual(first);
  });
});

describe('GitHub pull_request, create, delete, ping', () => {
  it.each(['opened', 'synchronize', 'closed'])(
    'parses pull_request %s and refreshes no Application',
    (action) => {
      const payload = githubExample('pull_request', (p) => p.action === action);
      const decision = handleWebhook(signed('pull_request', payload), config);
      expect(decision.status).toBe(202);
      expect(decision.refresh).toEqual([]);
      expect(decision.event).toMatchObject({
        kind: 'pull-request',
        provider: 'github',
        action,
        providerAction: action,
        number: 2,
        title: 'Update the README with new information.',
        author: 'Codertocat',
        head: { ref: 'changes', sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' },
        base: { ref: 'master' },
        repo: { webURL: 'https://github.com/Codertocat/Hello-World' },
      });
    },
  );

  it('reads labels and tells a merged close from a plain one', () => {
    const labeled = githubExample('pull_request', (p) => p.action === 'labeled');
    expect(handleWebhook(signed('pull_request', labeled), config).event).toMatchObject({
      action: 'labeled',
      labels: ['bug'],
    });
    const closed = githubExample('pull_request', (p) => p.action === 'closed');
    const merged = { ...closed, pull_request: { ...(closed.pull_request as object), merged: true } };
    expect(handleWebhook(signed('pull_request', merged), config).event).toMatchObject({
      action: 'merged',
      providerAction: 'closed',
    });
  });

  it.each([
    ['create', 'created'],
    ['delete', 'deleted'],
  ] as const)(
    'parses %s of a tag and refreshes nothing (the push for the same ref routes)',
    (event, change) => {
      const decision = handleWebhook(signed(event, githubExample(event)), config);
      expect(decision.status).toBe(202);
      expect(decision.refresh).toEqual([]);
      expect(decision.event).toEqual(
        expect.objectContaining({ kind: 'ref-change', change, refType: 'tag', name: 'simple-tag' }),
      );
    },
  );

  it('answers a signed ping with pong', () => {
    const decision = handleWebhook(signed('ping', githubExample('ping')), config);
    expect(decision.status).toBe(200);
    expect(decision.body.message).toBe('pong');
    expect(decision.event).toMatchObject({ kind: 'ping', hookId: 109948940 });
    expect(decision.refresh).toEqual([]);
  });

  it('ignores events it does not handle, once they are authenticated', () => {
    const decision = handleWebhook(signed('issues', { action: 'opened' }), config);
    expect(decision.status).toBe(202);
    expect(decision.body.message).toMatch(/^github event "issues" ignored/);
    expect(decision.event).toBeUndefined();
  });
});

describe('GitHub authentication', () => {
  const body = bytes(branchPush);

  it('refuses an unsigned push with 401 and routes nothing', () => {
    const decision = handleWebhook(githubRequest({ event: 'push', body }), config);
    expect(decision.status).toBe(401);
    expect(decision.body.message).toBe('missing X-Hub-Signature-256 header');
    expect(decision.refresh).toEqual([]);
    expect(decision.event).toBeUndefined();
  });

  it('refuses a push signed with another secret', () => {
    const decision = handleWebhook(githubRequest({ event: 'push', body, secret: 'not the secret' }), config);
    expect(decision.status).toBe(401);
    expect(decision.body.message).toBe('X-Hub-Signature-256 does not match the body');
    expect(decision.refresh).toEqual([]);
  });

  it('refuses a malformed signature and a SHA-1 signature on its own, as Argo CD does', () => {
    const malformed = handleWebhook(githubRequest({ event: 'push', body, signature: 'sha256=abc' }), config);
    expect(malformed.status).toBe(401);
    const request = githubRequest({ event: 'push', body });
    const sha1Only = handleWebhook(
      {
        ...request,
        headers: { ...request.headers, 'x-hub-signature': 'sha1=0123456789abcdef0123456789abcdef01234567' },
      },
      config,
    );
    expect(sha1Only.status).toBe(401);
    expect(sha1Only.body.message).toMatch(/SHA-1 X-Hub-Signature header is not accepted/);
  });

  it('refuses unsigned pings and unknown events too', () => {
    expect(
      handleWebhook(githubRequest({ event: 'ping', body: bytes(githubExample('ping')) }), config).status,
    ).toBe(401);
    expect(handleWebhook(githubRequest({ event: 'issues', body: bytes({}) }), config).status).toBe(401);
  });

  it('refuses a truncated body under the original signature, and 400s a truncated body that is signed', () => {
    const truncated = body.slice(0, body.byteLength - 10);
    const originalSignature = githubRequest({ event: 'push', body, secret: GITHUB_SECRET }).headers[
      'x-hub-signature-256'
    ] as string;
    const stale = handleWebhook(
      githubRequest({ event: 'push', body: truncated, signature: originalSignature }),
      config,
    );
    expect(stale.status).toBe(401);
    const resigned = handleWebhook(
      githubRequest({ event: 'push', body: truncated, secret: GITHUB_SECRET }),
      config,
    );
    expect(resigned.status).toBe(400);
    expect(resigned.body.message).toMatch(/^body is not valid JSON: /);
    expect(resigned.refresh).toEqual([]);
  });

  it('400s a signed payload whose fields have the wrong type, naming the field', () => {
    const broken = { ...branchPush, repository: { ...(branchPush.repository as object), html_url: 42 } };
    const decision = handleWebhook(signed('push', broken), config);
    expect(decision.status).toBe(400);
    expect(decision.body.message).toBe(
      'github push payload: repository.html_url: must be a string, not number',
    );
  });

  it('refuses hooks when no GitHub secret is configured, unless unsigned hooks are explicitly allowed', () => {
    const unconfigured = handleWebhook(githubRequest({ event: 'push', body }), { apps, secrets: {} });
    expect(unconfigured.status).toBe(401);
    expect(unconfigured.body.message).toMatch(/webhook\.github\.secret is not set in argocd-secret/);
    const allowed = handleWebhook(githubRequest({ event: 'push', body }), {
      apps,
      secrets: {},
      allowUnsigned: true,
    });
    expect(allowed.status).toBe(202);
    expect(allowed.refresh.length).toBe(3);
  });
});

describe('request limits', () => {
  it('answers 413 for a body over the limit before checking anything else', () => {
    const body = bytes(branchPush);
    const decision = handleWebhook(githubRequest({ event: 'push', body, secret: GITHUB_SECRET }), {
      ...config,
      maxPayloadBytes: body.byteLength - 1,
    });
    expect(decision.status).toBe(413);
    expect(decision.body.message).toBe(
      `body of ${body.byteLength} bytes is over the limit of ${body.byteLength - 1} bytes`,
    );
  });

  it('has a 6 MiB default limit', () => {
    const big = new Uint8Array(6 * 1024 * 1024 + 1);
    expect(handleWebhook(githubRequest({ event: 'push', body: big }), config).status).toBe(413);
    const justUnder = new Uint8Array(6 * 1024 * 1024);
    expect(handleWebhook(githubRequest({ event: 'push', body: justUnder }), config).status).toBe(401);
  });

  it('answers 404 off the webhook paths, 405 for other methods, 401 for senders of no known provider', () => {
    const request = githubRequest({ event: 'push', body: bytes(branchPush), secret: GITHUB_SECRET });
    expect(handleWebhook({ ...request, path: '/api/hooks' }, config).status).toBe(404);
    expect(handleWebhook({ ...request, path: '/api/webhook/?x=1' }, config).status).toBe(202);
    expect(handleWebhook({ ...request, method: 'GET' }, config).status).toBe(405);
    const anonymous = handleWebhook({ ...request, headers: { 'content-type': 'application/json' } }, config);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message).toMatch(/no X-GitHub-Event or X-Gitlab-Event header/);
  });
});
