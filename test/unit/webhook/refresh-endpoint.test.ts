import { describe, expect, it } from 'vitest';
import { handleWebhook, type WebhookConfig, type WebhookRequest } from '../../../shared/webhook/index.js';
import { app, bytes, NOW, REFRESH_TOKEN } from './webhook-fixtures.js';

const apps = [
  app({ name: 'web', repoURL: 'https://git.example.com/platform/config.git', path: 'apps/web', paths: '.' }),
  app({ name: 'api', repoURL: 'https://git.example.com/platform/config.git', path: 'apps/api', paths: '.' }),
  app({ name: 'api-release', repoURL: 'https://git.example.com/platform/config', targetRevision: 'release' }),
];
const config: WebhookConfig = {
  secrets: { refreshToken: REFRESH_TOKEN },
  apps,
  defaultBranchOf: (repoURL) => (repoURL.includes('platform/config') ? 'main' : undefined),
};

function refresh(body: unknown, authorization: string | null = `Bearer ${REFRESH_TOKEN}`): WebhookRequest {
  return {
    method: 'POST',
    path: '/api/v1/refresh',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    rawBody: bytes(body),
    now: NOW,
  };
}

describe('POST /api/v1/refresh', () => {
  it('refreshes the apps a push of the given files would, on the default branch when no revision is given', () => {
    const decision = handleWebhook(
      refresh({ repoURL: 'git@git.example.com:platform/config.git', paths: ['apps/api/deployment.yaml'] }),
      config,
    );
    expect(decision.status).toBe(202);
    expect(decision.provider).toBe('refresh');
    expect(decision.refresh).toEqual([
      {
        app: 'api',
        revision: 'main',
        reason: 'refresh request for https://git.example.com/platform/config at main',
      },
    ]);
  });

  it('takes a branch or a full ref as the revision', () => {
    const short = handleWebhook(
      refresh({ repoURL: 'https://git.example.com/platform/config', revision: 'release' }),
      config,
    );
    expect(short.refresh.map((target) => target.app)).toEqual(['api-release']);
    const full = handleWebhook(
      refresh({ repoURL: 'https://git.example.com/platform/config', revision: 'refs/heads/main' }),
      config,
    );
    expect(full.refresh.map((target) => target.app)).toEqual(['web', 'api']);
  });

  it('refreshes one app by name, and 404s an unknown one', () => {
    const named = handleWebhook(refresh({ app: 'web' }), config);
    expect(named.status).toBe(202);
    expect(named.refresh).toEqual([{ app: 'web', revision: 'HEAD', reason: 'refresh request for app web' }]);
    expect(handleWebhook(refresh({ app: 'argocd/web' }), config).refresh.map((target) => target.app)).toEqual(
      ['web'],
    );
    const unknown = handleWebhook(refresh({ app: 'nope' }), config);
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe('refresh request: no Application named "nope"');
  });

  it('400s bodies that say neither or both, or name no repository', () => {
    expect(handleWebhook(refresh({}), config).body.message).toBe(
      'refresh request: repoURL: is required (or "app" to refresh one Application)',
    );
    expect(handleWebhook(refresh({ app: 'web', repoURL: 'https://x/y' }), config).status).toBe(400);
    expect(handleWebhook(refresh({ repoURL: 'not a url' }), config).body.message).toBe(
      'refresh request: repoURL: is not a git repository URL',
    );
    expect(
      handleWebhook(refresh({ repoURL: 'https://git.example.com/a', paths: 'x' }), config).body.message,
    ).toBe('refresh request: paths: must be an array, not string');
    expect(handleWebhook(refresh('[1]'), config).body.message).toBe('body must be a JSON object');
  });

  it('refuses a missing or wrong bearer token, and refuses everything when no token is configured', () => {
    expect(handleWebhook(refresh({ app: 'web' }, null), config).status).toBe(401);
    expect(handleWebhook(refresh({ app: 'web' }, 'Bearer wrong'), config).status).toBe(401);
    expect(handleWebhook(refresh({ app: 'web' }, `Basic ${REFRESH_TOKEN}`), config).status).toBe(401);
    expect(handleWebhook(refresh({ app: 'web' }, `bearer ${REFRESH_TOKEN}`), config).status).toBe(202);
    const unconfigured = handleWebhook(refresh({ app: 'web' }), { apps, secrets: {} });
    expect(unconfigured.status).toBe(401);
    expect(unconfigured.body.message).toMatch(/webhook\.refresh\.token is not set/);
  });
});
