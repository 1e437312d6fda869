/** Raw HTTP against the emulator, for asserting exact status codes and bodies. */
import type { KubeEmulator } from '../../support/kube-emulator/index.js';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

export interface CallOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly accept?: string;
}

export async function call(emulator: KubeEmulator, path: string, o: CallOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { Authorization: 'Bearer emulator-token' };
  if (o.accept) headers.Accept = o.accept;
  let body: string | undefined;
  if (o.body !== undefined) {
    body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    headers['Content-Type'] = o.contentType ?? 'application/json';
  }
  const res = await fetch(`${emulator.url}${path}`, {
    method: o.method ?? 'GET',
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Plain-text answers (404 page not found) have no JSON.
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Server-side apply as kubectl sends it. */
export function apply(
  emulator: KubeEmulator,
  path: string,
  manifest: unknown,
  query: { fieldManager?: string; force?: boolean; dryRun?: boolean } = {},
): Promise<HttpAnswer> {
  const params = new URLSearchParams();
  if (query.fieldManager !== undefined) params.set('fieldManager', query.fieldManager);
  if (query.force !== undefined) params.set('force', String(query.force));
  if (query.dryRun) params.set('dryRun', 'All');
  return call(emulator, `${path}?${params.toString()}`, {
    method: 'PATCH',
    body: manifest,
    contentType: 'application/apply-patch+yaml',
  });
}

/** Polls the store until `check` holds (controllers run on timers), failing after `limitMs`. */
export async function until<T>(
  read: () => T | undefined,
  check: (v: T) => boolean,
  limitMs = 5000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const v = read();
    if (v !== undefined && check(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`condition not reached within ${limitMs} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function deployment(replicas: number, image = 'nginx:1.27'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
      },
    },
  };
}

/** The value at a path of keys and indexes, or undefined: for reading untyped API objects in assertions. */
export function at(obj: unknown, ...path: readonly (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

export function resourceVersionOf(obj: unknown): string {
  return String(at(obj, 'metadata', 'resourceVersion'));
}
