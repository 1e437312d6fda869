/**
 * A GitLab pull request generator may name its project by numeric id: the merge requests a
 * Merge Request Hook announces must reach it as well as a generator naming the project path.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApplications } from '../../../shared/appset/index.js';
import type { ApplicationSet } from '../../../shared/model/index.js';
import {
  applyPullRequestEvent,
  gitlabProjectIdOf,
  MemoryPullRequestStore,
  type PullRequestEventWithId,
  pullRequestRepositoriesOf,
  repositoriesOfEvent,
} from '../../../shared/preview/index.js';
import { type PullRequestEvent, parseGitLabEvent } from '../../../shared/webhook/index.js';

const payload = JSON.parse(
  readFileSync(new URL('../../fixtures/webhook/gitlab-merge-request.json', import.meta.url), 'utf8'),
) as Record<string, unknown> & { object_attributes: Record<string, unknown> };

/** The fixture's merge request, parsed by the real webhook parser (which reads project.id). */
function eventOf(action: string, withId = true): PullRequestEventWithId {
  const raw = { ...payload, object_attributes: { ...payload.object_attributes, action } };
  const event = parseGitLabEvent('Merge Request Hook', raw as never) as PullRequestEvent;
  expect(event.kind).toBe('pull-request');
  if (withId) return event;
  const { projectId: _dropped, ...repo } = event.repo;
  return { ...event, repo };
}

function previews(project: string | number): ApplicationSet {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'previews', namespace: 'argocd' },
    spec: {
      goTemplate: true,
      generators: [{ pullRequest: { gitlab: { project } } }],
      template: {
        metadata: { name: 'preview-{{.number}}' },
        spec: {
          project: 'default',
          source: {
            repoURL: 'http://example.com/gitlabhq/gitlab-test.git',
            targetRevision: '{{.branch}}',
            path: '.',
          },
          destination: { server: 'https://kubernetes.default.svc', namespace: 'preview-{{.number}}' },
        },
      },
    },
  };
}

async function generatedOf(appSet: ApplicationSet, store: MemoryPullRequestStore) {
  const result = await generateApplications({ appSet, sources: { pullRequests: store } });
  if (result.kind === 'error') throw result.error;
  return result.applications.map((a) => [a.metadata.name, a.spec.source?.targetRevision]);
}

describe('GitLab merge requests by project id', () => {
  it('reads project.id from the Merge Request Hook and keys the event by path and by id', () => {
    expect(gitlabProjectIdOf(payload)).toBe('1');
    expect(eventOf('open').repo.projectId).toBe('1');
    expect(repositoriesOfEvent(eventOf('open'))).toEqual([
      { provider: 'gitlab', repository: 'gitlabhq/gitlab-test' },
      { provider: 'gitlab', repository: '1' },
    ]);
    expect(repositoriesOfEvent(eventOf('open', false))).toEqual([
      { provider: 'gitlab', repository: 'gitlabhq/gitlab-test' },
    ]);
    expect(gitlabProjectIdOf({ project: { id: 'gitlabhq' } })).toBeUndefined();
  });

  it.each([['1'], [1], ['gitlabhq/gitlab-test']])(
    'generates the preview for a generator naming project %j, and drops it when the MR closes',
    async (project) => {
      const store = new MemoryPullRequestStore();
      expect(await applyPullRequestEvent({ store, event: eventOf('open'), at: new Date(1000) })).toBe(
        'recorded',
      );
      const appSet = previews(project);
      expect(await generatedOf(appSet, store)).toEqual([['preview-1', 'ms-viewport']]);
      expect(await applyPullRequestEvent({ store, event: eventOf('close'), at: new Date(2000) })).toBe(
        'closed',
      );
      expect(await generatedOf(appSet, store)).toEqual([]);
    },
  );

  it('routes an ApplicationSet naming the numeric id to the event', () => {
    const keys = repositoriesOfEvent(eventOf('update')).map((r) => r.repository);
    expect(pullRequestRepositoriesOf(previews(1)).map((r) => r.repository)).toEqual(['1']);
    expect(keys).toContain('1');
  });
});
