/**
 * POST /api/webhook and POST /api/v1/refresh: verify, dedupe, route and queue; answer in
 * milliseconds. The body is taken raw (API Gateway base64-encodes binary bodies) because the
 * signature covers the exact bytes the provider sent.
 */
import type { Platform } from '../../shared/pipeline/index.js';
import { type HttpApiEvent, type HttpApiResult, httpRequestOf, jsonResult } from '../lambda-types.js';
import { lazyHandler, observedHandler } from '../middleware.js';
import { createWebhookDeps } from './deps.js';

export interface WebhookHandlerDeps {
  /** The intake entry alone; deps.ts wires no more than it reaches. */
  readonly platform: Pick<Platform, 'acceptWebhook' | 'runtime'>;
}

export function makeHandler(deps: WebhookHandlerDeps) {
  const { metrics, logger, clock } = deps.platform.runtime.deps;
  const base = async (event: HttpApiEvent): Promise<HttpApiResult> => {
    const answer = await deps.platform.acceptWebhook(httpRequestOf(event, clock.now()));
    return jsonResult(answer.status, {
      ...answer.body,
      ...(answer.queued.length > 0 ? { queued: answer.queued } : {}),
    });
  };
  return observedHandler(base, { logger, metrics });
}

export const handler = lazyHandler(() => makeHandler(createWebhookDeps()));
