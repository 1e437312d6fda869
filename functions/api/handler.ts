/**
 * The read and sync API on Argo CD's REST paths, for `driftless app ...` and any client of Argo
 * CD's API: GET /api/v1/applications, GET /api/v1/applications/{name}, POST
 * /api/v1/applications/{name}/sync ({prune, dryRun, revision}). The routing lives in shared/api,
 * which `driftless serve` shares; this handler only translates API Gateway's event.
 */
import middy from '@middy/core';
import { answerApplicationsRequest } from '../../shared/api/applications-api.js';
import type { ApplicationRequests } from '../../shared/pipeline/app-requests.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import {
  type HttpApiEvent,
  type HttpApiResult,
  jsonResult,
  type LambdaContext,
  lowerCaseHeaders,
  rawBodyOf,
} from '../lambda-types.js';
import { flushMetrics, logFailures } from '../middleware.js';
import { createApiDeps } from './deps.js';

export interface ApiHandlerDeps {
  /** A Platform is one too (tests hand it over); deps.ts builds the table-only kind. */
  readonly applications: ApplicationRequests;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function makeHandler(deps: ApiHandlerDeps) {
  const { metrics, logger, clock } = deps;
  const base = async (event: HttpApiEvent): Promise<HttpApiResult> => {
    const user = event.requestContext.authorizer?.iam?.userArn;
    const answer = await answerApplicationsRequest({
      applications: deps.applications,
      request: {
        method: event.requestContext.http.method,
        path: event.rawPath,
        query: event.rawQueryString ?? '',
        headers: lowerCaseHeaders(event.headers),
        rawBody: rawBodyOf(event),
        now: clock.now(),
        ...(user === undefined ? {} : { user }),
      },
    });
    return jsonResult(answer.status, answer.body);
  };
  return middy<HttpApiEvent, HttpApiResult, Error, LambdaContext & Record<string, never>>(base)
    .use(logFailures(logger))
    .use(flushMetrics(metrics));
}

let built: ReturnType<typeof makeHandler> | undefined;

export const handler = (event: HttpApiEvent, context: LambdaContext): Promise<HttpApiResult> => {
  built ??= makeHandler(createApiDeps());
  return built(event, context as never);
};
