/**
 * Where `driftless serve` reads its Argo CD objects: a directory, or a config repository at its
 * branch head (so a promotion commit and its push webhook change what runs, as in AWS). One load
 * yields both the PlatformConfig and the commit status endpoints of its `argocd-secret`, so a
 * reload picks up a new token with the rest.
 */
import { posix } from 'node:path';
import { DriftlessError } from '../../shared/errors/index.js';
import { type LoadedDocument, loadDocuments, parseDocuments } from '../../shared/model/index.js';
import { type ConfigLoader, configFromDocuments } from '../../shared/pipeline/index.js';
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

const MANIFEST = /\.(ya?ml|json)$/;

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
  if (location.kind === 'directory') return loadDocuments(location.paths);
  const { source, git } = location;
  const commit = await git.resolve(source.repoURL, source.targetRevision || 'HEAD');
  const tree = await git.open(source.repoURL, commit);
  const root = (source.path ?? '').replace(/^\.?\/*|\/+$/g, '');
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await tree.list(dir)) {
      if (entry.type === 'dir') await walk(entry.path);
      else if (entry.type === 'file' && MANIFEST.test(posix.basename(entry.path))) files.push(entry.path);
    }
  };
  await walk(root);
  const documents: LoadedDocument[] = [];
  for (const file of files.sort()) {
    documents.push(...parseDocuments({ file, text: new TextDecoder().decode(await tree.readFile(file)) }));
  }
  if (documents.length === 0) {
    throw new DriftlessError(
      'NOT_FOUND',
      `config repository ${source.repoURL} at ${commit.slice(0, 7)}: no manifests under "${root || '.'}"`,
      { context: { path: root } },
    );
  }
  return documents;
}
