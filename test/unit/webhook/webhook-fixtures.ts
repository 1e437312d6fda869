/**
 * Shared inputs of the webhook tests: GitHub's own example payloads from @octokit/webhooks-examples,
 * GitLab payloads written from GitLab's documented examples
 * (https://docs.gitlab.com/user/project/integrations/webhook_events/), requests as the HTTP
 * handler would build them, and Applications as Argo CD users write them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Application } from '../../../shared/model/index.js';
import { signGitHubBody, type WebhookRequest } from '../../../shared/webhook/index.js';

interface ExampleSet {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}

const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples') as readonly ExampleSet[];

/** The first GitHub example of an event that satisfies `pick`. */
export function githubExample(
  event: string,
  pick: (example: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> {
  const found = definitions.find((definition) => definition.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${event} matching the filter`);
  return found;
}

export function gitlabFixture(name: 'push' | 'tag-push' | 'merge-request'): Record<string, unknown> {
  const file = fileURLToPath(new URL(`../../fixtures/webhook/gitlab-${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export const NOW = new Date('2026-11-26T10:00:00Z');
export const GITHUB_SECRET = 'It’s a Secret to Everybody';
export const GITLAB_SECRET = 'gitlab-hook-token';
export const REFRESH_TOKEN = 'ci-refresh-token';

export function bytes(body: unknown): Uint8Array {
  return new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
}

export function githubRequest(options: {
  readonly event: string;
  readonly body: Uint8Array;
  readonly secret?: string;
  readonly signature?: string;
  readonly delivery?: string;
}): WebhookRequest {
  const signature =
    options.signature ?? (options.secret ? signGitHubBody(options.secret, options.body) : undefined);
  return {
    method: 'POST',
    path: '/api/webhook',
    headers: {
      'content-type': 'application/json',
      'x-github-event': options.event,
      'x-github-delivery': options.delivery ?? '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }),
    },
    rawBody: options.body,
    now: NOW,
  };
}

export function gitlabRequest(options: {
  readonly event: string;
  readonly body: Uint8Array;
  readonly token?: string;
}): WebhookRequest {
  return {
    method: 'POST',
    path: '/api/webhook',
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': options.event,
      'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
      ...(options.token === undefined ? {} : { 'x-gitlab-token': options.token }),
    },
    rawBody: options.body,
    now: NOW,
  };
}

export interface AppSpec {
  readonly name: string;
  readonly repoURL: string;
  readonly targetRevision?: string;
  readonly path?: string;
  readonly paths?: string;
  readonly sources?: ReadonlyArray<{ repoURL: string; targetRevision?: string; path?: string }>;
}

export function app(spec: AppSpec): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: spec.name,
      namespace: 'argocd',
      ...(spec.paths === undefined
        ? {}
        : { annotations: { 'argocd.argoproj.io/manifest-generate-paths': spec.paths } }),
    },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: spec.name },
      ...(spec.sources
        ? {
            sources: spec.sources.map((source) => ({
              ...source,
              targetRevision: source.targetRevision ?? 'HEAD',
            })),
          }
        : {
            source: {
              repoURL: spec.repoURL,
              targetRevision: spec.targetRevision ?? 'HEAD',
              ...(spec.path === undefined ? {} : { path: spec.path }),
            },
          }),
    },
  };
}
