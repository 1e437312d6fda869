/**
 * Pull-request preview environments, without polling a provider.
 *
 * 1. A `pull_request` (GitHub) or Merge Request (GitLab) webhook is recorded in the
 *    PullRequestStore (state table or memory): opened, reopened, synchronize, labeled and edited
 *    record it; closed and merged close it; an older event never undoes a newer one.
 * 2. The ApplicationSets whose pull request generator reads that repository are reconciled (by the
 *    pipeline): the generator reads the store, minus pull requests older than the preview TTL, so
 *    a new pull request yields a preview Application and a closed or expired one removes it.
 * 3. Generated previews are stamped with `driftless.dev/pull-request: <provider>:<repo>#<N>`; when
 *    a preview's sync ends, its result is posted as a commit status (`driftless/preview`) through
 *    the CommitStatusReporter; its tokens are the `driftless.github.token` /
 *    `driftless.gitlab.token` keys of argocd-secret or of a Secrets Manager secret
 *    (commit-status-settings.ts).
 */
export {
  type CommitState,
  type CommitStatus,
  type CommitStatusReporter,
  type HttpCommitStatusOptions,
  HttpCommitStatusReporter,
  PREVIEW_STATUS_CONTEXT,
  type ProviderEndpoint,
} from './commit-status.js';
export {
  COMMIT_STATUS_KEYS,
  commitStatusOptionsFromDocuments,
  commitStatusOptionsFromFields,
  DEFAULT_GITHUB_API,
  DEFAULT_GITLAB_API,
  DeferredCommitStatusReporter,
} from './commit-status-settings.js';
export { DynamoPullRequestStore, type DynamoPullRequestStoreOptions } from './dynamo-pull-request-store.js';
export {
  formatReference,
  markPreview,
  type PreviewOf,
  PULL_REQUEST_ANNOTATION,
  previewOf,
  pullRequestRepositoriesOf,
} from './preview-apps.js';
export {
  DEFAULT_PREVIEW_TTL_SECONDS,
  PREVIEW_TTL_ANNOTATION,
  previewTtlMs,
  unexpiredPullRequests,
} from './preview-ttl.js';
export {
  applyPullRequestEvent,
  gitlabProjectIdOf,
  type PullRequestChange,
  type PullRequestEventWithId,
  pullOfEvent,
  repositoriesOfEvent,
  repositoryOfEvent,
} from './pull-request-events.js';
export {
  type ClosePullRequestOptions,
  MemoryPullRequestStore,
  type PullRequestStore,
  type RecordedPullRequest,
  type RecordPullRequestOptions,
  repositoryKey,
} from './pull-request-store.js';
