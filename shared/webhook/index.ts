/**
 * Webhooks: how a push on GitHub or GitLab, or a CI system's refresh request, becomes "refresh
 * these Applications". `handleWebhook` is the whole engine, pure and synchronous; the HTTP
 * handler passes it the raw request and the configuration and acts on the decision (dedupe the
 * delivery id, enqueue one message per app, answer with the status).
 *
 * Order of operations inside `handleWebhook`:
 * 1. path (`/api/webhook`, Argo CD's, or `/api/v1/refresh`) → 404; method → 405; size → 413;
 * 2. provider from the headers (`X-GitHub-Event`, `X-Gitlab-Event`), then authentication on the
 *    RAW body in constant time (signature.ts) with the secrets of `argocd-secret`
 *    (argocd-secret.ts) → 401; a provider without a secret is refused unless `allowUnsigned`;
 * 3. events Driftless does not handle → 202 ignored; JSON decoding and the provider's payload
 *    into one `RepoEvent` (github-events.ts, gitlab-events.ts, refresh-request.ts) → 400 naming
 *    the field at fault; `ping` → 200;
 * 4. routing (route-event.ts) with Argo CD's rules: repository URL pattern, targetRevision,
 *    `manifest-generate-paths` → 202 with the apps to refresh and whether the Argo CD objects
 *    themselves must be reloaded.
 */
export {
  ARGOCD_SECRET_NAME,
  findArgoCdSecret,
  parseWebhookSecrets,
  WEBHOOK_SECRET_KEYS,
  webhookSecretsFromFields,
} from './argocd-secret.js';
export { GITHUB_EVENTS, parseGitHubEvent } from './github-events.js';
export { GITLAB_EVENTS, parseGitLabEvent } from './gitlab-events.js';
export { handleWebhook, REFRESH_PATH, WEBHOOK_PATH } from './handle-webhook.js';
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  MAX_PAYLOAD_SIZE_KEY,
  maxPayloadBytesFromSettings,
} from './payload-limit.js';
export {
  filesHaveChanged,
  goGlobMatch,
  MANIFEST_GENERATE_PATHS,
  sourceRefreshPaths,
} from './refresh-paths.js';
export { parseRefreshRequest } from './refresh-request.js';
export { repoURLMatcher, webURLOf } from './repo-url.js';
export { type RevisionPush, shortRefName, sourceRevisionHasChanged } from './revision-match.js';
export { type Route, type RouteOptions, routeEvent } from './route-event.js';
export { bearerToken, signGitHubBody, verifyGitHubSignature, verifyToken } from './signature.js';
export type * from './webhook-types.js';
