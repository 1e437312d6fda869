import { describe, expect, it } from 'vitest';
import { cacheDirName, cacheIdentity } from '../../../shared/git/index.js';

describe('cacheIdentity: one cache directory per repository endpoint', () => {
  it.each([
    ['https://github.com/org/repo.git', 'https://github.com/org/repo'],
    ['https://user:token@GitHub.com:443/org/repo/', 'https://github.com/org/repo'],
    ['http://127.0.0.1:41234/config.git', 'http://127.0.0.1:41234/config'],
    ['http://127.0.0.1:80/config', 'http://127.0.0.1/config'],
    ['git@github.com:org/repo.git', 'ssh://github.com/org/repo'],
    ['ssh://git@github.com:2222/org/repo', 'ssh://github.com:2222/org/repo'],
    ['https://git.example.com:8443', 'https://git.example.com:8443'],
  ])('%s is cached as %s', (url, identity) => {
    expect(cacheIdentity(url)).toBe(identity);
  });

  it('separates ports and schemes that repoKey treats as one repository', () => {
    const names = new Set(
      [
        'http://127.0.0.1:41001/config.git',
        'http://127.0.0.1:41002/config.git',
        'https://127.0.0.1:41001/config.git',
      ].map(cacheDirName),
    );
    expect(names.size).toBe(3);
  });

  it('keeps every spelling of one endpoint together, as 32 hex digits', () => {
    const name = cacheDirName('https://github.com/org/repo');
    expect(name).toMatch(/^[0-9a-f]{32}$/);
    expect(cacheDirName('HTTPS://token@github.com:443/Org/Repo.git/')).toBe(name);
  });
});
