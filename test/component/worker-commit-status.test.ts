/**
 * The sync-worker's deps composed from the environment post preview commit statuses with the
 * tokens of the Secrets Manager secret DRIFTLESS_COMMIT_STATUS_SECRET_NAME names (a loopback
 * Secrets Manager, a loopback provider API that records what it is sent). With no such variable
 * nothing is read and nothing is posted; a provider without a token in the secret gets nothing.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV, type Environment } from '../../functions/environment.js';
import { createWorkerDeps } from '../../functions/sync-worker/deps.js';
import type { CommitStatus } from '../../shared/preview/index.js';
import { type RecordingServer, startRecordingServer } from '../scenario/appset/appset-harness.js';
import { type SecretsManagerEndpoint, startSecretsManagerEndpoint } from './secrets-manager-endpoint.js';

const SECRET = 'driftless/commit-status';
const SHA = 'a'.repeat(40);

function status(provider: 'github' | 'gitlab'): CommitStatus {
  return {
    repository: { provider, repository: 'acme/gitops' },
    sha: SHA,
    state: 'success',
    context: 'driftless/preview',
    description: 'web-pr-7: sync Succeeded',
  };
}

describe('sync-worker deps: preview commit statuses', () => {
  let api: RecordingServer;
  let secrets: SecretsManagerEndpoint;
  const env: Environment = {
    AWS_REGION: 'us-east-1',
    [ENV.tableName]: 'driftless-state',
    [ENV.intakeQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/1/intake.fifo',
    [ENV.continuationQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/1/continuation',
    [ENV.configRepoUrl]: 'https://git.example.com/config.git',
  };

  beforeAll(async () => {
    api = await startRecordingServer();
    secrets = await startSecretsManagerEndpoint({
      [SECRET]: JSON.stringify({
        'driftless.github.token': 'gh-status-token',
        'driftless.github.url': api.baseURL,
      }),
    });
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secrets.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_REGION', 'us-east-1');
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    await Promise.all([api?.stop(), secrets?.stop()]);
  });

  it('posts a GitHub status with the token from the named secret, read when it reports', async () => {
    const deps = createWorkerDeps({ env: { ...env, [ENV.commitStatusSecretName]: SECRET } });
    expect(secrets.reads).toEqual([]);
    const reporter = deps.platform.runtime.deps.commitStatus;
    await reporter?.report(status('github'));
    expect(secrets.reads).toEqual([SECRET]);
    const posted = api.requests.filter((r) => r.url === `/repos/acme/gitops/statuses/${SHA}`);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.headers.authorization).toBe('Bearer gh-status-token');
    expect(posted[0]?.body).toMatchObject({ state: 'success', context: 'driftless/preview' });

    const before = api.requests.length;
    await reporter?.report(status('gitlab'));
    expect(api.requests.length).toBe(before);
  });

  it('reads no secret and posts nothing when the variable is not set', async () => {
    const reads = secrets.reads.length;
    const before = api.requests.length;
    const deps = createWorkerDeps({ env });
    await deps.platform.runtime.deps.commitStatus?.report(status('github'));
    expect(secrets.reads.length).toBe(reads);
    expect(api.requests.length).toBe(before);
  });
});
