/**
 * Where the tokens that post preview commit statuses come from: keys beside Argo CD's webhook
 * secrets, in `argocd-secret` (the config directory of `driftless serve`) or in a Secrets Manager
 * JSON secret (the Lambdas). A provider without a token posts nothing. Values are credentials:
 * messages name keys, never values.
 *
 *   driftless.github.token   a token allowed to write commit statuses (`repo:status`)
 *   driftless.github.url     the API base, default https://api.github.com (GitHub Enterprise:
 *                            https://HOST/api/v3)
 *   driftless.gitlab.token   a token with the `api` scope
 *   driftless.gitlab.url     the API base, default https://gitlab.com/api/v4
 */
import type { LoadedDocument } from '../model/index.js';
import { ProblemList, problemsError } from '../model/index.js';
import { secretFields } from '../model/secret-fields.js';
import { findArgoCdSecret } from '../webhook/index.js';
import {
  type CommitStatus,
  type CommitStatusReporter,
  type HttpCommitStatusOptions,
  HttpCommitStatusReporter,
} from './commit-status.js';

export const COMMIT_STATUS_KEYS = {
  githubToken: 'driftless.github.token',
  githubURL: 'driftless.github.url',
  gitlabToken: 'driftless.gitlab.token',
  gitlabURL: 'driftless.gitlab.url',
} as const;

export const DEFAULT_GITHUB_API = 'https://api.github.com';
export const DEFAULT_GITLAB_API = 'https://gitlab.com/api/v4';

/** Provider endpoints from decoded key/value pairs; a provider without a token is left out. */
export function commitStatusOptionsFromFields(
  fields: Readonly<Record<string, string | undefined>>,
): HttpCommitStatusOptions {
  const pick = (key: string) => {
    const value = fields[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const githubToken = pick(COMMIT_STATUS_KEYS.githubToken);
  const gitlabToken = pick(COMMIT_STATUS_KEYS.gitlabToken);
  return {
    ...(githubToken === undefined
      ? {}
      : {
          github: { baseURL: pick(COMMIT_STATUS_KEYS.githubURL) ?? DEFAULT_GITHUB_API, token: githubToken },
        }),
    ...(gitlabToken === undefined
      ? {}
      : {
          gitlab: { baseURL: pick(COMMIT_STATUS_KEYS.gitlabURL) ?? DEFAULT_GITLAB_API, token: gitlabToken },
        }),
  };
}

/** The endpoints the `argocd-secret` among these documents configures; none without one. */
export function commitStatusOptionsFromDocuments(
  documents: readonly LoadedDocument[],
): HttpCommitStatusOptions {
  const doc = findArgoCdSecret(documents);
  if (doc === undefined) return {};
  const problems = new ProblemList(doc);
  const fields = secretFields(doc.object, problems);
  if (problems.size > 0) throw problemsError(problems.toArray());
  return commitStatusOptionsFromFields(fields);
}

/**
 * A reporter whose endpoints are read when it reports, so a token added to the configuration (or
 * to the secret) takes effect without a restart, and a function that never reports never reads it.
 */
export class DeferredCommitStatusReporter implements CommitStatusReporter {
  readonly #endpoints: () => Promise<HttpCommitStatusOptions>;
  readonly #fetch: typeof fetch | undefined;

  constructor(options: {
    readonly endpoints: () => Promise<HttpCommitStatusOptions>;
    readonly fetch?: typeof fetch;
  }) {
    this.#endpoints = options.endpoints;
    this.#fetch = options.fetch;
  }

  async report(status: CommitStatus): Promise<void> {
    const endpoints = await this.#endpoints();
    if (endpoints[status.repository.provider] === undefined) return;
    const reporter = new HttpCommitStatusReporter({
      ...endpoints,
      ...(this.#fetch === undefined ? {} : { fetch: this.#fetch }),
    });
    await reporter.report(status);
  }
}
