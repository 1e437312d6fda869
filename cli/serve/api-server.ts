/**
 * The local HTTP front door: node:http on 127.0.0.1, every request handed to the shared router
 * (shared/api) that the Lambda functions use, so a webhook or an API call behaves the same here
 * and behind API Gateway. Bodies are read up to the webhook payload limit and no further.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerPlatformRequest } from '../../shared/api/index.js';
import { DriftlessError, messageOf } from '../../shared/errors/index.js';
import type { Platform } from '../../shared/pipeline/index.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { Logger } from '../../shared/ports/logger.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../shared/webhook/index.js';

export interface ApiServerOptions {
  readonly platform: Platform;
  readonly clock: Clock;
  readonly logger: Logger;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host?: string;
}

export interface ApiServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    answer(options, req, res).catch((e: unknown) => {
      options.logger.error('request failed', { method: req.method, path: req.url, error: messageOf(e) });
      if (!res.headersSent) send(res, 500, { error: messageOf(e) });
      else res.end();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
  } catch (e) {
    throw new DriftlessError('UNAVAILABLE', `cannot listen on ${host}:${options.port}: ${messageOf(e)}`, {
      cause: e,
      context: { host, port: options.port },
    });
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(options: ApiServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let rawBody: Uint8Array;
  try {
    rawBody = await readBody(req, DEFAULT_MAX_PAYLOAD_BYTES);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      send(res, 413, { error: `request body is larger than ${DEFAULT_MAX_PAYLOAD_BYTES} bytes` });
      return;
    }
    throw e;
  }
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const response = await answerPlatformRequest({
    platform: options.platform,
    request: {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      headers,
      rawBody,
      now: options.clock.now(),
    },
  });
  send(res, response.status, response.body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
