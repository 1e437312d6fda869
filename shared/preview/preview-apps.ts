/**
 * Which generated Applications are previews, and of which pull request. An ApplicationSet with
 * one pull request generator (at any depth of matrix or merge) generates previews; an
 * Application of it is the preview of pull request N when its source's targetRevision is
 * `refs/pull/N/head` / `refs/merge-requests/N/head`, or when its template sets the
 * `driftless.dev/pull-request` annotation to N. The reconcile step stamps the full reference
 * (`github:owner/repo#N`) on the Application, so a sync result can be reported to the provider
 * later without the ApplicationSet at hand.
 */
import type { PullRequestProvider, PullRequestRepository } from '../appset/index.js';
import type { Application, ApplicationSet } from '../model/index.js';

export const PULL_REQUEST_ANNOTATION = 'driftless.dev/pull-request';

export interface PreviewOf {
  readonly repository: PullRequestRepository;
  readonly number: number;
}

const PULL_REF = /^refs\/(?:pull|merge-requests)\/(\d+)\/head$/;
const REFERENCE = /^(github|gitlab):(.+)#(\d+)$/;

/** The repositories the ApplicationSet's pull request generators read. */
export function pullRequestRepositoriesOf(appSet: ApplicationSet): PullRequestRepository[] {
  const found: PullRequestRepository[] = [];
  const visit = (generators: unknown): void => {
    if (!Array.isArray(generators)) return;
    for (const generator of generators) {
      if (generator === null || typeof generator !== 'object') continue;
      const g = generator as Record<string, unknown>;
      const pull = g.pullRequest as Record<string, unknown> | undefined;
      const github = pull?.github as Record<string, unknown> | undefined;
      const gitlab = pull?.gitlab as Record<string, unknown> | undefined;
      if (typeof github?.owner === 'string' && typeof github.repo === 'string') {
        found.push({ provider: 'github', repository: `${github.owner}/${github.repo}` });
      } else if (typeof gitlab?.project === 'string' || typeof gitlab?.project === 'number') {
        found.push({ provider: 'gitlab', repository: String(gitlab.project) });
      }
      for (const nested of ['matrix', 'merge'] as const) {
        const body = g[nested] as Record<string, unknown> | undefined;
        visit(body?.generators);
      }
    }
  };
  visit(appSet.spec.generators);
  return found;
}

/** The generated Application with the pull request reference stamped on, when it is a preview. */
export function markPreview(appSet: ApplicationSet, app: Application): Application {
  const repositories = pullRequestRepositoriesOf(appSet);
  const [repository] = repositories;
  if (repository === undefined || repositories.length > 1) return app;
  const number = numberOf(app);
  if (number === undefined) return app;
  return {
    ...app,
    metadata: {
      ...app.metadata,
      annotations: {
        ...(app.metadata.annotations ?? {}),
        [PULL_REQUEST_ANNOTATION]: formatReference({ repository, number }),
      },
    },
  };
}

function numberOf(app: Application): number | undefined {
  const own = app.metadata.annotations?.[PULL_REQUEST_ANNOTATION];
  if (own !== undefined && /^\d+$/.test(own)) return Number(own);
  const sources = app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
  for (const source of sources) {
    const match = PULL_REF.exec(source.targetRevision ?? '');
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  return undefined;
}

export function formatReference(preview: PreviewOf): string {
  return `${preview.repository.provider}:${preview.repository.repository}#${preview.number}`;
}

/** The pull request an Application previews, from its stamped annotation. */
export function previewOf(app: Application): PreviewOf | undefined {
  const match = REFERENCE.exec(app.metadata.annotations?.[PULL_REQUEST_ANNOTATION] ?? '');
  if (match === null) return undefined;
  return {
    repository: { provider: match[1] as PullRequestProvider, repository: match[2] ?? '' },
    number: Number(match[3]),
  };
}
