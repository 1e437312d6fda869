/**
 * The vocabulary of the webhook engine: the request it is given, the normalised event a provider's
 * payload becomes, and the decision it hands back to the HTTP handler. Everything here is plain
 * readonly data so a decision can be logged, queued or compared in a test as it is.
 */
import type { Application } from '../model/index.js';

export type Provider = 'github' | 'gitlab' | 'refresh';

/** One HTTP request as the handler received it; header names lower-cased, the body untouched. */
export interface WebhookRequest {
  readonly method: string;
  /** The request path; a query string, if any, is ignored. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body: signatures are computed over these exact bytes, never over re-serialised JSON. */
  readonly rawBody: Uint8Array;
  readonly now: Date;
}

/** The webhook keys of Argo CD's `argocd-secret` (and the refresh token Driftless adds). */
export interface WebhookSecrets {
  /** `webhook.github.secret`: the HMAC key of `X-Hub-Signature-256`. */
  readonly github?: string;
  /** `webhook.gitlab.secret`: the value GitLab sends in `X-Gitlab-Token`. */
  readonly gitlab?: string;
  /** `webhook.refresh.token`: the bearer token of `POST /api/v1/refresh`. */
  readonly refreshToken?: string;
}

/** Where the Argo CD objects themselves live; a push there reloads them. */
export interface ConfigSource {
  readonly repoURL: string;
  /** Directory inside the repository; empty or `.` is the whole repository. */
  readonly path?: string;
  /** Branch or tag; empty or `HEAD` is the default branch. */
  readonly targetRevision?: string;
}

export interface WebhookConfig {
  readonly secrets: WebhookSecrets;
  /**
   * Accept hooks from a provider whose secret is not configured. Off by default: an endpoint that
   * routes unsigned pushes lets anyone on the internet trigger refreshes.
   */
  readonly allowUnsigned?: boolean;
  /** Largest body accepted, in bytes; see DEFAULT_MAX_PAYLOAD_BYTES. */
  readonly maxPayloadBytes?: number;
  readonly apps: readonly Application[];
  readonly configSource?: ConfigSource;
  /** The default branch of a repository, for events whose payload does not say it. */
  readonly defaultBranchOf?: (repoURL: string) => string | undefined;
}

/** A repository as a payload describes it. */
export interface RepoRef {
  /** The web page of the repository (`html_url`, `web_url`): the URL Argo CD matches on. */
  readonly webURL: string;
  /** Clone URLs the payload lists (https and ssh), for logs and for callers that need one. */
  readonly cloneURLs: readonly string[];
  readonly defaultBranch?: string;
  readonly fullName?: string;
  /** GitLab's numeric project id (decimal), which a pull-request generator may name instead of the path. */
  readonly projectId?: string;
}

/** A git reference: `refs/heads/x` is a branch, `refs/tags/x` a tag. */
export interface GitRef {
  readonly type: 'branch' | 'tag' | 'other';
  /** The short name (`main`, `v1.2.0`, `feature/x`). */
  readonly name: string;
  /** The full ref as sent (`refs/heads/main`). */
  readonly full: string;
}

export interface CommitSummary {
  readonly id: string;
  readonly message: string;
  readonly author?: string;
  readonly timestamp?: string;
}

export interface PushEvent {
  readonly kind: 'push';
  readonly provider: 'github' | 'gitlab';
  readonly repo: RepoRef;
  readonly ref: GitRef;
  readonly before: string;
  readonly after: string;
  readonly created: boolean;
  readonly deleted: boolean;
  /**
   * Files added, modified or removed by the pushed commits, in first-seen order. Empty when the
   * payload lists none, or lists only part of them (GitLab sends at most 20 commits): routing then
   * refreshes every matching app, as Argo CD does for payloads without a file list.
   */
  readonly changedFiles: readonly string[];
  readonly headCommit?: CommitSummary;
  readonly pusher?: string;
}

export type PullRequestAction =
  | 'opened'
  | 'reopened'
  | 'synchronize'
  | 'closed'
  | 'merged'
  | 'labeled'
  | 'unlabeled'
  | 'edited'
  | 'other';

export interface PullRequestEvent {
  readonly kind: 'pull-request';
  readonly provider: 'github' | 'gitlab';
  readonly repo: RepoRef;
  readonly action: PullRequestAction;
  /** The provider's own word (`synchronize`, `update`, `merge`...). */
  readonly providerAction: string;
  /** GitHub's PR number, GitLab's merge request iid. */
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly head: { readonly ref: string; readonly sha: string };
  readonly base: { readonly ref: string };
  readonly labels: readonly string[];
}

/** GitHub `create` / `delete`: a branch or tag appeared or went away. */
export interface RefChangeEvent {
  readonly kind: 'ref-change';
  readonly provider: 'github';
  readonly repo: RepoRef;
  readonly change: 'created' | 'deleted';
  readonly refType: 'branch' | 'tag';
  readonly name: string;
}

export interface PingEvent {
  readonly kind: 'ping';
  readonly provider: 'github';
  readonly repo?: RepoRef;
  readonly hookId?: number;
  readonly zen?: string;
}

/** `POST /api/v1/refresh {repoURL, revision?, paths?}` from a CI system. */
export interface RefreshRepoEvent {
  readonly kind: 'refresh-repo';
  readonly provider: 'refresh';
  readonly repoURL: string;
  /** Branch, tag or `refs/...`; absent means the default branch. */
  readonly revision?: string;
  /** Changed files; absent or empty means unknown, so every matching app is refreshed. */
  readonly paths: readonly string[];
}

/** `POST /api/v1/refresh {app}`: refresh one Application by name. */
export interface RefreshAppEvent {
  readonly kind: 'refresh-app';
  readonly provider: 'refresh';
  readonly app: string;
}

export type RepoEvent =
  | PushEvent
  | PullRequestEvent
  | RefChangeEvent
  | PingEvent
  | RefreshRepoEvent
  | RefreshAppEvent;

/** One Application to refresh and why. */
export interface RefreshTarget {
  readonly app: string;
  /** A line for logs and history: provider, event, ref and commit. */
  readonly reason: string;
  /** The pushed commit when known, otherwise the branch or tag name. */
  readonly revision: string;
}

export type WebhookStatus = 200 | 202 | 400 | 401 | 404 | 405 | 413;

export interface WebhookDecision {
  readonly status: WebhookStatus;
  readonly body: { readonly message: string };
  readonly deliveryId?: string;
  readonly provider?: Provider;
  readonly event?: RepoEvent;
  readonly refresh: readonly RefreshTarget[];
  /** The push touched the repository and path that hold the Argo CD objects. */
  readonly reloadConfig: boolean;
  /** When the request arrived (from `WebhookRequest.now`), for webhook-to-sync latency. */
  readonly receivedAt: string;
}
