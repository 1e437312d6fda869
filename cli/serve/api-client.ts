/**
 * The client side of the platform's application API (Argo CD's REST paths), for `driftless app`.
 * Errors name the server, the request and the answer's status, so "connection refused" and "no
 * such app" read differently.
 */
import { DriftlessError, messageOf } from '../../shared/errors/index.js';
import type { ApplicationView } from '../../shared/pipeline/index.js';

export interface SyncOptions {
  readonly prune?: boolean;
  readonly dryRun?: boolean;
  readonly revision?: string;
}

export class PlatformApiClient {
  readonly server: string;

  constructor(options: { readonly server: string }) {
    this.server = options.server.replace(/\/+$/, '');
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

  async syncApp(
    name: string,
    options: SyncOptions = {},
  ): Promise<{ readonly operationId: string; readonly message: string }> {
    return (await this.#call('POST', appPath(name, '/sync'), options)) as {
      operationId: string;
      message: string;
    };
  }

  async #call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.server}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause;
      throw new DriftlessError(
        'UNAVAILABLE',
        `${method} ${url}: ${cause === undefined ? messageOf(e) : messageOf(cause)} (is driftless serve running there?)`,
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
      const reason =
        typeof (parsed as { error?: unknown } | undefined)?.error === 'string'
          ? (parsed as { error: string }).error
          : text.slice(0, 200);
      throw new DriftlessError(
        response.status === 404 ? 'NOT_FOUND' : 'UNAVAILABLE',
        `${method} ${url}: ${response.status} ${response.statusText}: ${reason}`,
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

/** `NAMESPACE/NAME` selects an app outside the control namespace, as `argocd app get` takes it. */
function appPath(name: string, action = ''): string {
  const slash = name.indexOf('/');
  const app = slash < 0 ? name : name.slice(slash + 1);
  const query = slash < 0 ? '' : `?${new URLSearchParams({ appNamespace: name.slice(0, slash) })}`;
  return `/api/v1/applications/${encodeURIComponent(app)}${action}${query}`;
}
