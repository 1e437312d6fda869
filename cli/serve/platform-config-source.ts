/**
 * Where `driftless serve` reads its Argo CD objects: a directory, or a config repository at its
 * branch head (so a promotion commit and its push webhook change what runs, as in AWS). One load
 * yields both the PlatformConfig and the commit status endpoints of its `argocd-secret`, so a
 * reload picks up a new token with the rest.
 */
import { type LoadedDocument, loadDocuments } from '../../shared/model/index.js';
import { type ConfigLoader, configFromDocuments, documentsFromGit } from '../../shared/pipeline/index.js';
import type { GitSource } from '../../shared/ports/source-tree.js';
import {
  commitStatusOptionsFromDocuments,
  type HttpCommitStatusOptions,
} from '../../shared/preview/index.js';
import type { ConfigSource } from '../../shared/webhook/index.js';

export type PlatformConfigLocation =
  | { readonly kind: 'directory'; readonly paths: readonly string[] }
  | { readonly kind: 'repository'; readonly source: ConfigSource; readonly git: GitSource };

export interface PlatformConfigSource {
  readonly loader: ConfigLoader;
  /** The endpoints of the last load (loading first if there was none). */
  commitStatus(): Promise<HttpCommitStatusOptions>;
}

export function platformConfigSource(location: PlatformConfigLocation): PlatformConfigSource {
  let endpoints: HttpCommitStatusOptions | undefined;
  const loader: ConfigLoader = {
    async load() {
      const documents = await documentsOf(location);
      const config = configFromDocuments({
        documents,
        ...(location.kind === 'repository' ? { configSource: location.source } : {}),
      });
      endpoints = commitStatusOptionsFromDocuments(documents);
      return config;
    },
  };
  return {
    loader,
    async commitStatus() {
      if (endpoints === undefined) await loader.load();
      return endpoints ?? {};
    },
  };
}

async function documentsOf(location: PlatformConfigLocation): Promise<LoadedDocument[]> {
  return location.kind === 'directory'
    ? loadDocuments(location.paths)
    : documentsFromGit({ git: location.git, source: location.source });
}
