/**
 * The GitSource the pipeline uses: local mappings first (no network), then remote repositories
 * through the on-disk fetch cache.
 */
import { join } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import type { RepositoryCredential } from '../model/argo-types.js';
import type { GitSource, SourceTree } from '../ports/source-tree.js';
import { cacheRoot } from '../tools/index.js';
import type { CacheBudget } from './cache-eviction.js';
import { type LocalSourceMapping, LocalSources } from './local-sources.js';
import { RemoteRepositories } from './remote-repositories.js';

/** The GitSource plus branch listing (the ApplicationSet git generator's `branches`). */
export interface GitSourceWithBranches extends GitSource {
  /** Branch names without `refs/heads/`, sorted; remote: one ref advertisement. */
  listBranches(repoURL: string): Promise<readonly string[]>;
}

export interface GitSourceOptions {
  /** Directory of per-repository object stores; default `<cacheRoot()>/git`. */
  readonly cacheDir?: string;
  /** Size and age limits of that cache; defaults in cache-eviction.ts. */
  readonly cacheBudget?: CacheBudget;
  readonly credentials?: readonly RepositoryCredential[];
  /** `--repo URL=PATH` mappings (see parseLocalSourceMappings). */
  readonly localSources?: readonly LocalSourceMapping[];
  /** isomorphic-git HTTP client; default the Node client. */
  readonly http?: HttpClient;
  /**
   * Idle time after which a request to a git server is abandoned (GIT_TRANSPORT, retryable);
   * default 15 s, Argo CD's default git request timeout. Applies to the default client only.
   */
  readonly requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export function createGitSource(options: GitSourceOptions = {}): GitSourceWithBranches {
  const local = new LocalSources(options.localSources ?? []);
  const remote = new RemoteRepositories({
    cacheDir: options.cacheDir ?? join(cacheRoot(), 'git'),
    credentials: options.credentials ?? [],
    ...(options.cacheBudget ? { budget: options.cacheBudget } : {}),
    http: options.http ?? withIdleTimeout(nodeHttp, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
  });
  return {
    resolve(repoURL: string, targetRevision: string): Promise<string> {
      const mapping = local.find(repoURL);
      return mapping
        ? local.resolve(mapping, repoURL, targetRevision)
        : remote.resolve(repoURL, targetRevision);
    },
    open(repoURL: string, commit: string): Promise<SourceTree> {
      const mapping = local.find(repoURL);
      return mapping ? local.open(mapping, repoURL, commit) : remote.open(repoURL, commit);
    },
    listBranches(repoURL: string): Promise<readonly string[]> {
      const mapping = local.find(repoURL);
      return mapping ? local.listBranches(mapping, repoURL) : remote.listBranches(repoURL);
    },
  };
}

/** A server that stops answering must not hold an invocation until the Lambda deadline. */
function withIdleTimeout(http: HttpClient, timeoutMs: number): HttpClient {
  return {
    request: (request) =>
      http.request({ ...request, fetchOptions: { timeout: timeoutMs, ...request.fetchOptions } }),
  };
}
