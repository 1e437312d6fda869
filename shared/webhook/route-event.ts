/**
 * Which Applications an event concerns: pure, so the same answer comes from the Lambda handler,
 * `driftless serve` and a test. A source is concerned when its repoURL names the pushed
 * repository (repo-url.ts), its targetRevision tracks the pushed branch or tag
 * (revision-match.ts) and, with `manifest-generate-paths`, a changed file touches one of its paths
 * (refresh-paths.ts). An app with several sources is refreshed once, on the first that matches.
 *
 * As in Argo CD, only pushes route: pull request, branch/tag create and delete events are parsed
 * (the ApplicationSet pull request generator wants them) but refresh no Application, because
 * GitHub and GitLab send a push for the same ref change and that push is what routes.
 */
import type { Application, ApplicationSource } from '../model/index.js';
import { ChangedFiles, MANIFEST_GENERATE_PATHS, sourceRefreshPaths } from './refresh-paths.js';
import { repoURLMatcher, webURLOf } from './repo-url.js';
import { type RevisionPush, shortRefName, sourceRevisionHasChanged } from './revision-match.js';
import type { ConfigSource, RefreshTarget, RepoEvent } from './webhook-types.js';

export interface RouteOptions {
  /** The default branch of a repository, for events whose payload does not carry it. */
  readonly defaultBranchOf?: (repoURL: string) => string | undefined;
  /** The repository and path holding the Argo CD objects; a matching push reloads them. */
  readonly configSource?: ConfigSource;
}

export interface Route {
  readonly refresh: readonly RefreshTarget[];
  readonly reloadConfig: boolean;
}

/** What a push-like event says, reduced to what routing needs. */
interface RoutablePush {
  readonly webURL: string;
  readonly push: RevisionPush;
  readonly changedFiles: readonly string[];
  /** What the worker should fetch: the new commit, or the ref name when there is none. */
  readonly revision: string;
  readonly reason: string;
}

const NOTHING: Route = { refresh: [], reloadConfig: false };
const ZERO_SHA = /^0+$/;

export function routeEvent(
  event: RepoEvent,
  apps: readonly Application[],
  options: RouteOptions = {},
): Route {
  if (event.kind === 'refresh-app') return routeAppRefresh(event.app, apps);
  const routable = routablePush(event, options);
  if (routable === undefined) return NOTHING;
  const matches = repoURLMatcher(routable.webURL);
  if (matches === undefined) return NOTHING;
  const changed = new ChangedFiles(routable.changedFiles);
  const refresh: RefreshTarget[] = [];
  for (const app of apps) {
    const annotation = app.metadata.annotations?.[MANIFEST_GENERATE_PATHS];
    const concerned = sourcesOf(app).some(
      (source) =>
        sourceRevisionHasChanged(source.targetRevision, routable.push) &&
        matches(source.repoURL) &&
        changed.touch(sourceRefreshPaths(annotation, source.path)),
    );
    if (concerned)
      refresh.push({ app: app.metadata.name, reason: routable.reason, revision: routable.revision });
  }
  const config = options.configSource;
  const reloadConfig =
    config !== undefined &&
    matches(config.repoURL) &&
    sourceRevisionHasChanged(config.targetRevision, routable.push) &&
    // The config path filters like a `manifest-generate-paths: .` annotation on it would.
    changed.touch(sourceRefreshPaths('.', config.path));
  return { refresh, reloadConfig };
}

/** `spec.sources` when set, else `spec.source` (Argo CD's `GetSources`). */
function sourcesOf(app: Application): readonly ApplicationSource[] {
  const { sources, source } = app.spec;
  if (sources !== undefined && sources.length > 0) return sources;
  return source === undefined ? [] : [source];
}

function routablePush(event: RepoEvent, options: RouteOptions): RoutablePush | undefined {
  if (event.kind === 'push') {
    const revision = event.ref.name;
    const defaultBranch = event.repo.defaultBranch ?? options.defaultBranchOf?.(event.repo.webURL);
    const commit = event.deleted || ZERO_SHA.test(event.after) ? undefined : event.after;
    return {
      webURL: event.repo.webURL,
      // An unknown default branch counts as touched: a needless refresh is cheap, a missed one is not.
      push: { revision, touchedHead: defaultBranch === undefined || defaultBranch === revision },
      changedFiles: event.changedFiles,
      revision: commit ?? revision,
      reason: `${event.provider} push to ${event.ref.full}${commit ? ` at ${commit.slice(0, 12)}` : ' (deleted)'}`,
    };
  }
  if (event.kind === 'refresh-repo') {
    const webURL = webURLOf(event.repoURL);
    if (webURL === undefined) return undefined;
    const defaultBranch = options.defaultBranchOf?.(event.repoURL);
    const revision = event.revision === undefined ? defaultBranch : shortRefName(event.revision);
    return {
      webURL,
      push: {
        revision: revision ?? '',
        touchedHead: defaultBranch === undefined || revision === undefined || defaultBranch === revision,
      },
      changedFiles: event.paths,
      revision: revision ?? 'HEAD',
      reason: `refresh request for ${webURL} at ${revision ?? 'its default branch'}`,
    };
  }
  return undefined;
}

function routeAppRefresh(name: string, apps: readonly Application[]): Route {
  const app = apps.find(
    (candidate) =>
      candidate.metadata.name === name ||
      (candidate.metadata.namespace !== undefined &&
        `${candidate.metadata.namespace}/${candidate.metadata.name}` === name),
  );
  if (app === undefined) return NOTHING;
  const revision = sourcesOf(app)[0]?.targetRevision || 'HEAD';
  return {
    refresh: [{ app: app.metadata.name, reason: `refresh request for app ${app.metadata.name}`, revision }],
    reloadConfig: false,
  };
}
