/**
 * A PullRequestSource held in memory: webhook handlers record opened, updated and closed pull
 * requests here (or in a durable store with the same interface), and the pull request generator
 * reads the open ones. Keyed by provider, repository and number, so a repeated event is harmless.
 */
import type { PullRequest, PullRequestRepository, PullRequestSource } from './sources.js';

export class InMemoryPullRequestSource implements PullRequestSource {
  readonly #open = new Map<string, Map<number, PullRequest>>();

  /** Records an opened, reopened or updated pull request (replacing what was known of it). */
  upsert(repository: PullRequestRepository, pull: PullRequest): void {
    const key = keyOf(repository);
    const pulls = this.#open.get(key) ?? new Map<number, PullRequest>();
    pulls.set(pull.number, pull);
    this.#open.set(key, pulls);
  }

  /** Forgets a closed or merged pull request; true if it was open. */
  close(repository: PullRequestRepository, number: number): boolean {
    return this.#open.get(keyOf(repository))?.delete(number) ?? false;
  }

  async listOpen(repository: PullRequestRepository): Promise<readonly PullRequest[]> {
    const pulls = this.#open.get(keyOf(repository));
    return pulls ? [...pulls.values()].sort((a, b) => a.number - b.number) : [];
  }
}

function keyOf(repository: PullRequestRepository): string {
  return `${repository.provider}:${repository.repository.toLowerCase()}`;
}
