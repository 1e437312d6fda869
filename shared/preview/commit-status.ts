/**
 * Reporting a preview's sync result back to the pull request: a GitHub commit status
 * (`POST /repos/{owner}/{repo}/statuses/{sha}`) or a GitLab commit status
 * (`POST /projects/:id/statuses/:sha`, no pipeline needed). The port lets the pipeline stay free
 * of HTTP; the implementation is plain fetch against a configurable API base URL (GitHub
 * Enterprise, self-managed GitLab, or a local server in tests).
 */
import type { PullRequestRepository } from '../appset/index.js';
import { DriftlessError, messageOf } from '../errors/index.js';

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatus {
  readonly repository: PullRequestRepository;
  readonly sha: string;
  readonly state: CommitState;
  /** GitHub's `context`, GitLab's `name`. */
  readonly context: string;
  readonly description: string;
  readonly targetUrl?: string;
}

export interface CommitStatusReporter {
  report(status: CommitStatus): Promise<void>;
}

export const PREVIEW_STATUS_CONTEXT = 'driftless/preview';

export interface ProviderEndpoint {
  /** `https://api.github.com`, `https://gitlab.example.com/api/v4`, ... */
  readonly baseURL: string;
  readonly token: string;
}

export interface HttpCommitStatusOptions {
  readonly github?: ProviderEndpoint;
  readonly gitlab?: ProviderEndpoint;
  readonly fetch?: typeof fetch;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

/** GitLab's words for the same outcomes. */
const GITLAB_STATE: Readonly<Record<CommitState, string>> = {
  pending: 'running',
  success: 'success',
  failure: 'failed',
  error: 'failed',
};

export class HttpCommitStatusReporter implements CommitStatusReporter {
  readonly #options: HttpCommitStatusOptions;

  constructor(options: HttpCommitStatusOptions) {
    this.#options = options;
  }

  /** Whether a token is configured for the provider; without one nothing is posted. */
  configuredFor(provider: PullRequestRepository['provider']): boolean {
    return this.#options[provider] !== undefined;
  }

  async report(status: CommitStatus): Promise<void> {
    const { provider, repository } = status.repository;
    const endpoint = this.#options[provider];
    if (endpoint === undefined) return;
    const base = endpoint.baseURL.replace(/\/+$/, '');
    const request: { url: string; headers: Record<string, string>; body: Record<string, string> } =
      provider === 'github'
        ? {
            url: `${base}/repos/${repository.split('/').map(encodeURIComponent).join('/')}/statuses/${status.sha}`,
            headers: {
              authorization: `Bearer ${endpoint.token}`,
              accept: 'application/vnd.github+json',
              'x-github-api-version': '2022-11-28',
            },
            body: {
              state: status.state,
              context: status.context,
              description: status.description.slice(0, 140),
              ...(status.targetUrl === undefined ? {} : { target_url: status.targetUrl }),
            },
          }
        : {
            url: `${base}/projects/${encodeURIComponent(repository)}/statuses/${status.sha}`,
            headers: { 'private-token': endpoint.token },
            body: {
              state: GITLAB_STATE[status.state],
              name: status.context,
              description: status.description.slice(0, 255),
              ...(status.targetUrl === undefined ? {} : { target_url: status.targetUrl }),
            },
          };
    const send = this.#options.fetch ?? fetch;
    let response: Response;
    try {
      response = await send(request.url, {
        method: 'POST',
        headers: { ...request.headers, 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch (e) {
      throw new DriftlessError(
        'UNAVAILABLE',
        `commit status for ${provider}:${repository}@${status.sha.slice(0, 7)}: ${messageOf(e)}`,
        { retryable: true, cause: e, context: { provider, repository } },
      );
    }
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 200);
      throw new DriftlessError(
        response.status >= 500 || response.status === 429 ? 'UNAVAILABLE' : 'INVALID_INPUT',
        `commit status for ${provider}:${repository}@${status.sha.slice(0, 7)}: ${response.status} ${text}`,
        {
          retryable: response.status >= 500 || response.status === 429,
          context: { provider, repository, status: response.status },
        },
      );
    }
  }
}
