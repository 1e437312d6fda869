/**
 * The resource types the emulator serves: the built-in ones read from the recorded discovery
 * documents, plus those registered by CustomResourceDefinitions while it runs. Everything else
 * (discovery documents, OpenAPI, routing, storage) is derived from this registry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject, type JsonObject } from './types.js';

export interface SubresourceType {
  readonly name: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly verbs: readonly string[];
}

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Plural name used in paths (deployments). */
  readonly resource: string;
  readonly singular: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly subresources: readonly SubresourceType[];
  /** Name of the CRD that registered it; undefined for built-ins. */
  readonly crd?: string;
}

export function apiVersionOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group === '' ? rt.version : `${rt.group}/${rt.version}`;
}

/** `deployments.apps`, or `configmaps` for the core group: how errors name a resource. */
export function qualifiedResource(rt: Pick<ResourceType, 'group' | 'resource'>): string {
  return rt.group === '' ? rt.resource : `${rt.resource}.${rt.group}`;
}

export function hasStatus(rt: ResourceType): boolean {
  return rt.subresources.some((s) => s.name === 'status');
}

export interface GroupVersions {
  readonly group: string;
  /** Preference order: the first one is the preferred version. */
  readonly versions: readonly string[];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export class ResourceRegistry {
  private readonly types: ResourceType[] = [];
  /** Verbatim legacy APIResourceList documents by group-version, served when no CRD adds to them. */
  readonly legacyDocuments = new Map<string, string>();

  static load(discoveryDir: string): ResourceRegistry {
    const registry = new ResourceRegistry();
    const read = (name: string): string => readFileSync(join(discoveryDir, name), 'utf8');
    const core = JSON.parse(read('api__v1.json')) as JsonObject;
    registry.legacyDocuments.set('v1', read('api__v1.json'));
    registry.addLegacyList('', 'v1', core);
    const aggregated = JSON.parse(read('aggregated_v2.json')) as JsonObject;
    for (const item of Array.isArray(aggregated.items) ? aggregated.items : []) {
      if (!isObject(item) || !isObject(item.metadata)) continue;
      const group = str(item.metadata.name);
      for (const version of Array.isArray(item.versions) ? item.versions : []) {
        if (!isObject(version)) continue;
        registry.addAggregatedVersion(group, str(version.version), version);
        const legacyFile = `apis__${group}__${str(version.version)}.json`;
        try {
          registry.legacyDocuments.set(`${group}/${str(version.version)}`, read(legacyFile));
        } catch {
          // Not every group-version was recorded; those documents are synthesised.
        }
      }
    }
    return registry;
  }

  private addLegacyList(group: string, version: string, list: JsonObject): void {
    const entries = Array.isArray(list.resources) ? list.resources.filter(isObject) : [];
    for (const r of entries) {
      const name = str(r.name);
      if (name.includes('/')) continue;
      const subresources = entries
        .filter((s) => str(s.name).startsWith(`${name}/`))
        .map((s) => ({
          name: str(s.name).slice(name.length + 1),
          group: str(s.group) || group,
          version: str(s.version) || version,
          kind: str(s.kind),
          verbs: strings(s.verbs),
        }));
      this.types.push({
        group,
        version,
        kind: str(r.kind),
        resource: name,
        singular: str(r.singularName),
        namespaced: r.namespaced === true,
        verbs: strings(r.verbs),
        shortNames: strings(r.shortNames),
        categories: strings(r.categories),
        subresources,
      });
    }
  }

  private addAggregatedVersion(group: string, version: string, doc: JsonObject): void {
    for (const r of Array.isArray(doc.resources) ? doc.resources.filter(isObject) : []) {
      const kind = isObject(r.responseKind) ? str(r.responseKind.kind) : '';
      if (!kind) continue;
      const subresources = (Array.isArray(r.subresources) ? r.subresources.filter(isObject) : []).map((s) => {
        const rk = isObject(s.responseKind) ? s.responseKind : {};
        return {
          name: str(s.subresource),
          group: str(rk.group) || group,
          version: str(rk.version) || version,
          kind: str(rk.kind) || kind,
          verbs: strings(s.verbs),
        };
      });
      this.types.push({
        group,
        version,
        kind,
        resource: str(r.resource),
        singular: str(r.singularResource),
        namespaced: r.scope === 'Namespaced',
        verbs: strings(r.verbs),
        shortNames: strings(r.shortNames),
        categories: strings(r.categories),
        subresources,
      });
    }
  }

  all(): readonly ResourceType[] {
    return this.types;
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  /** Any served version of group/kind, preferred version first. */
  findKind(group: string, kind: string, version?: string): ResourceType | undefined {
    const matches = this.types.filter((t) => t.group === group && t.kind === kind);
    return matches.find((t) => t.version === version) ?? (version === undefined ? matches[0] : undefined);
  }

  /** Groups in registration order, each with its versions in preference order. */
  groups(): GroupVersions[] {
    const order: string[] = [];
    const versions = new Map<string, string[]>();
    for (const t of this.types) {
      let list = versions.get(t.group);
      if (!list) {
        list = [];
        versions.set(t.group, list);
        order.push(t.group);
      }
      if (!list.includes(t.version)) list.push(t.version);
    }
    return order.map((group) => ({ group, versions: versions.get(group) ?? [] }));
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.types.filter((t) => t.group === group && t.version === version);
  }

  hasCustom(group: string, version: string): boolean {
    return this.types.some((t) => t.group === group && t.version === version && t.crd !== undefined);
  }

  /** Replaces whatever the named CRD registered before. */
  registerCrd(crdName: string, types: readonly ResourceType[]): void {
    this.unregisterCrd(crdName);
    this.types.push(...types.map((t) => ({ ...t, crd: crdName })));
  }

  unregisterCrd(crdName: string): void {
    for (let i = this.types.length - 1; i >= 0; i--) {
      if (this.types[i]?.crd === crdName) this.types.splice(i, 1);
    }
  }
}
