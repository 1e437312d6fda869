/**
 * KubeClient over @kubernetes/client-node. Paths come from our own discovery cache (so a resource's
 * plural name, scope and preferred version are whatever the server says), bodies travel as plain
 * JSON (see raw-object-api.ts), and every failure leaves as a KUBE_API DriftlessError naming the
 * verb and object.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { DriftlessError } from '../errors/index.js';
import type { KubeObject, ResourceKey } from '../model/kube-object.js';
import type {
  ApiResource,
  ApplyOptions,
  DeleteOptions,
  KubeClient,
  ListOptions,
} from '../ports/kube-client.js';
import { describeOperation, type KubeOperation, kubeApiError, statusCodeOf } from './api-error.js';
import { Discovery, groupVersionPath } from './discovery.js';
import { RawObjectApi, type RawRequest } from './raw-object-api.js';

export interface ClientNodeKubeClientOptions {
  /** A KubeConfig whose current context is the cluster to talk to. */
  readonly kubeConfig: KubeConfig;
  /** Per request; default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Items per list page; default 500. */
  readonly listPageSize?: number;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
  readonly fieldManager?: string;
}

const applyPatchType = 'application/apply-patch+yaml';

interface ListDoc {
  readonly items?: KubeObject[];
  readonly metadata?: { readonly continue?: string };
}

export class ClientNodeKubeClient implements KubeClient {
  readonly #api: RawObjectApi;
  readonly #discovery: Discovery;
  readonly #timeoutMs: number;
  readonly #pageSize: number;

  constructor(options: ClientNodeKubeClientOptions) {
    this.#api = RawObjectApi.forConfig(options.kubeConfig);
    this.#timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#pageSize = options.listPageSize ?? 500;
    this.#discovery = new Discovery(async (path) => {
      try {
        return await this.#send({ method: 'GET', path });
      } catch (e) {
        if (statusCodeOf(e) === 404) return undefined;
        throw kubeApiError({ verb: 'discover', kind: path }, e);
      }
    });
  }

  resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    return this.#discovery.resourceFor(apiVersion, kind);
  }

  invalidateDiscovery(): void {
    this.#discovery.invalidate();
  }

  serverResources(): Promise<readonly ApiResource[]> {
    return this.#discovery.serverResources();
  }

  async get(apiVersion: string, key: ResourceKey): Promise<KubeObject | undefined> {
    const op = { verb: 'get', ...key };
    return this.#guard(op, async () => {
      const resource = await this.resourceFor(apiVersion, key.kind);
      // An object of a kind the server does not serve cannot exist.
      if (!resource) return undefined;
      try {
        return (await this.#send({ method: 'GET', path: objectPath(resource, op, key.name) })) as KubeObject;
      } catch (e) {
        if (statusCodeOf(e) === 404) return undefined;
        throw e;
      }
    });
  }

  async list(apiVersion: string, kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    const op = { verb: 'list', kind, namespace: options.namespace };
    return this.#guard(op, async () => {
      const resource = await this.resourceFor(apiVersion, kind);
      if (!resource) return [];
      const path = collectionPath(resource, resource.namespaced ? options.namespace : undefined);
      const items: KubeObject[] = [];
      let token: string | undefined;
      do {
        const page = (await this.#send({
          method: 'GET',
          path,
          query: {
            labelSelector: options.labelSelector,
            limit: String(this.#pageSize),
            continue: token,
          },
        })) as ListDoc;
        // List items carry no apiVersion/kind on the wire; callers need both.
        for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind });
        token = page.metadata?.continue || undefined;
      } while (token !== undefined);
      return items;
    });
  }

  async apply(obj: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    const op = operationOn('apply', obj);
    return this.#guard(op, async () => {
      const resource = await this.#servedResource(obj.apiVersion, op);
      return (await this.#send({
        method: 'PATCH',
        path: objectPath(resource, op, requireName(op)),
        query: {
          fieldManager: options.fieldManager,
          force: options.force ? 'true' : undefined,
          dryRun: options.dryRun ? 'All' : undefined,
        },
        body: obj,
        contentType: applyPatchType,
      })) as KubeObject;
    });
  }

  async create(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const op = operationOn('create', obj);
    return this.#guard(op, async () => {
      const resource = await this.#servedResource(obj.apiVersion, op);
      requireNamespace(resource, op);
      return (await this.#send({
        method: 'POST',
        path: collectionPath(resource, op.namespace),
        query: writeQuery(options),
        body: obj,
      })) as KubeObject;
    });
  }

  async replace(obj: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const op = operationOn('replace', obj);
    return this.#guard(op, async () => {
      const resource = await this.#servedResource(obj.apiVersion, op);
      const path = objectPath(resource, op, requireName(op));
      let body = obj;
      if (!obj.metadata.resourceVersion) {
        // PUT without a resourceVersion would be an unconditional overwrite; pin it to what is live.
        const live = (await this.#send({ method: 'GET', path })) as KubeObject;
        body = { ...obj, metadata: { ...obj.metadata, resourceVersion: live.metadata.resourceVersion } };
      }
      return (await this.#send({ method: 'PUT', path, query: writeQuery(options), body })) as KubeObject;
    });
  }

  async delete(apiVersion: string, key: ResourceKey, options: DeleteOptions = {}): Promise<boolean> {
    const op = { verb: 'delete', ...key };
    return this.#guard(op, async () => {
      const resource = await this.resourceFor(apiVersion, key.kind);
      if (!resource) return false;
      try {
        await this.#send({
          method: 'DELETE',
          path: objectPath(resource, op, requireName(op)),
          query: {
            propagationPolicy: options.propagationPolicy,
            dryRun: options.dryRun ? 'All' : undefined,
          },
        });
        return true;
      } catch (e) {
        if (statusCodeOf(e) === 404) return false;
        throw e;
      }
    });
  }

  async version(): Promise<string> {
    return this.#guard({ verb: 'get', kind: 'version' }, async () => {
      const answer = (await this.#send({ method: 'GET', path: '/version' })) as { gitVersion?: string };
      return answer.gitVersion ?? '';
    });
  }

  #send(request: Omit<RawRequest, 'timeoutMs'>): Promise<unknown> {
    return this.#api.send({ ...request, timeoutMs: this.#timeoutMs });
  }

  async #servedResource(apiVersion: string, op: KubeOperation): Promise<ApiResource> {
    const resource = await this.resourceFor(apiVersion, op.kind);
    if (resource) return resource;
    throw new DriftlessError(
      'KUBE_API',
      `${describeOperation(op)}: no matches for kind "${op.kind}" in version "${apiVersion}"`,
      { retryable: false, context: { status: undefined, reason: 'NoKindMatch', causes: [] } },
    );
  }

  /** Runs one operation and makes sure whatever escapes names it. */
  async #guard<T>(op: KubeOperation, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (e) {
      if (e instanceof DriftlessError) {
        const where = describeOperation(op);
        if (e.message.startsWith(where)) throw e;
        throw new DriftlessError(e.code, `${where}: ${e.message}`, {
          retryable: e.retryable,
          context: e.context,
          cause: e,
        });
      }
      throw kubeApiError(op, e);
    }
  }
}

function operationOn(verb: string, obj: KubeObject): KubeOperation {
  return { verb, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
}

function requireName(op: KubeOperation): string {
  if (op.name) return op.name;
  throw new DriftlessError('INVALID_MANIFEST', `${describeOperation(op)}: metadata.name is required`);
}

function requireNamespace(resource: ApiResource, op: KubeOperation): void {
  if (resource.namespaced && !op.namespace) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `${describeOperation(op)}: ${resource.kind} is namespaced but metadata.namespace is empty`,
    );
  }
}

function collectionPath(resource: ApiResource, namespace: string | undefined): string {
  const base = groupVersionPath(resource.group, resource.version);
  const scoped =
    resource.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}` : base;
  return `${scoped}/${resource.resource}`;
}

function objectPath(resource: ApiResource, op: KubeOperation, name: string | undefined): string {
  requireNamespace(resource, op);
  return `${collectionPath(resource, op.namespace)}/${encodeURIComponent(requireName({ ...op, name }))}`;
}

function writeQuery(options: WriteOptions): Readonly<Record<string, string | undefined>> {
  return { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined };
}
