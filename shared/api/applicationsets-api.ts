/**
 * Argo CD's ApplicationSet read paths over ApplicationRequests: GET /api/v1/applicationsets
 * (`{items}`) and GET /api/v1/applicationsets/{name}, each with `status.conditions` and
 * `status.resources` as the last reconcile stored them in the state table.
 */
import type { ApplicationRequests } from '../pipeline/app-requests.js';
import { type ApiRequest, type ApiResponse, jsonAnswer } from './http-message.js';

export const APPLICATIONSETS_PATH = '/api/v1/applicationsets';

export function isApplicationSetsPath(path: string): boolean {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === APPLICATIONSETS_PATH || trimmed.startsWith(`${APPLICATIONSETS_PATH}/`);
}

export async function answerApplicationSetsRequest(
  applications: ApplicationRequests,
  request: ApiRequest,
): Promise<ApiResponse> {
  const method = request.method.toUpperCase();
  const path = request.path.replace(/\/+$/, '');
  if (method !== 'GET') return jsonAnswer(405, { error: `${method} is not allowed on ${path}` });
  if (path === APPLICATIONSETS_PATH) {
    return jsonAnswer(200, { items: await applications.listAppSets(), metadata: {} });
  }
  const [rawName, ...rest] = path.slice(APPLICATIONSETS_PATH.length + 1).split('/');
  if (rawName === undefined || rawName === '' || rest.length > 0) {
    return jsonAnswer(404, { error: `no API at ${path}` });
  }
  const name = decodeURIComponent(rawName);
  const appSet = await applications.getAppSet(name);
  return appSet === undefined
    ? jsonAnswer(404, { error: `applicationset "${name}" not found` })
    : jsonAnswer(200, appSet);
}
