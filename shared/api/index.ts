/**
 * The platform's HTTP surface, independent of what serves it. A server (API Gateway + Lambda, or
 * node:http in `driftless serve`) turns its request into an ApiRequest, asks the part that owns
 * the path, and sends the ApiResponse back as JSON:
 * - answerWebhook: POST /api/webhook and POST /api/v1/refresh (verify, route, queue);
 * - answerApplicationsRequest: Argo CD's /api/v1/applications… paths (read, sync) and
 *   /api/v1/applicationsets… (read);
 * - answerPlatformRequest: all of the above plus GET /healthz, for a single local server.
 */
export * from './applications-api.js';
export * from './applicationsets-api.js';
export * from './http-message.js';
export * from './platform-router.js';
