/**
 * The read and sync API on Argo CD's REST paths, for `driftless app ...` and any client of Argo
 * CD's API: GET /api/v1/applications, GET /api/v1/applications/{name}, POST
 * /api/v1/applications/{name}/sync ({prune, dryRun, revision}). `?appNamespace=` selects an app
 * outside the control namespace, as in Argo CD.
 */
import middy from '@middy/core';
import { DriftlessError, isDriftlessError, messageOf } from '../../shared/errors/index.js';
import { nameOfRef, type Platform } from '../../shared/pipeline/index.js';
import { DEFAULT_APP_NAMESPACE } from '../../shared/state/index.js';
import { createAwsPlatform } from '../aws-platform.js';
import {
  type HttpApiEvent,
  type HttpApiResult,
  jsonResult,
  type LambdaContext,
  rawBodyOf,
} from '../lambda-types.js';
import { flushMetrics, logFailures } from '../middleware.js';

export interface ApiHandlerDeps {
  readonly platform: Platform;
}

const PREFIX = '/api/v1/applications';

export function makeHandler(deps: ApiHandlerDeps) {
  const { metrics, logger } = deps.platform.runtime.deps;
  const base = async (event: HttpApiEvent): Promise<HttpApiResult> => {
    try {
      return await route(deps.platform, event);
    } catch (e) {
      if (isDriftlessError(e, 'NOT_FOUND')) return jsonResult(404, { error: messageOf(e) });
      if (isDriftlessError(e) && !e.retryable) return jsonResult(400, { error: messageOf(e) });
      throw e;
    }
  };
  return middy<HttpApiEvent, HttpApiResult, Error, LambdaContext & Record<string, never>>(base)
    .use(logFailures(logger))
    .use(flushMetrics(metrics));
}

async function route(platform: Platform, event: HttpApiEvent): Promise<HttpApiResult> {
  const method = event.requestContext.http.method.toUpperCase();
  const query = new URLSearchParams(event.rawQueryString ?? '');
  const path = event.rawPath.replace(/\/+$/, '');
  if (path === PREFIX) {
    if (method !== 'GET') return jsonResult(405, { error: `${method} is not allowed on ${PREFIX}` });
    const limit = Number(query.get('limit') ?? '100');
    const cursor = query.get('continue') ?? undefined;
    const page = await platform.listApps({
      limit: Number.isFinite(limit) && limit > 0 ? limit : 100,
      ...(cursor ? { cursor } : {}),
    });
    return jsonResult(200, {
      items: page.items,
      metadata: page.cursor === undefined ? {} : { continue: page.cursor },
    });
  }
  if (!path.startsWith(`${PREFIX}/`)) return jsonResult(404, { error: `no API at ${path}` });
  const [rawName, action, ...rest] = path.slice(PREFIX.length + 1).split('/');
  if (rawName === undefined || rawName === '' || rest.length > 0)
    return jsonResult(404, { error: `no API at ${path}` });
  const namespace = query.get('appNamespace') || DEFAULT_APP_NAMESPACE;
  const name = nameOfRef({ namespace, name: decodeURIComponent(rawName) });
  if (action === undefined) {
    if (method !== 'GET') return jsonResult(405, { error: `${method} is not allowed on ${path}` });
    const app = await platform.getApp(name);
    return app === undefined
      ? jsonResult(404, { error: `application "${name}" not found` })
      : jsonResult(200, app);
  }
  if (action === 'sync' && method === 'POST') {
    const body = parseBody(event);
    const user = event.requestContext.authorizer?.iam?.userArn;
    const { operationId } = await platform.syncApp(name, {
      ...(typeof body.prune === 'boolean' ? { prune: body.prune } : {}),
      ...(typeof body.dryRun === 'boolean' ? { dryRun: body.dryRun } : {}),
      ...(typeof body.revision === 'string' && body.revision !== '' ? { revision: body.revision } : {}),
      ...(user === undefined ? {} : { initiatedBy: user }),
    });
    return jsonResult(202, { operationId, message: `sync of ${name} queued` });
  }
  return jsonResult(404, { error: `no API at ${method} ${path}` });
}

function parseBody(event: HttpApiEvent): Record<string, unknown> {
  const raw = rawBodyOf(event);
  if (raw.byteLength === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (e) {
    throw new DriftlessError('INVALID_MANIFEST', `sync request body is not JSON: ${messageOf(e)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DriftlessError('INVALID_MANIFEST', 'sync request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

let built: ReturnType<typeof makeHandler> | undefined;

export const handler = (event: HttpApiEvent, context: LambdaContext): Promise<HttpApiResult> => {
  built ??= makeHandler({ platform: createAwsPlatform({ service: 'api' }) });
  return built(event, context as never);
};
