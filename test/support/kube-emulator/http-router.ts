/**
 * The HTTP face of the emulator: maps a request to discovery, OpenAPI or a resource verb,
 * applies fault rules, records the request and writes JSON or Status answers the way
 * kube-apiserver does (unknown paths get Go's plain-text 404).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiServer, Reply, Target, WriteOptions } from './api-server.js';
import {
  AGGREGATED_CONTENT_TYPE,
  aggregatedApi,
  aggregatedApis,
  etagOf,
  legacyApi,
  legacyApis,
  legacyGroup,
  legacyResourceList,
  openApiGroupVersion,
  openApiRoot,
  SERVER_VERSION,
  wantsAggregated,
} from './discovery.js';
import type { FaultInjector } from './faults.js';
import type { ResourceType } from './resource-registry.js';
import { ApiError, methodNotAllowed, tooManyRequests } from './status-errors.js';
import type { JsonObject, RecordedRequest, RequestVerb } from './types.js';
import { serveWatch } from './watch-stream.js';

export interface RouterDeps {
  readonly api: ApiServer;
  readonly faults: FaultInjector;
  readonly record: (r: RecordedRequest) => void;
  readonly openWatches: Set<() => void>;
}

interface ResourceRoute {
  readonly target: Target;
  readonly verb: RequestVerb;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, e: ApiError): void {
  const headers: Record<string, string> = {};
  if (e.details?.retryAfterSeconds) headers['Retry-After'] = String(e.details.retryAfterSeconds);
  sendJson(res, e.code, e.body(), headers);
}

const NOT_FOUND_TEXT = '404 page not found\n';

function verbFor(
  method: string,
  named: boolean,
  query: Record<string, string>,
  contentType: string,
): RequestVerb {
  switch (method) {
    case 'GET':
      if (named) return 'get';
      return query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return contentType.startsWith('application/apply-patch') ? 'apply' : 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return 'other';
  }
}

export class HttpRouter {
  constructor(private readonly deps: RouterDeps) {}

  private resolve(
    segments: readonly string[],
  ): { rt: ResourceType; rest: string[]; namespace?: string } | undefined {
    const { registry } = this.deps.api;
    let group: string;
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments.length >= 3) {
      group = '';
      version = segments[1] ?? '';
      rest = segments.slice(2);
    } else if (segments[0] === 'apis' && segments.length >= 4) {
      group = segments[1] ?? '';
      version = segments[2] ?? '';
      rest = segments.slice(3);
    } else return undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const rt = registry.find(group, version, rest[2] ?? '');
      if (rt?.namespaced) return { rt, rest: rest.slice(3), namespace: rest[1] ?? '' };
    }
    const rt = registry.find(group, version, rest[0] ?? '');
    if (!rt) return undefined;
    return { rt, rest: rest.slice(1) };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const method = req.method ?? 'GET';
    const contentType = String(req.headers['content-type'] ?? '');
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const resolved = this.resolve(segments);
    const base: RecordedRequest = {
      method,
      path: url.pathname,
      query,
      verb: resolved
        ? verbFor(method, resolved.rest.length > 0, query, contentType)
        : segments[0] === 'api' || segments[0] === 'apis'
          ? 'discovery'
          : 'other',
      group: resolved?.rt.group ?? '',
      version: resolved?.rt.version ?? '',
      resource: resolved?.rt.resource ?? '',
      dryRun: query.dryRun === 'All',
      ...(resolved?.rest[1] ? { subresource: resolved.rest[1] } : {}),
      ...(resolved?.namespace !== undefined ? { namespace: resolved.namespace } : {}),
      ...(resolved?.rest[0] ? { name: resolved.rest[0] } : {}),
      ...(query.fieldManager ? { fieldManager: query.fieldManager } : {}),
      status: 0,
    };
    res.on('finish', () => this.deps.record({ ...base, status: res.statusCode }));
    res.on('close', () => {
      if (!res.writableFinished) this.deps.record({ ...base, status: 0 });
    });
    try {
      if (!resolved) {
        this.discovery(req, res, segments);
        return;
      }
      const fault = this.deps.faults.decide({
        verb: base.verb,
        resource: resolved.rt.resource,
        kind: resolved.rt.kind,
      });
      if (fault.latencyMs > 0) await new Promise((r) => setTimeout(r, fault.latencyMs));
      if (fault.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'status') {
        if (fault.status === 429)
          throw tooManyRequests(
            'the server has received too many requests and has asked us to try again later',
            1,
          );
        if (fault.status === 503)
          throw new ApiError(
            503,
            'ServiceUnavailable',
            'the server is currently unable to handle the request',
          );
        if (fault.status === 500)
          throw new ApiError(500, 'InternalError', 'Internal error occurred: injected fault', {
            causes: [{ message: 'injected fault' }],
          });
        throw new ApiError(502, undefined, 'bad gateway (injected fault)');
      }
      const body = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ? await readBody(req) : '';
      const route: ResourceRoute = {
        target: {
          rt: resolved.rt,
          ...(resolved.namespace !== undefined ? { namespace: resolved.namespace } : {}),
          ...(resolved.rest[0] ? { name: resolved.rest[0] } : {}),
          ...(resolved.rest[1] ? { subresource: resolved.rest[1] } : {}),
        },
        verb: base.verb,
      };
      if (resolved.rest.length > 2) {
        sendText(res, 404, NOT_FOUND_TEXT);
        return;
      }
      this.resource(req, res, route, query, body, contentType);
    } catch (e) {
      if (e instanceof ApiError) sendError(res, e);
      else
        sendError(
          res,
          new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`, {
            causes: [{ message: (e as Error).message }],
          }),
        );
    }
  }

  private resource(
    req: IncomingMessage,
    res: ServerResponse,
    route: ResourceRoute,
    query: Record<string, string>,
    body: string,
    contentType: string,
  ): void {
    const { api } = this.deps;
    const { target, verb } = route;
    const { rt } = target;
    if (target.subresource !== undefined) {
      const sub = rt.subresources.find((s) => s.name === target.subresource);
      if (sub?.name !== 'status') {
        sendText(res, 404, NOT_FOUND_TEXT);
        return;
      }
      const allowed = verb === 'get' || verb === 'update' || verb === 'patch' || verb === 'apply';
      if (!allowed) throw methodNotAllowed(rt, verb);
    } else {
      const needed = verb === 'apply' ? 'patch' : verb;
      if (!rt.verbs.includes(needed)) throw methodNotAllowed(rt, verb);
    }
    const options: WriteOptions = {
      dryRun: query.dryRun === 'All',
      ...(query.fieldManager ? { fieldManager: query.fieldManager } : {}),
      ...(req.headers['user-agent'] ? { userAgent: String(req.headers['user-agent']) } : {}),
      force: query.force === 'true',
    };
    const parseJson = (): unknown => {
      if (body.trim() === '') return {};
      try {
        return JSON.parse(body);
      } catch (e) {
        throw new ApiError(
          400,
          'BadRequest',
          `couldn't get version/kind; json parse error: ${(e as Error).message}`,
        );
      }
    };
    let reply: Reply;
    switch (verb) {
      case 'get':
        reply = api.get(target);
        break;
      case 'list':
        reply = api.list(target, query);
        break;
      case 'watch': {
        const close = serveWatch(api, target, query, res);
        this.deps.openWatches.add(close);
        res.on('close', () => this.deps.openWatches.delete(close));
        return;
      }
      case 'create':
        reply = api.create(target, parseJson(), options);
        break;
      case 'update':
        reply = api.update(target, parseJson(), options);
        break;
      case 'patch':
      case 'apply':
        reply = api.patch(target, contentType, body, options);
        break;
      case 'delete':
      case 'deletecollection': {
        const parsed = parseJson() as JsonObject;
        const deleteOptions = {
          ...parsed,
          ...(query.propagationPolicy ? { propagationPolicy: query.propagationPolicy } : {}),
        };
        const deleteDryRun =
          options.dryRun || (Array.isArray(parsed.dryRun) && parsed.dryRun.includes('All'));
        const o = { ...options, dryRun: deleteDryRun };
        reply =
          verb === 'delete'
            ? api.delete(target, deleteOptions, o)
            : api.deleteCollection(target, query, deleteOptions, o);
        break;
      }
      default:
        throw methodNotAllowed(rt, verb);
    }
    sendJson(res, reply.status, reply.body);
  }

  private discovery(req: IncomingMessage, res: ServerResponse, segments: readonly string[]): void {
    const { registry } = this.deps.api;
    const path = segments.join('/');
    const accept = String(req.headers.accept ?? '');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 404, NOT_FOUND_TEXT);
      return;
    }
    if (path === 'api' || path === 'apis') {
      if (wantsAggregated(accept)) {
        const text = JSON.stringify(path === 'api' ? aggregatedApi(registry) : aggregatedApis(registry));
        const etag = etagOf(text);
        const headers = { ETag: etag, Vary: 'Accept', 'Cache-Control': 'public' };
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, headers);
          res.end();
          return;
        }
        res.writeHead(200, {
          'Content-Type': AGGREGATED_CONTENT_TYPE,
          'Content-Length': Buffer.byteLength(text),
          ...headers,
        });
        res.end(text);
        return;
      }
      const host = String(req.headers.host ?? '127.0.0.1');
      sendJson(res, 200, path === 'api' ? legacyApi(host) : legacyApis(registry));
      return;
    }
    if (path === 'version') {
      sendJson(res, 200, SERVER_VERSION);
      return;
    }
    if (path === 'healthz' || path === 'readyz' || path === 'livez') {
      sendText(res, 200, 'ok');
      return;
    }
    if (segments[0] === 'api' && segments.length === 2) {
      const doc = legacyResourceList(registry, '', segments[1] ?? '');
      if (doc) {
        sendJson(res, 200, doc);
        return;
      }
    }
    if (segments[0] === 'apis' && segments.length === 2) {
      const doc = legacyGroup(registry, segments[1] ?? '');
      if (doc) {
        sendJson(res, 200, doc);
        return;
      }
    }
    if (segments[0] === 'apis' && segments.length === 3) {
      const doc = legacyResourceList(registry, segments[1] ?? '', segments[2] ?? '');
      if (doc) {
        sendJson(res, 200, doc);
        return;
      }
    }
    if (segments[0] === 'openapi' && segments[1] === 'v3') {
      if (segments.length === 2) {
        sendJson(res, 200, openApiRoot(registry));
        return;
      }
      const rest = segments.slice(2);
      const doc =
        rest[0] === 'api' && rest.length === 2
          ? openApiGroupVersion(registry, '', rest[1] ?? '')
          : rest[0] === 'apis' && rest.length === 3
            ? openApiGroupVersion(registry, rest[1] ?? '', rest[2] ?? '')
            : undefined;
      if (doc) {
        sendJson(res, 200, doc);
        return;
      }
    }
    if (segments.length === 0) {
      sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/openapi/v3', '/version'] });
      return;
    }
    sendText(res, 404, NOT_FOUND_TEXT);
  }
}
