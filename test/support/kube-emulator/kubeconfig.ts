/** The kubeconfig clients use to reach the emulator: context "emulator", plain HTTP, a bearer token. */
import { stringify } from 'yaml';

export const EMULATOR_TOKEN = 'emulator-token';

export function renderKubeconfig(url: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'emulator', cluster: { server: url } }],
    users: [{ name: 'emulator', user: { token: EMULATOR_TOKEN } }],
    contexts: [
      { name: 'emulator', context: { cluster: 'emulator', user: 'emulator', namespace: 'default' } },
    ],
    'current-context': 'emulator',
    preferences: {},
  });
}
