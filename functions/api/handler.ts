/**
 * The read and sync API on Argo CD's REST paths, for `driftless app ...` and any client of Argo
 * CD's API: GET /api/v1/applications, GET /api/v1/applications/{name}, POST
 * /api/v1/applications/{name}/sync ({prune, dryRun, revision}). The routing lives in shared/api,
 * which `driftless serve` shares; this handler only translates API Gateway's event.
 */
import { answerApplicationsRequest } from '../../shared/api/applications-api.js';
import type { ApplicationRequests } from '../../shared/pipeline/app-requests.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Metrics } from '../../shared/ports/metrics.js';
import { type HttpApiEvent, type HttpApiResult, httpRequestOf, jsonResult } from '../lambda-types.js';
import { lazyHandler, observedHandler } from '../middleware.js';
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
        ...httpRequestOf(event, clock.now()),
        query: event.rawQueryString ?? '',
        ...(user === undefined ? {} : { user }),
      },
    });
    return jsonResult(answer.status, answer.body);
  };
  return observedHandler(base, { logger, metrics });
}

export const handler = lazyHandler(() => makeHandler(createApiDeps()));
