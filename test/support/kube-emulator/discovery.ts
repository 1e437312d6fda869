/**
 * Discovery documents as kube-apiserver writes them: aggregated (apidiscovery.k8s.io/v2, chosen by
 * the Accept header, which is what kubectl reads) and legacy (APIVersions, APIGroupList,
 * APIGroup, APIResourceList, which is what @kubernetes/client-node reads), plus /version and the
 * OpenAPI v3 documents kubectl consults to decide that the server validates fields itself.
 */
import { createHash } from 'node:crypto';
import { apiVersionOf, type ResourceRegistry, type ResourceType } from './resource-registry.js';
import type { JsonObject } from './types.js';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True if the Accept header lists the v2 aggregated discovery media type. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const params = part
      .split(';')
      .map((p) => p.trim().replace(/\s+/g, ''))
      .slice(1);
    return (
      params.includes('g=apidiscovery.k8s.io') &&
      params.includes('v=v2') &&
      params.includes('as=APIGroupDiscoveryList')
    );
  });
}

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 32).toUpperCase()}"`;
}

function aggregatedResource(rt: ResourceType): JsonObject {
  const out: JsonObject = {
    resource: rt.resource,
    responseKind: { group: '', version: '', kind: rt.kind },
    scope: rt.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: rt.singular,
  };
  if (rt.shortNames.length > 0) out.shortNames = rt.shortNames;
  if (rt.categories.length > 0) out.categories = rt.categories;
  out.verbs = rt.verbs;
  if (rt.subresources.length > 0) {
    out.subresources = rt.subresources.map((s) => ({
      subresource: s.name,
      responseKind: {
        group: s.group === rt.group ? '' : s.group,
        version: s.group === rt.group && s.version === rt.version ? '' : s.version,
        kind: s.kind,
      },
      verbs: s.verbs,
    }));
  }
  return out;
}

function aggregatedList(registry: ResourceRegistry, core: boolean): JsonObject {
  const items = registry
    .groups()
    .filter((g) => (g.group === '') === core)
    .map((g) => ({
      metadata: core ? {} : { name: g.group },
      versions: g.versions.map((version) => ({
        version,
        resources: registry.inGroupVersion(g.group, version).map(aggregatedResource),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

export function aggregatedApi(registry: ResourceRegistry): JsonObject {
  return aggregatedList(registry, true);
}

export function aggregatedApis(registry: ResourceRegistry): JsonObject {
  return aggregatedList(registry, false);
}

export function legacyApi(serverAddress: string): JsonObject {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDocument(group: string, versions: readonly string[]): JsonObject {
  const list = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function legacyApis(registry: ResourceRegistry): JsonObject {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry
      .groups()
      .filter((g) => g.group !== '')
      .map((g) => groupDocument(g.group, g.versions)),
  };
}

export function legacyGroup(registry: ResourceRegistry, group: string): JsonObject | undefined {
  const found = registry.groups().find((g) => g.group === group && group !== '');
  if (!found) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(found.group, found.versions) };
}

/** The APIResourceList of one group-version: the recorded document where there is one. */
export function legacyResourceList(
  registry: ResourceRegistry,
  group: string,
  version: string,
): string | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const gv = apiVersionOf({ group, version });
  const recorded = registry.legacyDocuments.get(gv);
  if (recorded && !registry.hasCustom(group, version)) return recorded;
  const resources: JsonObject[] = [];
  for (const rt of types) {
    resources.push({
      name: rt.resource,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs,
      ...(rt.shortNames.length > 0 ? { shortNames: rt.shortNames } : {}),
      ...(rt.categories.length > 0 ? { categories: rt.categories } : {}),
    });
    for (const s of rt.subresources) {
      resources.push({
        name: `${rt.resource}/${s.name}`,
        singularName: '',
        namespaced: rt.namespaced,
        ...(s.group !== group || s.version !== version ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources });
}

export const SERVER_VERSION: JsonObject = {
  major: '1',
  minor: '35',
  emulationMajor: '1',
  emulationMinor: '35',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '34',
  gitVersion: 'v1.35.2',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.25.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/** The /openapi/v3 root: one entry per served group-version. */
export function openApiRoot(registry: ResourceRegistry): JsonObject {
  const paths: JsonObject = {};
  for (const g of registry.groups()) {
    for (const version of g.versions) {
      const path = gvPath(g.group, version);
      const hash = createHash('sha256')
        .update(JSON.stringify(openApiGroupVersion(registry, g.group, version)))
        .digest('hex')
        .slice(0, 32)
        .toUpperCase();
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
    }
  }
  return { paths };
}

const FIELD_VALIDATION_PARAMETER = {
  name: 'fieldValidation',
  in: 'query',
  description:
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.',
  schema: { type: 'string', uniqueItems: true },
};

/**
 * A minimal OpenAPI 3 document for one group-version. kubectl only looks for a PATCH operation
 * tagged with the object's GVK that accepts `fieldValidation`; finding it, it leaves validation to
 * the server, so no schemas are needed.
 */
export function openApiGroupVersion(
  registry: ResourceRegistry,
  group: string,
  version: string,
): JsonObject | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const paths: JsonObject = {};
  for (const rt of types) {
    const base = `/${gvPath(group, version)}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.resource}/{name}`;
    const operation = (kind: string, sub?: string): JsonObject => ({
      description: `partially update the specified ${kind}`,
      operationId: `patch${kind}${sub ? `_${sub}` : ''}`,
      parameters: [FIELD_VALIDATION_PARAMETER],
      responses: { '200': { description: 'OK' } },
      'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group, version, kind },
    });
    paths[base] = { patch: operation(rt.kind) };
    for (const s of rt.subresources) {
      if (s.verbs.includes('patch') && s.group === group && s.version === version) {
        paths[`${base}/${s.name}`] = { patch: operation(s.kind, s.name) };
      }
    }
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: String(SERVER_VERSION.gitVersion) },
    paths,
    components: { schemas: {} },
  };
}
