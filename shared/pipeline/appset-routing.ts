/**
 * Which ApplicationSets an event concerns, and how their reconcile travels on the intake queue: a
 * refresh message whose app is `driftless:appset:<name>` (a colon cannot be in an Application's
 * name, and as a FIFO group it keeps one ApplicationSet's reconciles in order).
 */
import type { PullRequestRepository } from '../appset/index.js';
import type { ApplicationSet } from '../model/argo-types.js';
import { pullRequestRepositoriesOf, repositoryKey } from '../preview/index.js';
import { repoKey } from '../state/index.js';

const PREFIX = 'driftless:appset:';

export function appSetMessageApp(name: string): string {
  return `${PREFIX}${name}`;
}

/** The ApplicationSet a message's app names, or undefined for an Application. */
export function appSetOfMessageApp(app: string): string | undefined {
  return app.startsWith(PREFIX) ? app.slice(PREFIX.length) : undefined;
}

/** Repositories the git generators read (at any depth of matrix and merge). */
export function gitRepositoriesOf(appSet: ApplicationSet): string[] {
  const found: string[] = [];
  const visit = (generators: unknown): void => {
    if (!Array.isArray(generators)) return;
    for (const generator of generators) {
      if (generator === null || typeof generator !== 'object') continue;
      const g = generator as Record<string, unknown>;
      const git = g.git as Record<string, unknown> | undefined;
      if (typeof git?.repoURL === 'string') found.push(git.repoURL);
      for (const nested of ['matrix', 'merge'] as const) {
        visit((g[nested] as Record<string, unknown> | undefined)?.generators);
      }
    }
  };
  visit(appSet.spec.generators);
  return found;
}

/** ApplicationSets with a git generator over the pushed repository. */
export function appSetsReadingRepo(appSets: readonly ApplicationSet[], repoURL: string): ApplicationSet[] {
  const key = repoKey(repoURL);
  return appSets.filter((s) => gitRepositoriesOf(s).some((url) => repoKey(url) === key));
}

/** ApplicationSets with a pull request generator over the repository. */
export function appSetsReadingPullRequests(
  appSets: readonly ApplicationSet[],
  repository: PullRequestRepository,
): ApplicationSet[] {
  const key = repositoryKey(repository);
  return appSets.filter((s) => pullRequestRepositoriesOf(s).some((r) => repositoryKey(r) === key));
}
