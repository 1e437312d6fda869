import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { createGitSource } from '../../../shared/git/index.js';
import type { RepositoryCredential } from '../../../shared/model/argo-types.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';

const PASSWORD = 's3cret-password';
const TOKEN = 'bearer-token-value';

let basic: GitServer;
let bearer: GitServer;
let cacheRoot: string;
let caches = 0;
const head: Record<string, string> = {};

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

function source(credentials: readonly RepositoryCredential[]) {
  return createGitSource({ cacheDir: join(cacheRoot, String(++caches)), credentials });
}

beforeAll(async () => {
  cacheRoot = await mkdtemp(join(tmpdir(), 'driftless-git-auth-'));
  basic = await startGitServer({ auth: { username: 'deploy', password: PASSWORD } });
  bearer = await startGitServer({ auth: { bearerToken: TOKEN } });
  head.team = await basic.createRepo('team/app', { files: { 'app.yaml': 'team: true\n' } });
  head.bearer = await bearer.createRepo('app', { files: { 'app.yaml': 'bearer: true\n' } });
});

afterAll(async () => {
  await basic.stop();
  await bearer.stop();
  await rm(cacheRoot, { recursive: true, force: true });
});

describe('credentials over HTTP', () => {
  it('without credentials: GIT_AUTH naming the URL and saying none were sent', async () => {
    const e = await caught(source([]).resolve(basic.url('team/app'), 'main'));
    expect(isDriftlessError(e, 'GIT_AUTH')).toBe(true);
    expect((e as Error).message).toContain(basic.url('team/app'));
    expect((e as Error).message).toContain('no credentials were sent');
    expect((e as { retryable: boolean }).retryable).toBe(false);
  });

  it('with wrong credentials: GIT_AUTH naming the secret, never its value', async () => {
    const e = await caught(
      source([
        {
          type: 'repository',
          name: 'team-app',
          url: basic.url('team/app'),
          username: 'deploy',
          password: 'wrong',
        },
      ]).open(basic.url('team/app'), head.team!),
    );
    expect(isDriftlessError(e, 'GIT_AUTH')).toBe(true);
    expect((e as Error).message).toContain('secret "team-app" were refused');
    expect((e as Error).message).not.toContain('wrong');
  });

  it('an exact repository secret authenticates resolve and fetch', async () => {
    const src = source([
      {
        type: 'repository',
        name: 'team-app',
        url: `${basic.url('team/app')}`,
        username: 'deploy',
        password: PASSWORD,
      },
    ]);
    const commit = await src.resolve(basic.url('team/app'), 'HEAD');
    expect(commit).toBe(head.team);
    const tree = await src.open(basic.url('team/app'), commit);
    expect(new TextDecoder().decode(await tree.readFile('app.yaml'))).toBe('team: true\n');
  });

  it('the longest repo-creds prefix wins, whatever the order', async () => {
    const wide: RepositoryCredential = {
      type: 'repo-creds',
      name: 'everything',
      url: `${basic.baseURL}/`,
      username: 'deploy',
      password: 'outdated',
    };
    const narrow: RepositoryCredential = {
      type: 'repo-creds',
      name: 'team',
      url: `${basic.baseURL}/team`,
      username: 'deploy',
      password: PASSWORD,
    };
    expect(await source([wide, narrow]).resolve(basic.url('team/app'), 'main')).toBe(head.team);
    expect(await source([narrow, wide]).resolve(basic.url('team/app'), 'main')).toBe(head.team);
    const onlyWide = await caught(source([wide]).resolve(basic.url('team/app'), 'main'));
    expect(isDriftlessError(onlyWide, 'GIT_AUTH')).toBe(true);
    expect((onlyWide as Error).message).toContain('secret "everything"');
  });

  it('a repository secret beats a matching repo-creds prefix', async () => {
    const e = await caught(
      source([
        {
          type: 'repo-creds',
          name: 'team',
          url: `${basic.baseURL}/team`,
          username: 'deploy',
          password: PASSWORD,
        },
        {
          type: 'repository',
          name: 'pinned',
          url: basic.url('team/app'),
          username: 'deploy',
          password: 'stale',
        },
      ]).resolve(basic.url('team/app'), 'main'),
    );
    expect(isDriftlessError(e, 'GIT_AUTH')).toBe(true);
    expect((e as Error).message).toContain('secret "pinned"');
  });

  it('a bearer token authenticates', async () => {
    const src = source([{ type: 'repository', name: 'tok', url: bearer.url('app'), bearerToken: TOKEN }]);
    const tree = await src.open(bearer.url('app'), await src.resolve(bearer.url('app'), 'main'));
    expect(new TextDecoder().decode(await tree.readFile('app.yaml'))).toBe('bearer: true\n');
    const refused = await caught(
      source([{ type: 'repository', name: 'tok', url: bearer.url('app'), bearerToken: 'nope' }]).resolve(
        bearer.url('app'),
        'main',
      ),
    );
    expect(isDriftlessError(refused, 'GIT_AUTH')).toBe(true);
    expect((refused as Error).message).not.toContain('nope');
  });

  it('credentials embedded in the URL never appear in messages', async () => {
    const withUserInfo = basic.url('team/missing').replace('://', `://deploy:${PASSWORD}@`);
    const e = await caught(source([]).resolve(withUserInfo, 'main'));
    expect(isDriftlessError(e)).toBe(true);
    expect((e as Error).message).toContain(basic.url('team/missing'));
    expect((e as Error).message).not.toContain(PASSWORD);
    expect(JSON.stringify((e as { context: unknown }).context)).not.toContain(PASSWORD);
  });
});
