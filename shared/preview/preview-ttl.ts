/**
 * Preview TTL: a pull request whose last event is older than the TTL is treated as closed by the
 * ApplicationSets that read it, so a lost `closed` event cannot leave a preview running forever.
 * The TTL comes from the ApplicationSet's `driftless.dev/preview-ttl` annotation (a Go duration
 * such as `72h`), else from the platform setting. The drift-scan tick reconciles every
 * ApplicationSet, which is what removes an expired preview.
 */
import type { PullRequest, PullRequestRepository, PullRequestSource } from '../appset/index.js';
import { DriftlessError } from '../errors/index.js';
import type { ApplicationSet } from '../model/index.js';
import { parseGoDuration } from '../sync/index.js';
import type { PullRequestStore } from './pull-request-store.js';

export const PREVIEW_TTL_ANNOTATION = 'driftless.dev/preview-ttl';
export const DEFAULT_PREVIEW_TTL_SECONDS = 7 * 24 * 3600;

/** The TTL in milliseconds; an unreadable annotation is an error naming it. */
export function previewTtlMs(appSet: ApplicationSet, defaultSeconds: number): number {
  const text = appSet.metadata.annotations?.[PREVIEW_TTL_ANNOTATION];
  if (text === undefined || text.trim() === '') return defaultSeconds * 1000;
  const ms = parseGoDuration(text.trim());
  if (ms === undefined || ms <= 0) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `ApplicationSet "${appSet.metadata.name}": metadata.annotations["${PREVIEW_TTL_ANNOTATION}"]: ${JSON.stringify(text)} is not a positive duration such as 72h`,
      { context: { applicationSet: appSet.metadata.name } },
    );
  }
  return ms;
}

/** The store's open pull requests, without those whose last event is older than `ttlMs`. */
export function unexpiredPullRequests(options: {
  readonly store: PullRequestStore;
  readonly ttlMs: number;
  readonly now: Date;
}): PullRequestSource {
  const { store, ttlMs, now } = options;
  return {
    async listOpen(repository: PullRequestRepository): Promise<readonly PullRequest[]> {
      const oldest = now.getTime() - ttlMs;
      return (await store.listRecorded(repository))
        .filter((pull) => Date.parse(pull.updatedAt) >= oldest)
        .map(({ updatedAt: _u, ...pull }) => pull);
    },
  };
}
