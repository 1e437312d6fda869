/** The emulator's public data shapes: options, the request log and fault rules. */

export interface KubeEmulatorOptions {
  /** Default 0 (ephemeral); the server always binds 127.0.0.1. */
  readonly port?: number;
  /** Simulated controllers; stepMs is the delay between rollout steps. */
  readonly controller?: { readonly enabled?: boolean; readonly stepMs?: number };
}

export type RequestVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'apply'
  | 'delete'
  | 'deletecollection'
  | 'discovery'
  | 'other';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  verb: RequestVerb;
  group: string;
  version: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  status: number;
  dryRun: boolean;
  fieldManager?: string;
}

export interface FaultRule {
  verb?: RecordedRequest['verb'];
  resource?: string;
  kind?: string;
  status?: 500 | 502 | 503 | 429;
  latencyMs?: number;
  drop?: boolean;
  /** 0..1, deterministic: every Nth matching request is hit (N = round(1/share)). */
  share?: number;
  /** Maximum number of injections. */
  times?: number;
}

export interface KubeEmulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** Kubeconfig YAML with context "emulator": plain http server, token auth accepted. */
  kubeconfig(): string;
  writeKubeconfig(path: string): Promise<void>;
  readonly requests: readonly RecordedRequest[];
  resetRequests(): void;
  /** Returns a function that removes the rule again. */
  addFault(rule: FaultRule): () => void;
  clearFaults(): void;
  /** Makes the simulated Job controller fail this Job (like annotation emulator.driftless.dev/fail: "true"). */
  failJob(namespace: string, name: string): void;
  /** Direct store read for assertions (namespace '' for cluster-scoped kinds). */
  getObject(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): Record<string, unknown> | undefined;
  stop(): Promise<void>;
}

/** A JSON object as the API carries it. */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}
