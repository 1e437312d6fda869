/**
 * The kubeconfig clients use to reach the emulator: context "emulator", plain HTTP, a bearer token.
 * `insecure-skip-tls-verify` is set because client-node refuses a plain-HTTP server without it.
 */
import { stringify } from 'yaml';

export const EMULATOR_TOKEN = 'emulator-token';

export function renderKubeconfig(url: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'emulator', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'emulator', user: { token: EMULATOR_TOKEN } }],
    contexts: [
      { name: 'emulator', context: { cluster: 'emulator', user: 'emulator', namespace: 'default' } },
    ],
    'current-context': 'emulator',
    preferences: {},
  });
}
