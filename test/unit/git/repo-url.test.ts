import { describe, expect, it } from 'vitest';
import {
  isCommitSHA,
  isTruncatedSHA,
  normalizeGitURL,
  repoKey,
  sameGitURL,
  sameRepoURL,
  sanitizeURL,
} from '../../../shared/git/index.js';

describe('repoKey / sameRepoURL: one repository, however it is spelled', () => {
  const canonical = 'https://github.com/argoproj/argocd-example-apps';
  it.each([
    'https://github.com/argoproj/argocd-example-apps',
    'https://github.com/argoproj/argocd-example-apps.git',
    'https://github.com/argoproj/argocd-example-apps/',
    'https://github.com/argoproj/argocd-example-apps.git/',
    'HTTPS://GitHub.com/ArgoProj/ArgoCD-Example-Apps',
    'http://github.com/argoproj/argocd-example-apps',
    'https://user:secret@github.com/argoproj/argocd-example-apps',
    'https://github.com:443/argoproj/argocd-example-apps',
    'git@github.com:argoproj/argocd-example-apps.git',
    'git@github.com:argoproj/argocd-example-apps',
    'ssh://git@github.com/argoproj/argocd-example-apps.git',
    'ssh://git@github.com:22/argoproj/argocd-example-apps',
    '  https://github.com/argoproj/argocd-example-apps  ',
  ])('%s is the same repository', (url) => {
    expect(repoKey(url)).toBe('github.com/argoproj/argocd-example-apps');
    expect(sameRepoURL(url, canonical)).toBe(true);
  });

  it.each([
    ['https://github.com/argoproj/argocd-example-apps-2', 'another repository with a common prefix'],
    ['https://gitlab.com/argoproj/argocd-example-apps', 'another host'],
    ['https://github.com/argoproj', 'a parent path'],
    ['git@github.com:other/argocd-example-apps', 'another organisation'],
  ])('%s is not the same (%s)', (url) => {
    expect(sameRepoURL(url, canonical)).toBe(false);
  });

  it('never equates empty URLs', () => {
    expect(sameRepoURL('', '')).toBe(false);
  });
});

describe("normalizeGitURL / sameGitURL: Argo CD's credential-matching form", () => {
  it.each([
    ['https://GitHub.com/Org/Repo.git', 'https://github.com/org/repo'],
    ['git@github.com:org/repo.git', 'git@github.com/org/repo'],
    ['ssh://git@github.com/org/repo', 'git@github.com/org/repo'],
    [' https://github.com/org/repo ', 'https://github.com/org/repo'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeGitURL(input)).toBe(expected);
  });

  it('keeps the scheme, so https credentials never match an http URL', () => {
    expect(sameGitURL('https://github.com/org/repo.git', 'HTTPS://github.com/org/repo')).toBe(true);
    expect(sameGitURL('https://github.com/org/repo', 'http://github.com/org/repo')).toBe(false);
  });
});

describe('sanitizeURL', () => {
  it.each([
    ['https://user:token@github.com/org/repo', 'https://github.com/org/repo'],
    ['https://token@github.com/org/repo', 'https://github.com/org/repo'],
    ['https://github.com/org/repo', 'https://github.com/org/repo'],
    ['git@github.com:org/repo', 'git@github.com:org/repo'],
  ])('%s → %s', (input, expected) => {
    expect(sanitizeURL(input)).toBe(expected);
  });
});

describe('SHA shapes', () => {
  it.each([
    ['0123456789abcdef0123456789abcdef01234567', true, false],
    ['0123456789ABCDEF0123456789ABCDEF01234567', true, false],
    ['0123456', false, true],
    ['012345', false, false],
    ['main', false, false],
    ['deadbeefcafe', false, true],
  ])('%s: full %s, abbreviated %s', (revision, full, abbreviated) => {
    expect(isCommitSHA(revision)).toBe(full);
    expect(isTruncatedSHA(revision)).toBe(abbreviated);
  });
});
