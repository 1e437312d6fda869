/**
 * The webhook engine: one request in, one decision out, no I/O. The order matters: cheap checks
 * that need no secret first (path, method, size), then authentication on the raw bytes, and only
 * then is the body decoded, so an unauthenticated sender can make us do no more than hash.
 */
import { isDriftlessError } from '../errors/index.js';
import { GITHUB_EVENTS, type GitHubEventName, isGitHubEvent, parseGitHubEvent } from './github-events.js';
import { GITLAB_EVENTS, type GitLabEventName, isGitLabEvent, parseGitLabEvent } from './gitlab-events.js';
import { isObject, type JsonObject } from './payload-fields.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './payload-limit.js';
import { parseRefreshRequest } from './refresh-request.js';
import { webURLOf } from './repo-url.js';
import { routeEvent } from './route-event.js';
import { bearerToken, type Verdict, verifyGitHubSignature, verifyToken } from './signature.js';
import type {
  Provider,
  RepoEvent,
  WebhookConfig,
  WebhookDecision,
  WebhookRequest,
  WebhookStatus,
} from './webhook-types.js';

/** Argo CD's path, so moving a hook from Argo CD means changing only the host. */
export const WEBHOOK_PATH = '/api/webhook';
export const REFRESH_PATH = '/api/v1/refresh';

interface Known {
  readonly provider?: Provider;
  readonly deliveryId?: string;
  readonly event?: RepoEvent;
  readonly receivedAt: string;
}

function decide(known: Known, status: WebhookStatus, message: string): WebhookDecision {
  return { ...known, status, body: { message }, refresh: [], reloadConfig: false };
}

export function handleWebhook(request: WebhookRequest, config: WebhookConfig): WebhookDecision {
  const receivedAt = request.now.toISOString();
  const path = normalisePath(request.path);
  if (path !== WEBHOOK_PATH && path !== REFRESH_PATH) {
    return decide(
      { receivedAt },
      404,
      `no webhook endpoint at ${path}; use ${WEBHOOK_PATH} or ${REFRESH_PATH}`,
    );
  }
  if (request.method.toUpperCase() !== 'POST') {
    return decide({ receivedAt }, 405, `${request.method} is not allowed on ${path}; send a POST`);
  }
  const limit = config.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (request.rawBody.byteLength > limit) {
    return decide(
      { receivedAt },
      413,
      `body of ${request.rawBody.byteLength} bytes is over the limit of ${limit} bytes`,
    );
  }

  const headers = request.headers;
  const provider = providerOf(path, headers);
  if (provider === undefined) {
    return decide(
      { receivedAt },
      config.allowUnsigned ? 400 : 401,
      'no X-GitHub-Event or X-Gitlab-Event header: the sender is not a provider Driftless can verify',
    );
  }
  const deliveryId = provider === 'github' ? headers['x-github-delivery'] : headers['x-gitlab-event-uuid'];
  const known: Known = { provider, receivedAt, ...(deliveryId ? { deliveryId } : {}) };

  const verdict = authenticate(provider, request, config);
  if (!verdict.ok) return decide(known, 401, verdict.reason);

  const selected = selectEvent(provider, headers);
  if (selected.kind === 'ignored') return decide(known, 202, selected.message);

  const body = decodeJsonObject(request.rawBody);
  if (body.kind === 'invalid') return decide(known, 400, body.message);

  let event: RepoEvent | undefined;
  try {
    event = parseSelected(selected, body.value);
  } catch (error) {
    if (isDriftlessError(error, 'WEBHOOK_REJECTED')) return decide(known, 400, error.message);
    throw error;
  }
  if (event === undefined) {
    const kind = JSON.stringify(body.value.object_kind ?? null);
    return decide(known, 202, `gitlab system hook of kind ${kind} ignored`);
  }
  const withEvent: Known = { ...known, event };
  if (event.kind === 'ping') return decide(withEvent, 200, 'pong');
  if (event.kind === 'refresh-repo' && webURLOf(event.repoURL) === undefined) {
    return decide(withEvent, 400, 'refresh request: repoURL: is not a git repository URL');
  }

  const route = routeEvent(event, config.apps, {
    ...(config.defaultBranchOf ? { defaultBranchOf: config.defaultBranchOf } : {}),
    ...(config.configSource ? { configSource: config.configSource } : {}),
  });
  if (event.kind === 'refresh-app' && route.refresh.length === 0) {
    return decide(withEvent, 404, `refresh request: no Application named ${JSON.stringify(event.app)}`);
  }
  const count = route.refresh.length;
  const message = `${count} application${count === 1 ? '' : 's'} to refresh${route.reloadConfig ? '; configuration reloads' : ''}`;
  return { ...decide(withEvent, 202, message), refresh: route.refresh, reloadConfig: route.reloadConfig };
}

/** The event a request carries, chosen from its headers before the body is decoded. */
type SelectedEvent =
  | { readonly kind: 'github'; readonly name: GitHubEventName }
  | { readonly kind: 'gitlab'; readonly name: GitLabEventName }
  | { readonly kind: 'refresh' }
  | { readonly kind: 'ignored'; readonly message: string };

function selectEvent(provider: Provider, headers: WebhookRequest['headers']): SelectedEvent {
  if (provider === 'refresh') return { kind: 'refresh' };
  if (provider === 'github') {
    const name = headers['x-github-event'] ?? '';
    if (isGitHubEvent(name)) return { kind: 'github', name };
    return {
      kind: 'ignored',
      message: `github event "${name}" ignored; handled: ${GITHUB_EVENTS.join(', ')}`,
    };
  }
  const name = headers['x-gitlab-event'] ?? '';
  if (isGitLabEvent(name)) return { kind: 'gitlab', name };
  return { kind: 'ignored', message: `gitlab event "${name}" ignored; handled: ${GITLAB_EVENTS.join(', ')}` };
}

function parseSelected(
  selected: Exclude<SelectedEvent, { kind: 'ignored' }>,
  body: JsonObject,
): RepoEvent | undefined {
  switch (selected.kind) {
    case 'refresh':
      return parseRefreshRequest(body);
    case 'github':
      return parseGitHubEvent(selected.name, body);
    case 'gitlab':
      return parseGitLabEvent(selected.name, body);
  }
}

function normalisePath(path: string): string {
  const bare = path.split('?')[0] ?? '';
  return bare.length > 1 ? bare.replace(/\/+$/, '') : bare;
}

function providerOf(path: string, headers: WebhookRequest['headers']): Provider | undefined {
  if (path === REFRESH_PATH) return 'refresh';
  if (headers['x-github-event']) return 'github';
  if (headers['x-gitlab-event']) return 'gitlab';
  return undefined;
}

/** Where each provider's secret lives in argocd-secret, for refusals that say what to configure. */
const SECRET_KEY: Record<Provider, string> = {
  github: 'webhook.github.secret',
  gitlab: 'webhook.gitlab.secret',
  refresh: 'webhook.refresh.token',
};

function authenticate(provider: Provider, request: WebhookRequest, config: WebhookConfig): Verdict {
  const secret =
    provider === 'github'
      ? config.secrets.github
      : provider === 'gitlab'
        ? config.secrets.gitlab
        : config.secrets.refreshToken;
  if (secret === undefined || secret === '') {
    if (config.allowUnsigned) return { ok: true };
    return {
      ok: false,
      reason: `${SECRET_KEY[provider]} is not set in argocd-secret, so ${provider} hooks are refused (allowUnsigned is off)`,
    };
  }
  const { headers } = request;
  switch (provider) {
    case 'github':
      return verifyGitHubSignature({
        secret,
        rawBody: request.rawBody,
        header: headers['x-hub-signature-256'],
        legacyHeader: headers['x-hub-signature'],
      });
    case 'gitlab':
      return verifyToken({
        expected: secret,
        presented: headers['x-gitlab-token'],
        header: 'X-Gitlab-Token',
      });
    case 'refresh':
      return verifyToken({
        expected: secret,
        presented: bearerToken(headers.authorization),
        header: 'Authorization: Bearer token',
      });
  }
}

type Decoded =
  | { readonly kind: 'valid'; readonly value: JsonObject }
  | { readonly kind: 'invalid'; readonly message: string };

function decodeJsonObject(rawBody: Uint8Array): Decoded {
  if (rawBody.byteLength === 0) return { kind: 'invalid', message: 'body is empty; expected a JSON object' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    return { kind: 'invalid', message: 'body is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', message: `body is not valid JSON: ${(error as Error).message}` };
  }
  if (!isObject(value)) return { kind: 'invalid', message: 'body must be a JSON object' };
  return { kind: 'valid', value };
}
