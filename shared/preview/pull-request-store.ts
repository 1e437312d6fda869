/**
 * Where the open pull (merge) requests that webhooks announce are kept, so the ApplicationSet
 * pull request generator reads them in any later invocation. Each record keeps when its last
 * event arrived: events can come out of order, and an older one never undoes a newer one (a
 * late `synchronize` after `closed` does not reopen), and the preview TTL counts from it.
 */
import type { PullRequest, PullRequestRepository, PullRequestSource } from '../appset/index.js';

export interface RecordedPullRequest extends PullRequest {
  /** ISO 8601: when the last event about it arrived. */
  readonly updatedAt: string;
}

export interface RecordPullRequestOptions {
  readonly repository: PullRequestRepository;
  readonly pull: PullRequest;
  readonly at: Date;
}

export interface ClosePullRequestOptions {
  readonly repository: PullRequestRepository;
  readonly number: number;
  readonly at: Date;
}

export interface PullRequestStore extends PullRequestSource {
  /** Opened, reopened or updated; ignored when a newer event about it was recorded. */
  record(options: RecordPullRequestOptions): Promise<'recorded' | 'stale'>;
  /** Closed or merged; ignored when a newer event about it was recorded. */
  close(options: ClosePullRequestOptions): Promise<'closed' | 'stale'>;
  /** The open ones with the time of their last event, number order. */
  listRecorded(repository: PullRequestRepository): Promise<readonly RecordedPullRequest[]>;
}

/** Provider and repository, case-insensitive as both providers treat repository paths. */
export function repositoryKey(repository: PullRequestRepository): string {
  return `${repository.provider}:${repository.repository.toLowerCase()}`;
}

interface Entry {
  readonly pull: RecordedPullRequest;
  readonly open: boolean;
}

/** For one process (`driftless serve` without a table, tests); the state table has its own. */
export class MemoryPullRequestStore implements PullRequestStore {
  readonly #entries = new Map<string, Map<number, Entry>>();

  async record(options: RecordPullRequestOptions): Promise<'recorded' | 'stale'> {
    return this.#write(options.repository, options.pull.number, options.at, (updatedAt) => ({
      pull: { ...options.pull, updatedAt },
      open: true,
    }))
      ? 'recorded'
      : 'stale';
  }

  async close(options: ClosePullRequestOptions): Promise<'closed' | 'stale'> {
    const before = this.#entries.get(repositoryKey(options.repository))?.get(options.number);
    return this.#write(options.repository, options.number, options.at, (updatedAt) => ({
      pull: { ...(before?.pull ?? emptyPull(options.number)), updatedAt },
      open: false,
    }))
      ? 'closed'
      : 'stale';
  }

  async listOpen(repository: PullRequestRepository): Promise<readonly PullRequest[]> {
    return (await this.listRecorded(repository)).map(({ updatedAt: _u, ...pull }) => pull);
  }

  async listRecorded(repository: PullRequestRepository): Promise<readonly RecordedPullRequest[]> {
    const entries = this.#entries.get(repositoryKey(repository));
    if (entries === undefined) return [];
    return [...entries.values()]
      .filter((e) => e.open)
      .map((e) => e.pull)
      .sort((a, b) => a.number - b.number);
  }

  #write(
    repository: PullRequestRepository,
    number: number,
    at: Date,
    entry: (updatedAt: string) => Entry,
  ): boolean {
    const key = repositoryKey(repository);
    const entries = this.#entries.get(key) ?? new Map<number, Entry>();
    const before = entries.get(number);
    if (before !== undefined && Date.parse(before.pull.updatedAt) > at.getTime()) return false;
    entries.set(number, entry(at.toISOString()));
    this.#entries.set(key, entries);
    return true;
  }
}

export function emptyPull(number: number): PullRequest {
  return { number, title: '', branch: '', targetBranch: '', headSha: '', author: '', labels: [] };
}
