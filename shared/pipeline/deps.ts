/**
 * What the pipeline engine is given: ports only, so the Lambda handlers, `driftless serve`, tests
 * and benchmarks run the same engine on different adapters.
 */
import type { Cluster } from '../kube/index.js';
import type {
  Application,
  ApplicationSet,
  ArgoCdSettings,
  RepositoryCredential,
} from '../model/argo-types.js';
import type { Clock } from '../ports/clock.js';
import type { KubeClient } from '../ports/kube-client.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { Queue } from '../ports/queue.js';
import type { GitSource } from '../ports/source-tree.js';
import type { ToolRunner } from '../ports/tool-runner.js';
import type { CommitStatusReporter, PullRequestStore } from '../preview/index.js';
import type { CommitIdentity } from '../promote/index.js';
import type { RenderCache } from '../render/index.js';
import type { StateStore } from '../state/index.js';
import type { ConfigSource, WebhookSecrets } from '../webhook/index.js';

/** Everything the Argo CD objects of the config directory or repository say, parsed. */
export interface PlatformConfig {
  readonly applications: readonly Application[];
  /** Reconciled into generated Applications (appset-sync.ts); absent when there are none. */
  readonly applicationSets?: readonly ApplicationSet[];
  readonly settings?: ArgoCdSettings;
  readonly repositories: readonly RepositoryCredential[];
  /** Destinations declared by Argo CD cluster Secrets. */
  readonly clusters: readonly Cluster[];
  readonly webhookSecrets: WebhookSecrets;
  /** Where the objects live; a push there reloads them. */
  readonly configSource?: ConfigSource;
}

/** Reads the configuration afresh (a directory, or the config repository at its branch head). */
export interface ConfigLoader {
  load(): Promise<PlatformConfig>;
}

/** The cluster an Application deploys to, as a client. */
export interface ClusterAccess {
  clientFor(options: { readonly app: Application; readonly config: PlatformConfig }): Promise<KubeClient>;
}

export interface PipelineSettings {
  /** How long an operation's lease outlives the invocation that holds it; default 60 s. */
  readonly leaseMarginMs?: number;
  /** Stop starting sync steps this long before the invocation deadline; default 10 s. */
  readonly deadlineMarginMs?: number;
  /** Waits shorter than this are slept in process instead of a delayed message; default 2 s. */
  readonly inlineWaitMs?: number;
  /** When a message finds another worker's operation running, look again after this; default 10 s. */
  readonly busyRetrySeconds?: number;
  /** The intake queue's redrive maxReceiveCount: the delivery on which a failure is recorded as final. */
  readonly maxReceiveCount?: number;
  /** The drift scan's period; default 180 s, Argo CD's timeout.reconciliation. */
  readonly driftScanSeconds?: number;
  /** Self-heal backoff (Argo CD's controller flags): base 2 s, factor 3, cap 300 s. */
  readonly selfHealBackoff?: {
    readonly baseSeconds: number;
    readonly factor: number;
    readonly capSeconds: number;
  };
  /** Passed to the sync step (poll, wave delay); tests shorten them. */
  readonly step?: {
    readonly pollSeconds?: number;
    readonly waveDelaySeconds?: number;
    readonly transientDelaySeconds?: number;
  };
  /** Accept webhooks from providers without a configured secret. */
  readonly allowUnsignedWebhooks?: boolean;
  /** Preview apps whose pull request saw no event for this long are removed; default 7 days. */
  readonly previewTtlSeconds?: number;
}

/** Automated promotion commits to the config repository as this identity. */
export interface PromotionSettings {
  readonly author: CommitIdentity;
}

export interface PipelineDeps {
  readonly state: StateStore;
  /** FIFO, group = app: refresh and sync messages. */
  readonly intake: Queue;
  /** Standard queue with per-message delays: continue messages. */
  readonly continuation: Queue;
  /** A GitSource using the given repository credentials. */
  readonly gitFor: (options: { readonly credentials: readonly RepositoryCredential[] }) => GitSource;
  readonly tools: ToolRunner;
  readonly clusters: ClusterAccess;
  readonly config: ConfigLoader;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Unique ids (operation ids, lease owners). */
  readonly newId: () => string;
  readonly renderCache?: RenderCache;
  readonly settings?: PipelineSettings;
  /**
   * Open pull requests as webhooks announced them, read by the pull request generator. Use the
   * state table's (DynamoPullRequestStore) so they outlive the invocation; default: in memory.
   */
  readonly pullRequests?: PullRequestStore;
  /** Where preview sync results go (GitHub / GitLab commit statuses); default: not reported. */
  readonly commitStatus?: CommitStatusReporter;
  /** Automated promotion (`driftless.dev/promote-to`); default author `Driftless <driftless@localhost>`. */
  readonly promotion?: PromotionSettings;
}
