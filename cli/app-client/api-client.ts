import { DriftlessError, messageOf } from '../../shared/errors/index.js';
import type { ApplicationSetView, ApplicationView } from '../../shared/pipeline/index.js';
import { plainSender, type RequestSender } from './request-sender.js';

export interface AppSyncOptions {
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly revision?: string;
}

export interface AppApiClientOptions {
  readonly server: string;
  /** How requests leave: plain fetch, or signed first. */
  readonly send?: RequestSender;
  /** Appended to "cannot reach" errors: what the user should check about the server. */
  readonly unreachableHint?: string;
}

/**
 * Argo CD's application paths on a Driftless server. Errors name the server, the request and the
 * answer's status, so "connection refused", "forbidden" and "no such app" read differently.
 */
export class AppApiClient {
  readonly server: string;
  readonly #send: RequestSender;
  readonly #unreachableHint: string;

  constructor(options: AppApiClientOptions) {
    this.server = options.server.replace(/\/+$/, '');
    this.#send = options.send ?? plainSender;
    this.#unreachableHint = options.unreachableHint ?? 'is driftless serve running there?';
  }

  async listApps(): Promise<readonly ApplicationView[]> {
    const items: ApplicationView[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({
        limit: '100',
        ...(cursor === undefined ? {} : { continue: cursor }),
      });
      const page = (await this.#call('GET', `/api/v1/applications?${query}`)) as {
        items: ApplicationView[];
        metadata?: { continue?: string };
      };
      items.push(...page.items);
      cursor = page.metadata?.continue;
    } while (cursor !== undefined);
    return items;
  }

  async getApp(name: string): Promise<ApplicationView> {
    return (await this.#call('GET', appPath(name))) as ApplicationView;
  }

  async listAppSets(): Promise<readonly ApplicationSetView[]> {
    const page = (await this.#call('GET', '/api/v1/applicationsets')) as { items?: ApplicationSetView[] };
    return page.items ?? [];
  }

  async getAppSet(name: string): Promise<ApplicationSetView> {
    return (await this.#call(
      'GET',
      `/api/v1/applicationsets/${encodeURIComponent(name)}`,
    )) as ApplicationSetView;
  }

  async syncApp(
    name: string,
    options: AppSyncOptions = {},
  ): Promise<{ readonly operationId: string; readonly message: string }> {
    return (await this.#call('POST', appPath(name, '/sync'), options)) as {
      operationId: string;
      message: string;
    };
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.server}${path}`;
    // Signing failures (no credentials, no region) are the user's to fix, not the server's: they
    // pass through with their own message rather than as "cannot reach".
    let response: Response;
    try {
      response = await this.#send({
        method,
        url,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      if (e instanceof DriftlessError) throw e;
      const cause = (e as { cause?: unknown }).cause;
      throw new DriftlessError(
        'UNAVAILABLE',
        `${method} ${url}: ${cause === undefined ? messageOf(e) : messageOf(cause)} (${this.#unreachableHint})`,
        { retryable: true, cause: e, context: { server: this.server } },
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      throw new DriftlessError(
        response.status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE',
        `${method} ${url}: ${response.status} ${response.statusText}: ${reasonOf(parsed, text)}`,
        { retryable: response.status >= 500, context: { server: this.server, status: response.status } },
      );
    }
    if (parsed === undefined) {
      throw new DriftlessError(
        'UNAVAILABLE',
        `${method} ${url}: the answer is not JSON: ${text.slice(0, 200)}`,
        {
          context: { server: this.server },
        },
      );
    }
    return parsed;
  }
}

/** Driftless answers `{error}`; API Gateway refuses unsigned or badly signed requests with `{message}`. */
function reasonOf(parsed: unknown, text: string): string {
  const body = parsed as { error?: unknown; message?: unknown } | undefined;
  if (typeof body?.error === 'string') return body.error;
  if (typeof body?.message === 'string') return body.message;
  return text.slice(0, 200);
}

/** `NAMESPACE/NAME` selects an app outside the control namespace, as `argocd app get` takes it. */
function appPath(name: string, action = ''): string {
  const slash = name.indexOf('/');
  const app = slash < 0 ? name : name.slice(slash + 1);
  const query = slash < 0 ? '' : `?${new URLSearchParams({ appNamespace: name.slice(0, slash) })}`;
  return `/api/v1/applications/${encodeURIComponent(app)}${action}${query}`;
}
