/**
 * Keeps one EKS token per cluster fresh. Tokens live 15 minutes; a new one is signed once the cached
 * one is older than `renewAfterMs` (10 minutes by default), so a request never carries a token that
 * could expire in flight. Credentials are asked for at each renewal so rotating credentials
 * (assumed roles, Lambda's own) are picked up.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import type { Clock } from '../ports/clock.js';
import { presignEksToken } from './eks-token.js';

export type AwsCredentialsProvider = () => Promise<AwsCredentialIdentity>;

/** Where a bearer token comes from, for auth that renews itself. */
export interface TokenSource {
  token(): Promise<string>;
}

export interface EksTokenSourceOptions {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentialsProvider;
  readonly clock: Clock;
  readonly renewAfterMs?: number;
}

export class EksTokenSource implements TokenSource {
  readonly #options: EksTokenSourceOptions;
  readonly #renewAfterMs: number;
  #current: { readonly token: string; readonly signedAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(options: EksTokenSourceOptions) {
    this.#options = options;
    this.#renewAfterMs = options.renewAfterMs ?? 10 * 60_000;
  }

  token(): Promise<string> {
    const now = this.#options.clock.now().getTime();
    if (this.#current && now - this.#current.signedAt < this.#renewAfterMs) {
      return Promise.resolve(this.#current.token);
    }
    this.#pending ??= this.#sign().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #sign(): Promise<string> {
    const signingDate = this.#options.clock.now();
    const token = await presignEksToken({
      clusterName: this.#options.clusterName,
      region: this.#options.region,
      credentials: await this.#options.credentials(),
      signingDate,
    });
    this.#current = { token, signedAt: signingDate.getTime() };
    return token;
  }
}
