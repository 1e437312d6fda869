import { describe, expect, it } from 'vitest';
import { repoKey } from '../../../shared/state/index.js';

describe('repoKey', () => {
  it.each([
    ['https://github.com/argoproj/argocd-example-apps.git', 'github.com/argoproj/argocd-example-apps'],
    ['https://GitHub.com/ArgoProj/ArgoCD-Example-Apps/', 'github.com/argoproj/argocd-example-apps'],
    ['git@github.com:argoproj/argocd-example-apps.git', 'github.com/argoproj/argocd-example-apps'],
    ['ssh://git@github.com/argoproj/argocd-example-apps', 'github.com/argoproj/argocd-example-apps'],
    ['ssh://git@gitlab.example.com:2222/group/sub/project.git', 'gitlab.example.com/group/sub/project'],
    ['https://user@gitlab.example.com:8443/group/sub/project', 'gitlab.example.com/group/sub/project'],
    ['http://127.0.0.1:4000/repo.git', '127.0.0.1/repo'],
  ])('reduces %s to %s', (url, key) => {
    expect(repoKey(url)).toBe(key);
  });

  it('keeps different repositories apart', () => {
    expect(repoKey('https://github.com/org/app')).not.toBe(repoKey('https://github.com/org/app-config'));
    expect(repoKey('https://github.com/org/app')).not.toBe(repoKey('https://gitlab.com/org/app'));
  });
});
