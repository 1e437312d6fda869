/**
 * The CLI's GitSource: `--repo URL=PATH` mappings first, then remote repositories through the
 * on-disk cache, with credentials from the repository Secrets the user's config holds.
 */
import { createGitSource, parseLocalSourceMappings } from '../shared/git/index.js';
import type { RepositoryCredential } from '../shared/model/index.js';
import type { GitSource } from '../shared/ports/index.js';

export interface CliGitOptions {
  /** `URL=PATH` strings as given on the command line. */
  readonly repoMappings: readonly string[];
  readonly credentials: readonly RepositoryCredential[];
}

export async function gitSourceFor(options: CliGitOptions): Promise<GitSource> {
  return createGitSource({
    credentials: options.credentials,
    localSources: parseLocalSourceMappings(options.repoMappings),
  });
}
