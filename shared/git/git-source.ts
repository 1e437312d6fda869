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
import { type LocalSourceMapping, LocalSources } from './local-sources.js';
import { RemoteRepositories } from './remote-repositories.js';

export interface GitSourceOptions {
  /** Directory of per-repository object stores; default `<cacheRoot()>/git`. */
  readonly cacheDir?: string;
  readonly credentials?: readonly RepositoryCredential[];
  /** `--repo URL=PATH` mappings (see parseLocalSourceMappings). */
  readonly localSources?: readonly LocalSourceMapping[];
  /** isomorphic-git HTTP client; default the Node client. */
  readonly http?: HttpClient;
}

export function createGitSource(options: GitSourceOptions = {}): GitSource {
  const local = new LocalSources(options.localSources ?? []);
  const remote = new RemoteRepositories({
    cacheDir: options.cacheDir ?? join(cacheRoot(), 'git'),
    credentials: options.credentials ?? [],
    http: options.http ?? nodeHttp,
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
  };
}
