/**
 * Plugs a renewing TokenSource into client-node: KubeConfig asks its authenticators for headers on
 * every request, so the Authorization header always carries the source's current token and a
 * renewed EKS token is used without rebuilding the client.
 */
import type { KubeConfig, User } from '@kubernetes/client-node';
import type { TokenSource } from './eks-token-source.js';

type Authenticator = Parameters<KubeConfig['addAuthenticator']>[0];

/** The kubeconfig auth-provider name that selects this authenticator. */
export const tokenSourceProviderName = 'driftless-token-source';

export class TokenSourceAuthenticator implements Authenticator {
  readonly #source: TokenSource;

  constructor(source: TokenSource) {
    this.#source = source;
  }

  isAuthProvider(user: User): boolean {
    return (user.authProvider as { name?: string } | undefined)?.name === tokenSourceProviderName;
  }

  async applyAuthentication(
    _user: User,
    opts: Parameters<Authenticator['applyAuthentication']>[1],
  ): Promise<void> {
    const token = await this.#source.token();
    opts.headers = { ...(opts.headers ?? {}), Authorization: `Bearer ${token}` };
  }
}
