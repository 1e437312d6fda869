/**
 * Argo CD's application REST paths over ApplicationRequests (a Platform is one; the api function
 * builds one from the state table and the intake queue alone): GET /api/v1/applications (`?limit=`,
 * `?continue=`), GET /api/v1/applications/{name}, POST /api/v1/applications/{name}/sync with
 * `{prune, dryRun, revision}`; and the ApplicationSet paths (applicationsets-api.ts), so whatever
 * serves the applications serves those too. `?appNamespace=` selects an app outside the control namespace, as in
 * Argo CD. Failures the caller caused answer 4xx with the reason; anything else is thrown for the
 * server to answer 500.
 */
import { DriftlessError, isDriftlessError, messageOf } from '../errors/index.js';
import { nameOfRef } from '../pipeline/app-names.js';
import type { ApplicationRequests } from '../pipeline/app-requests.js';
import { DEFAULT_APP_NAMESPACE } from '../state/index.js';
import { answerApplicationSetsRequest, isApplicationSetsPath } from './applicationsets-api.js';
import { type ApiRequest, type ApiResponse, jsonAnswer } from './http-message.js';

export const APPLICATIONS_PATH = '/api/v1/applications';

export interface ApplicationsRequestOptions {
  readonly applications: ApplicationRequests;
  readonly request: ApiRequest;
}

export function isApplicationsPath(path: string): boolean {
  const trimmed = path.replace(/\/+$/, '');
  return (
    trimmed === APPLICATIONS_PATH ||
    trimmed.startsWith(`${APPLICATIONS_PATH}/`) ||
    isApplicationSetsPath(trimmed)
  );
}

export async function answerApplicationsRequest(options: ApplicationsRequestOptions): Promise<ApiResponse> {
  try {
    if (isApplicationSetsPath(options.request.path)) {
      return await answerApplicationSetsRequest(options.applications, options.request);
    }
    return await route(options.applications, options.request);
  } catch (e) {
    if (isDriftlessError(e, 'NOT_FOUND')) return jsonAnswer(404, { error: messageOf(e) });
    if (isDriftlessError(e) && !e.retryable) return jsonAnswer(400, { error: messageOf(e) });
    throw e;
  }
}

async function route(applications: ApplicationRequests, request: ApiRequest): Promise<ApiResponse> {
  const method = request.method.toUpperCase();
  const query = new URLSearchParams(request.query);
  const path = request.path.replace(/\/+$/, '');
  if (path === APPLICATIONS_PATH) {
    if (method !== 'GET')
      return jsonAnswer(405, { error: `${method} is not allowed on ${APPLICATIONS_PATH}` });
    const limit = Number(query.get('limit') ?? '100');
    const cursor = query.get('continue') ?? undefined;
    const page = await applications.listApps({
      limit: Number.isFinite(limit) && limit > 0 ? limit : 100,
      ...(cursor ? { cursor } : {}),
    });
    return jsonAnswer(200, {
      items: page.items,
      metadata: page.cursor === undefined ? {} : { continue: page.cursor },
    });
  }
  if (!path.startsWith(`${APPLICATIONS_PATH}/`)) return jsonAnswer(404, { error: `no API at ${path}` });
  const [rawName, action, ...rest] = path.slice(APPLICATIONS_PATH.length + 1).split('/');
  if (rawName === undefined || rawName === '' || rest.length > 0)
    return jsonAnswer(404, { error: `no API at ${path}` });
  const namespace = query.get('appNamespace') || DEFAULT_APP_NAMESPACE;
  const name = nameOfRef({ namespace, name: decodeURIComponent(rawName) });
  if (action === undefined) {
    if (method !== 'GET') return jsonAnswer(405, { error: `${method} is not allowed on ${path}` });
    const app = await applications.getApp(name);
    return app === undefined
      ? jsonAnswer(404, { error: `application "${name}" not found` })
      : jsonAnswer(200, app);
  }
  if (action === 'sync' && method === 'POST') {
    const body = parseBody(request.rawBody);
    const { operationId } = await applications.syncApp(name, {
      ...(typeof body.prune === 'boolean' ? { prune: body.prune } : {}),
      ...(typeof body.dryRun === 'boolean' ? { dryRun: body.dryRun } : {}),
      ...(typeof body.revision === 'string' && body.revision !== '' ? { revision: body.revision } : {}),
      ...(request.user === undefined ? {} : { initiatedBy: request.user }),
    });
    return jsonAnswer(202, { operationId, message: `sync of ${name} queued` });
  }
  return jsonAnswer(404, { error: `no API at ${method} ${path}` });
}

function parseBody(raw: Uint8Array): Record<string, unknown> {
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
