/**
 * The apiserver's verbs on stored objects, independent of HTTP: get, list, create, update,
 * patch (merge, strategic, JSON, apply), delete with finalizers and garbage collection. Every
 * write goes through `commit`, which assigns ownership, defaults, generation and resourceVersion.
 * Simulated controllers write through the same path.
 */
import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { crdStatus, crdTypes, isCrd } from './custom-resources.js';
import type { DefaultingContext } from './defaults.js';
import type { SchemaContext } from './list-schema.js';
import { readEntries, recordUpdate, renderEntries, serverSideApply } from './managed-fields.js';
import { finalizeObject, orderObject, rfc3339, unchanged } from './object-lifecycle.js';
import { metaOf, type ObjectStore } from './object-store.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patches.js';
import { apiVersionOf, hasStatus, type ResourceRegistry, type ResourceType } from './resource-registry.js';
import { labelsOf, parseFieldSelector, parseLabelSelector } from './selectors.js';
import {
  ApiError,
  alreadyExists,
  badRequest,
  deleteSuccess,
  namespaceNotFound,
  notFound,
  plainError,
  resourceVersionConflict,
  unsupportedMediaType,
} from './status-errors.js';
import { clone, isObject, type JsonObject } from './types.js';
import { validateObject } from './validation.js';

export interface Target {
  readonly rt: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

export interface WriteOptions {
  readonly dryRun: boolean;
  readonly fieldManager?: string;
  readonly userAgent?: string;
  readonly force?: boolean;
}

export interface Reply {
  readonly status: number;
  readonly body: JsonObject;
}

/** Kinds whose DELETE answers with the object rather than a Status. */
const RETURNS_DELETED_OBJECT = new Set([
  '/pods',
  '/serviceaccounts',
  'storage.k8s.io/storageclasses',
  '/namespaces',
]);

export function groupResourceOf(rt: Pick<ResourceType, 'group' | 'resource'>): string {
  return `${rt.group}/${rt.resource}`;
}

export class ApiServer {
  private nextIp = 10;
  private readonly defaulting: DefaultingContext = {
    allocateClusterIp: () => {
      this.nextIp += 1;
      return `10.96.${Math.floor(this.nextIp / 250)}.${(this.nextIp % 250) + 1}`;
    },
  };

  constructor(
    readonly registry: ResourceRegistry,
    readonly store: ObjectStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private schema(rt: ResourceType): SchemaContext {
    return { custom: rt.crd !== undefined };
  }

  /** Sets apiVersion to the version the client asked for (storage is version-agnostic here). */
  private present(rt: ResourceType, obj: JsonObject): JsonObject {
    return orderObject({ ...obj, apiVersion: apiVersionOf(rt), kind: rt.kind });
  }

  private live(t: Target): JsonObject | undefined {
    return this.store.get(groupResourceOf(t.rt), t.rt.namespaced ? (t.namespace ?? '') : '', t.name ?? '');
  }

  private requireLive(t: Target): JsonObject {
    const live = this.live(t);
    if (!live) throw notFound(t.rt, t.name ?? '');
    return live;
  }

  private requireNamespace(rt: ResourceType, namespace: string | undefined): void {
    if (!rt.namespaced) return;
    if (!namespace || !this.store.get('/namespaces', '', namespace)) throw namespaceNotFound(namespace ?? '');
  }

  private managerName(o: WriteOptions): string {
    if (o.fieldManager) return o.fieldManager;
    const ua = o.userAgent ?? '';
    return ua.split('/')[0] || 'unknown';
  }

  get(t: Target): Reply {
    return { status: 200, body: this.present(t.rt, this.requireLive(t)) };
  }

  /** Objects of a resource matching the namespace and selectors, in key order. */
  select(
    rt: ResourceType,
    namespace: string | undefined,
    labelSelector?: string,
    fieldSelector?: string,
  ): JsonObject[] {
    const byLabels = parseLabelSelector(labelSelector);
    const byFields = parseFieldSelector(fieldSelector);
    return this.store
      .list(groupResourceOf(rt), rt.namespaced ? namespace : undefined)
      .filter((o) => byLabels(labelsOf(o)) && byFields(o))
      .map((o) => this.present(rt, o));
  }

  list(t: Target, query: Readonly<Record<string, string>>): Reply {
    let items = this.select(t.rt, t.namespace, query.labelSelector, query.fieldSelector);
    const metadata: JsonObject = { resourceVersion: String(this.store.currentRevision) };
    if (query.continue) {
      let after: string;
      try {
        after = String(
          (JSON.parse(Buffer.from(query.continue, 'base64url').toString('utf8')) as JsonObject).start,
        );
      } catch {
        throw badRequest(`invalid continue token "${query.continue}"`);
      }
      items = items.filter((o) => `${metaOf(o).namespace ?? ''}/${metaOf(o).name}` > after);
    }
    const limit = Number(query.limit ?? 0);
    if (limit > 0 && items.length > limit) {
      const last = items[limit - 1]!;
      metadata.continue = Buffer.from(
        JSON.stringify({ start: `${metaOf(last).namespace ?? ''}/${metaOf(last).name}` }),
      ).toString('base64url');
      metadata.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
    }
    // Built-in list items come without kind/apiVersion; custom resources keep them.
    const shown = t.rt.crd ? items : items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest as JsonObject);
    return {
      status: 200,
      body: { kind: `${t.rt.kind}List`, apiVersion: apiVersionOf(t.rt), metadata, items: shown },
    };
  }

  create(t: Target, body: unknown, o: WriteOptions): Reply {
    if (!isObject(body)) throw badRequest('the body of the request is not a JSON object');
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (meta.resourceVersion) throw plainError('resourceVersion should not be set on objects to be created');
    if (typeof body.kind === 'string' && body.kind !== t.rt.kind) {
      throw badRequest(
        `${body.kind} in version "${t.rt.version}" cannot be handled as a ${t.rt.kind}: kind mismatch`,
      );
    }
    const namespace = t.rt.namespaced ? (t.namespace ?? (meta.namespace as string | undefined)) : undefined;
    if (t.rt.namespaced && meta.namespace !== undefined && meta.namespace !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    let name = typeof meta.name === 'string' ? meta.name : '';
    if (!name && typeof meta.generateName === 'string' && meta.generateName) {
      name = `${meta.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
    }
    this.requireNamespace(t.rt, namespace);
    const target = { ...t, namespace, name };
    if (name && this.live(target)) throw alreadyExists(t.rt, name);
    const next = clone(body);
    next.metadata = { ...meta, name: name || undefined, ...(namespace ? { namespace } : {}) };
    if (hasStatus(t.rt)) delete next.status;
    return this.commit({ target, before: undefined, after: next, manager: this.managerName(o), options: o });
  }

  update(t: Target, body: unknown, o: WriteOptions): Reply {
    if (!isObject(body)) throw badRequest('the body of the request is not a JSON object');
    const live = this.requireLive(t);
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (meta.name !== undefined && meta.name !== t.name) {
      throw badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${t.name})`,
      );
    }
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== metaOf(live).resourceVersion) {
      throw resourceVersionConflict(t.rt, t.name ?? '');
    }
    const after = this.scopeToSubresource(t, live, body);
    return this.commit({ target: t, before: live, after, manager: this.managerName(o), options: o });
  }

  /** Writes to /status change only status; writes to the main resource leave status alone. */
  private scopeToSubresource(t: Target, live: JsonObject, next: JsonObject): JsonObject {
    if (t.subresource === 'status') {
      const out = clone(live);
      if (next.status === undefined) delete out.status;
      else out.status = clone(next.status);
      return out;
    }
    const out = clone(next);
    out.metadata = {
      ...(isObject(out.metadata) ? out.metadata : {}),
      managedFields: metaOf(live).managedFields,
    };
    if (hasStatus(t.rt)) {
      if (live.status === undefined) delete out.status;
      else out.status = clone(live.status);
    }
    return out;
  }

  patch(t: Target, contentType: string, raw: string, o: WriteOptions): Reply {
    const type = contentType.split(';')[0]?.trim() ?? '';
    if (type === 'application/apply-patch+yaml') return this.apply(t, raw, o);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    const live = this.requireLive(t);
    let patched: unknown;
    if (type === 'application/merge-patch+json') patched = mergePatch(live, body);
    else if (type === 'application/strategic-merge-patch+json') {
      if (t.rt.crd) throw unsupportedMediaType(type);
      patched = strategicMergePatch(this.schema(t.rt), live, body);
    } else if (type === 'application/json-patch+json') patched = jsonPatch(live, body);
    else throw unsupportedMediaType(type);
    if (!isObject(patched)) throw badRequest('the patch did not produce an object');
    const wanted = isObject(body) && isObject(body.metadata) ? body.metadata.resourceVersion : undefined;
    if (wanted !== undefined && wanted !== metaOf(live).resourceVersion)
      throw resourceVersionConflict(t.rt, t.name ?? '');
    const after = this.scopeToSubresource(t, live, patched);
    return this.commit({ target: t, before: live, after, manager: this.managerName(o), options: o });
  }

  private apply(t: Target, raw: string, o: WriteOptions): Reply {
    if (!o.fieldManager) {
      throw new ApiError(
        422,
        'Invalid',
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        },
      );
    }
    let body: unknown;
    try {
      body = parseYaml(raw);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isObject(body)) throw badRequest('apply patch must be an object');
    const expected = apiVersionOf(t.rt);
    if (body.apiVersion !== expected) {
      throw badRequest(
        `Incorrect version specified in apply patch. Specified patch version: ${String(body.apiVersion ?? '')}, expected: ${expected}`,
      );
    }
    if (body.kind !== t.rt.kind) {
      throw badRequest(
        `Incorrect kind specified in apply patch. Specified patch kind: ${String(body.kind ?? '')}, expected: ${t.rt.kind}`,
      );
    }
    const meta = isObject(body.metadata) ? body.metadata : {};
    if (meta.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
    if (meta.name !== undefined && meta.name !== t.name) {
      throw badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${t.name})`,
      );
    }
    if (t.rt.namespaced && meta.namespace !== undefined && meta.namespace !== t.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const live = this.live(t);
    if (!live) this.requireNamespace(t.rt, t.namespace);
    let applied: JsonObject = clone(body);
    if (t.subresource === 'status')
      applied = { apiVersion: body.apiVersion, kind: body.kind, metadata: {}, status: body.status };
    else if (hasStatus(t.rt)) delete applied.status;
    const result = serverSideApply({
      ctx: this.schema(t.rt),
      live,
      applied,
      manager: o.fieldManager,
      force: o.force === true,
      apiVersion: expected,
      ...(t.subresource ? { subresource: t.subresource } : {}),
      now: rfc3339(this.clock()),
    });
    const after = result.object;
    after.metadata = {
      ...(isObject(after.metadata) ? after.metadata : {}),
      name: t.name,
      ...(t.rt.namespaced ? { namespace: t.namespace } : {}),
    };
    return this.commit({
      target: t,
      before: live,
      after,
      manager: o.fieldManager,
      options: o,
      managedFields: renderEntries(result.entries),
    });
  }

  private commit(c: {
    readonly target: Target;
    readonly before: JsonObject | undefined;
    readonly after: JsonObject;
    readonly manager: string;
    readonly options: WriteOptions;
    readonly managedFields?: JsonObject[];
  }): Reply {
    const { rt } = c.target;
    const now = this.clock();
    const managedFields =
      c.managedFields ??
      renderEntries(
        recordUpdate({
          ctx: this.schema(rt),
          entries: readEntries(c.before),
          before: c.before,
          after: c.after,
          manager: c.manager,
          apiVersion: apiVersionOf(rt),
          ...(c.target.subresource ? { subresource: c.target.subresource } : {}),
          now: rfc3339(now),
        }),
      );
    let next = finalizeObject({
      rt,
      before: c.before,
      after: c.after,
      managedFields,
      now,
      defaulting: this.defaulting,
    });
    if (isCrd(rt)) next = { ...next, status: crdStatus(next, c.before?.status, rfc3339(now)) };
    validateObject(rt, next);
    if (c.before) this.checkFinalizers(rt, c.before, next);
    if (c.before && unchanged(c.before, next)) return { status: 200, body: this.present(rt, c.before) };
    if (c.options.dryRun) return { status: c.before ? 200 : 201, body: this.present(rt, next) };
    metaOf(next).resourceVersion = String(this.store.nextRevision());
    const gr = groupResourceOf(rt);
    const meta = metaOf(next);
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (meta.deletionTimestamp && finalizers.length === 0) {
      this.store.put(gr, next);
      this.removeNow(rt, String(meta.namespace ?? ''), String(meta.name));
      return { status: 200, body: this.present(rt, next) };
    }
    this.store.put(gr, next);
    if (isCrd(rt)) this.registry.registerCrd(String(meta.name), crdTypes(next));
    return { status: c.before ? 200 : 201, body: this.present(rt, next) };
  }

  private checkFinalizers(rt: ResourceType, before: JsonObject, after: JsonObject): void {
    const was = metaOf(before);
    if (!was.deletionTimestamp) return;
    const old = new Set(Array.isArray(was.finalizers) ? was.finalizers : []);
    const now = metaOf(after).finalizers;
    const added = (Array.isArray(now) ? now : []).filter((f) => !old.has(f));
    if (added.length > 0) {
      throw new ApiError(
        422,
        'Invalid',
        `${rt.group ? `${rt.kind}.${rt.group}` : rt.kind} "${String(was.name)}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
        {
          name: String(was.name),
          group: rt.group,
          kind: rt.kind,
          causes: [
            {
              reason: 'FieldValueForbidden',
              message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
              field: 'metadata.finalizers',
            },
          ],
        },
      );
    }
  }

  delete(t: Target, deleteOptions: JsonObject, o: WriteOptions): Reply {
    const live = this.requireLive(t);
    const meta = metaOf(live);
    const pre = isObject(deleteOptions.preconditions) ? deleteOptions.preconditions : {};
    if (pre.uid !== undefined && pre.uid !== meta.uid) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${t.rt.group ? `${t.rt.resource}.${t.rt.group}` : t.rt.resource} "${t.name}": Precondition failed: UID in precondition: ${String(pre.uid)}, UID in object meta: ${String(meta.uid)}`,
        { name: t.name, group: t.rt.group, kind: t.rt.resource },
      );
    }
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
      throw resourceVersionConflict(t.rt, t.name ?? '');
    }
    const policy = String(
      deleteOptions.propagationPolicy ?? (deleteOptions.orphanDependents === true ? 'Orphan' : 'Background'),
    );
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    const ns = String(meta.namespace ?? '');
    if (finalizers.length > 0) {
      const marked = clone(live);
      const mm = metaOf(marked);
      if (!mm.deletionTimestamp) {
        mm.deletionTimestamp = rfc3339(this.clock());
        mm.deletionGracePeriodSeconds = 0;
        if (!o.dryRun) {
          mm.resourceVersion = String(this.store.nextRevision());
          this.store.put(groupResourceOf(t.rt), marked);
        }
      }
      return { status: 200, body: this.present(t.rt, marked) };
    }
    const gone = clone(live);
    if (t.rt.group === '' && t.rt.resource === 'namespaces') {
      metaOf(gone).deletionTimestamp = rfc3339(this.clock());
      gone.status = { phase: 'Terminating' };
    }
    if (!o.dryRun) {
      if (policy === 'Orphan') this.orphanDependents(String(meta.uid));
      this.removeNow(t.rt, ns, String(meta.name));
    }
    const body = RETURNS_DELETED_OBJECT.has(groupResourceOf(t.rt))
      ? this.present(t.rt, gone)
      : deleteSuccess(t.rt, String(meta.name), String(meta.uid));
    return { status: 200, body };
  }

  deleteCollection(
    t: Target,
    query: Readonly<Record<string, string>>,
    deleteOptions: JsonObject,
    o: WriteOptions,
  ): Reply {
    const items = this.select(t.rt, t.namespace, query.labelSelector, query.fieldSelector);
    const deleted: JsonObject[] = [];
    for (const item of items) {
      const m = metaOf(item);
      const reply = this.delete(
        { rt: t.rt, namespace: m.namespace as string | undefined, name: String(m.name) },
        deleteOptions,
        o,
      );
      deleted.push(reply.body.kind === 'Status' ? item : reply.body);
    }
    return {
      status: 200,
      body: {
        kind: `${t.rt.kind}List`,
        apiVersion: apiVersionOf(t.rt),
        metadata: { resourceVersion: String(this.store.currentRevision) },
        items: deleted,
      },
    };
  }

  private typeOfGroupResource(gr: string): ResourceType | undefined {
    return this.registry.all().find((rt) => groupResourceOf(rt) === gr);
  }

  private dependentsOf(uid: string): { rt: ResourceType; obj: JsonObject }[] {
    const out: { rt: ResourceType; obj: JsonObject }[] = [];
    for (const gr of this.store.groupResources()) {
      const rt = this.typeOfGroupResource(gr);
      if (!rt) continue;
      for (const obj of this.store.list(gr)) {
        const refs = metaOf(obj).ownerReferences;
        if (Array.isArray(refs) && refs.some((r) => isObject(r) && r.uid === uid)) out.push({ rt, obj });
      }
    }
    return out;
  }

  private orphanDependents(uid: string): void {
    for (const { rt, obj } of this.dependentsOf(uid)) {
      const m = metaOf(obj);
      const refs = (m.ownerReferences as unknown[]).filter((r) => !(isObject(r) && r.uid === uid));
      m.ownerReferences = refs.length > 0 ? refs : undefined;
      m.resourceVersion = String(this.store.nextRevision());
      this.store.put(groupResourceOf(rt), orderObject(obj));
    }
  }

  /**
   * Removes an object for good, then what depended on it: the garbage collector's dependents,
   * a namespace's contents, a CRD's custom resources.
   */
  removeNow(rt: ResourceType, namespace: string, name: string): void {
    const removed = this.store.remove(groupResourceOf(rt), rt.namespaced ? namespace : '', name);
    if (!removed) return;
    const uid = String(metaOf(removed).uid);
    if (rt.group === '' && rt.resource === 'namespaces') {
      for (const gr of this.store.groupResources()) {
        const type = this.typeOfGroupResource(gr);
        if (!type?.namespaced) continue;
        for (const obj of this.store.list(gr, name)) this.removeNow(type, name, String(metaOf(obj).name));
      }
    }
    if (isCrd(rt)) {
      const types = this.registry.all().filter((x) => x.crd === name);
      const first = types[0];
      if (first) {
        for (const obj of this.store.list(groupResourceOf(first))) {
          this.removeNow(first, String(metaOf(obj).namespace ?? ''), String(metaOf(obj).name));
        }
      }
      this.registry.unregisterCrd(name);
    }
    for (const { rt: depType, obj } of this.dependentsOf(uid)) {
      const m = metaOf(obj);
      this.removeNow(depType, String(m.namespace ?? ''), String(m.name));
    }
  }

  /**
   * A controller's status write: read, mutate the status, store with a new resourceVersion and
   * an Update entry for the status subresource. Does nothing if the object is gone or unchanged.
   */
  writeStatus(
    rt: ResourceType,
    namespace: string,
    name: string,
    manager: string,
    mutate: (obj: JsonObject) => void,
  ): void {
    const live = this.store.get(groupResourceOf(rt), rt.namespaced ? namespace : '', name);
    if (!live) return;
    const next = clone(live);
    mutate(next);
    try {
      this.commit({
        target: { rt, namespace, name, subresource: hasStatus(rt) ? 'status' : undefined },
        before: live,
        after: next,
        manager,
        options: { dryRun: false },
      });
    } catch {
      // A controller losing a race or tripping validation retries on its next step.
    }
  }
}
