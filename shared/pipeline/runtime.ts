/**
 * What one process keeps between messages: the configuration (loaded once, replaced on reload),
 * the GitSource built with its repository credentials, and one predicted-object cache per cluster.
 * A Lambda container keeps them while it is warm; `driftless serve` for its whole life.
 */
import { MemoryPredictedCache, type PredictedCache } from '../compare/index.js';
import type { Application } from '../model/argo-types.js';
import type { KubeClient } from '../ports/kube-client.js';
import type { GitSource } from '../ports/source-tree.js';
import {
  DEFAULT_PREVIEW_TTL_SECONDS,
  MemoryPullRequestStore,
  type PullRequestStore,
} from '../preview/index.js';
import type { PipelineDeps, PipelineSettings, PlatformConfig } from './deps.js';

export const DEFAULT_SETTINGS = {
  leaseMarginMs: 60_000,
  deadlineMarginMs: 10_000,
  inlineWaitMs: 2_000,
  busyRetrySeconds: 10,
  maxReceiveCount: 5,
  driftScanSeconds: 180,
  selfHealBackoff: { baseSeconds: 2, factor: 3, capSeconds: 300 },
  step: {},
  allowUnsignedWebhooks: false,
  previewTtlSeconds: DEFAULT_PREVIEW_TTL_SECONDS,
} as const satisfies Required<PipelineSettings>;

export type ResolvedSettings = Required<PipelineSettings>;

export class PipelineRuntime {
  readonly deps: PipelineDeps;
  readonly settings: ResolvedSettings;
  #config: Promise<PlatformConfig> | undefined;
  #git: { readonly config: PlatformConfig; readonly git: GitSource } | undefined;
  readonly #predicted = new WeakMap<KubeClient, PredictedCache>();
  readonly pullRequests: PullRequestStore;

  constructor(deps: PipelineDeps) {
    this.deps = deps;
    this.settings = { ...DEFAULT_SETTINGS, ...deps.settings };
    this.pullRequests = deps.pullRequests ?? new MemoryPullRequestStore();
  }

  /** The configuration, loaded on first use; a failed load is retried by the next caller. */
  config(): Promise<PlatformConfig> {
    if (this.#config === undefined) {
      const loading = this.deps.config.load();
      this.#config = loading;
      loading.catch(() => {
        if (this.#config === loading) this.#config = undefined;
      });
    }
    return this.#config;
  }

  /** Loads the configuration afresh and keeps it. */
  async reload(): Promise<PlatformConfig> {
    const config = await this.deps.config.load();
    this.#config = Promise.resolve(config);
    return config;
  }

  async git(): Promise<GitSource> {
    const config = await this.config();
    if (this.#git?.config !== config) {
      this.#git = { config, git: this.deps.gitFor({ credentials: config.repositories }) };
    }
    return this.#git.git;
  }

  async kubeFor(app: Application): Promise<KubeClient> {
    return this.deps.clusters.clientFor({ app, config: await this.config() });
  }

  /** resourceVersions are unique per cluster only, so each client gets its own cache. */
  predictedCacheFor(kube: KubeClient): PredictedCache {
    let cache = this.#predicted.get(kube);
    if (cache === undefined) {
      cache = new MemoryPredictedCache();
      this.#predicted.set(kube, cache);
    }
    return cache;
  }
}
