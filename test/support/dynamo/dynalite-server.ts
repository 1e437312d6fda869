/** dynalite (pure JS): in memory by default, or LevelDB on disk under `path`. Starts in ~0.1 s. */
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { DynamoEndpoint } from './endpoint.js';

export interface StartDynaliteOptions {
  readonly path?: string;
}

export async function startDynalite(options: StartDynaliteOptions = {}): Promise<DynamoEndpoint> {
  // Tables become ACTIVE at once; the default 500 ms delay only slows tests down.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    name: 'dynalite',
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
