/**
 * POST /api/webhook and POST /api/v1/refresh: verify, dedupe, route and queue; answer in
 * milliseconds. The body is taken raw (API Gateway base64-encodes binary bodies) because the
 * signature covers the exact bytes the provider sent.
 */
import middy from '@middy/core';
import type { Platform } from '../../shared/pipeline/index.js';
import {
  type HttpApiEvent,
  type HttpApiResult,
  jsonResult,
  type LambdaContext,
  lowerCaseHeaders,
  rawBodyOf,
} from '../lambda-types.js';
import { flushMetrics, logFailures } from '../middleware.js';
import { createWebhookDeps } from './deps.js';

export interface WebhookHandlerDeps {
  /** The intake entry alone; deps.ts wires no more than it reaches. */
  readonly platform: Pick<Platform, 'acceptWebhook' | 'runtime'>;
}

export function makeHandler(deps: WebhookHandlerDeps) {
  const { metrics, logger, clock } = deps.platform.runtime.deps;
  const base = async (event: HttpApiEvent): Promise<HttpApiResult> => {
    const answer = await deps.platform.acceptWebhook({
      method: event.requestContext.http.method,
      path: event.rawPath,
      headers: lowerCaseHeaders(event.headers),
      rawBody: rawBodyOf(event),
      now: clock.now(),
    });
    return jsonResult(answer.status, {
      ...answer.body,
      ...(answer.queued.length > 0 ? { queued: answer.queued } : {}),
    });
  };
  return middy<HttpApiEvent, HttpApiResult, Error, LambdaContext & Record<string, never>>(base)
    .use(logFailures(logger))
    .use(flushMetrics(metrics));
}

let built: ReturnType<typeof makeHandler> | undefined;

export const handler = (event: HttpApiEvent, context: LambdaContext): Promise<HttpApiResult> => {
  built ??= makeHandler(createWebhookDeps());
  return built(event, context as never);
};
