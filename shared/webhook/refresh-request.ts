/**
 * The body of `POST /api/v1/refresh`, for CI systems without a native hook (Jenkins, say):
 * `{"repoURL": "...", "revision": "main", "paths": ["apps/web/deployment.yaml"]}` refreshes the
 * apps a push of those files would, or `{"app": "web"}` refreshes one Application by name.
 */
import { type JsonObject, PayloadFields } from './payload-fields.js';
import type { RepoEvent } from './webhook-types.js';

export function parseRefreshRequest(body: JsonObject): RepoEvent {
  const fields = new PayloadFields('refresh request', body);
  const app = fields.optionalString('app');
  const repoURL = fields.optionalString('repoURL');
  if (app !== undefined && repoURL !== undefined) {
    fields.fail('app', 'give either "app" or "repoURL", not both');
  }
  if (app !== undefined) {
    if (app.trim() === '') fields.fail('app', 'must not be empty');
    return { kind: 'refresh-app', provider: 'refresh', app };
  }
  if (repoURL === undefined || repoURL.trim() === '') {
    return fields.fail('repoURL', 'is required (or "app" to refresh one Application)');
  }
  const revision = fields.optionalString('revision');
  return {
    kind: 'refresh-repo',
    provider: 'refresh',
    repoURL,
    ...(revision === undefined || revision === '' ? {} : { revision }),
    paths: fields.strings('paths'),
  };
}
