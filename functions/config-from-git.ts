/**
 * The Argo CD objects from the config repository (DRIFTLESS_CONFIG_REPO_URL at its revision and
 * path), with the repository credentials from Secrets Manager added to those the objects declare.
 * Git objects are cached in /tmp, so a warm container's reload fetches only what changed.
 */
import { join } from 'node:path';
import { createGitSource } from '../shared/git/index.js';
import type { RepositoryCredential } from '../shared/model/argo-types.js';
import { gitConfigLoader } from '../shared/pipeline/config-loader.js';
import type { ConfigLoader, PipelineDeps, PlatformConfig } from '../shared/pipeline/deps.js';
import { cacheRoot } from '../shared/tools/locate-tools.js';
import { ENV, type Environment, requiredSetting } from './environment.js';
import type { SecretSources } from './secret-sources.js';

export interface GitConfigOptions {
  readonly env: Environment;
  readonly secrets: SecretSources;
}

/** The /tmp directory the functions keep git objects in between invocations. */
export function gitCacheDir(): string {
  return join(cacheRoot(), 'git');
}

/** A GitSource over the shared cache with the given credentials (PipelineDeps.gitFor). */
export const gitSourceFor: PipelineDeps['gitFor'] = (options: {
  readonly credentials: readonly RepositoryCredential[];
}) => createGitSource({ credentials: options.credentials, cacheDir: gitCacheDir() });

export function configFromGit(options: GitConfigOptions): ConfigLoader {
  const { env, secrets } = options;
  const repoURL = requiredSetting(env, ENV.configRepoUrl);
  const region = env.AWS_REGION;
  return {
    async load(): Promise<PlatformConfig> {
      const fromSecrets = await secrets.repositoryCredentials();
      const loaded = await gitConfigLoader({
        git: gitSourceFor({ credentials: fromSecrets }),
        source: {
          repoURL,
          path: env[ENV.configPath] ?? '',
          targetRevision: env[ENV.configRevision] ?? 'HEAD',
        },
        webhookSecrets: secrets.webhookSecrets,
        ...(region === undefined ? {} : { defaultRegion: region }),
      }).load();
      return { ...loaded, repositories: [...fromSecrets, ...loaded.repositories] };
    },
  };
}
