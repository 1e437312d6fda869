/**
 * The embedded state store: dynalite (DynamoDB's API in pure JS) keeping its LevelDB files on disk,
 * listening on loopback only. The engine talks to it through the AWS SDK exactly as it talks to
 * DynamoDB, so nothing in the pipeline knows it runs locally.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DriftlessError, messageOf } from '../../shared/errors/index.js';

interface DynaliteOptions {
  readonly path?: string;
  readonly createTableMs?: number;
  readonly deleteTableMs?: number;
  readonly updateTableMs?: number;
}

// dynalite ships CommonJS without type declarations.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

export interface EmbeddedStore {
  readonly endpoint: string;
  /** The LevelDB directory. */
  readonly path: string;
  /** A client for the store; destroyed by stop(). */
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

export async function startEmbeddedDynalite(options: { readonly path: string }): Promise<EmbeddedStore> {
  // Tables are ACTIVE at once: dynalite's default 500 ms only delays the first start.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    throw new DriftlessError('UNAVAILABLE', `state store at ${options.path}: ${messageOf(e)}`, {
      cause: e,
      context: { path: options.path },
    });
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    // dynalite checks that a signature is present, not whose it is.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  return {
    endpoint,
    path: options.path,
    client,
    stop: () => {
      client.destroy();
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      });
    },
  };
}
