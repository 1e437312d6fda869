import { describe, expect, it } from 'vitest';
import { authHeaders, findCredential } from '../../../shared/git/index.js';
import type { RepositoryCredential } from '../../../shared/model/argo-types.js';

const creds: readonly RepositoryCredential[] = [
  { type: 'repo-creds', name: 'github-all', url: 'https://github.com/', password: 'a', username: 'x' },
  { type: 'repo-creds', name: 'github-org', url: 'https://github.com/org', password: 'b', username: 'x' },
  { type: 'repo-creds', name: 'github-org-team', url: 'https://github.com/org/team', bearerToken: 't' },
  {
    type: 'repository',
    name: 'exact',
    url: 'https://github.com/org/special.git',
    password: 'c',
    username: 'x',
  },
  { type: 'repo-creds', name: 'ssh', url: 'git@gitlab.com:group', password: 'd' },
];

describe('findCredential', () => {
  it.each([
    ['https://github.com/org/special', 'exact'],
    ['HTTPS://github.com/org/special.git', 'exact'],
    ['https://github.com/org/team-repo', 'github-org-team'],
    ['https://github.com/org/app', 'github-org'],
    ['https://github.com/other/app', 'github-all'],
    ['git@gitlab.com:group/app.git', 'ssh'],
    ['http://github.com/org/app', undefined],
    ['https://gitlab.com/group/app', undefined],
  ])('%s → %s', (url, expected) => {
    expect(findCredential(creds, url)?.name).toBe(expected);
  });

  it('longest prefix wins whatever the order of the secrets', () => {
    expect(findCredential([...creds].reverse(), 'https://github.com/org/app')?.name).toBe('github-org');
  });
});

describe('authHeaders', () => {
  it('basic auth from username and password, bearer from a token', () => {
    expect(authHeaders({ type: 'repository', name: 'n', url: 'u', username: 'me', password: 'pw' })).toEqual({
      Authorization: `Basic ${Buffer.from('me:pw').toString('base64')}`,
    });
    expect(authHeaders({ type: 'repository', name: 'n', url: 'u', bearerToken: 'tok' })).toEqual({
      Authorization: 'Bearer tok',
    });
    expect(authHeaders({ type: 'repository', name: 'n', url: 'u' })).toEqual({});
    expect(authHeaders(undefined)).toEqual({});
  });
});
