/**
 * Every HTTP path of the platform in one place, for a server that hosts them all (`driftless
 * serve`): the webhook endpoints, Argo CD's application API and a health check. In AWS the same
 * pieces sit behind separate Lambda functions, each calling the part it owns.
 */
import type { Platform } from '../pipeline/platform.js';
import { REFRESH_PATH, WEBHOOK_PATH } from '../webhook/index.js';
import { answerApplicationsRequest, isApplicationsPath } from './applications-api.js';
import { type ApiRequest, type ApiResponse, jsonAnswer } from './http-message.js';

export const HEALTH_PATH = '/healthz';

export interface PlatformRequestOptions {
  readonly platform: Platform;
  readonly request: ApiRequest;
}

export async function answerPlatformRequest(options: PlatformRequestOptions): Promise<ApiResponse> {
  const { platform, request } = options;
  const path = request.path.replace(/(.)\/+$/, '$1');
  if (path === HEALTH_PATH) {
    return request.method.toUpperCase() === 'GET'
      ? jsonAnswer(200, { status: 'ok' })
      : jsonAnswer(405, { error: `${request.method} is not allowed on ${HEALTH_PATH}` });
  }
  if (path === WEBHOOK_PATH || path === REFRESH_PATH) return answerWebhook(platform, request);
  if (isApplicationsPath(path)) return answerApplicationsRequest({ applications: platform, request });
  return jsonAnswer(404, { error: `no API at ${request.method.toUpperCase()} ${request.path}` });
}

/** The webhook intake, answered as the webhook Lambda answers it. */
export async function answerWebhook(platform: Platform, request: ApiRequest): Promise<ApiResponse> {
  const answer = await platform.acceptWebhook({
    method: request.method,
    path: request.path,
    headers: request.headers,
    rawBody: request.rawBody,
    now: request.now,
  });
  return jsonAnswer(answer.status, {
    ...answer.body,
    ...(answer.queued.length > 0 ? { queued: answer.queued } : {}),
  });
}
