/**
 * CustomResourceDefinitions: the resource types a CRD serves, and the status the apiextensions
 * controller writes once its names are accepted (Established at once, so custom resources can be
 * applied right after their CRD).
 */
import type { ResourceType } from './resource-registry.js';
import { isObject, type JsonObject } from './types.js';

const ALL_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
function versionRank(v: string): [number, number, number] {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return [3, 0, 0];
  const stability = m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2;
  return [stability, -Number(m[1]), -Number(m[3] ?? 0)];
}

function compareVersions(a: string, b: string): number {
  const ra = versionRank(a);
  const rb = versionRank(b);
  for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return (ra[i] ?? 0) - (rb[i] ?? 0);
  return a < b ? -1 : 1;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function crdTypes(crd: JsonObject): ResourceType[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const group = String(spec.group ?? '');
  const kind = String(names.kind ?? '');
  const plural = String(names.plural ?? '');
  const versions = (Array.isArray(spec.versions) ? spec.versions.filter(isObject) : []).filter(
    (v) => v.served !== false,
  );
  versions.sort((a, b) => compareVersions(String(a.name), String(b.name)));
  return versions.map((v) => {
    const version = String(v.name ?? '');
    const sub = isObject(v.subresources) ? v.subresources : {};
    const subresources = [
      ...(isObject(sub.status)
        ? [{ name: 'status', group, version, kind, verbs: ['get', 'patch', 'update'] }]
        : []),
      ...(isObject(sub.scale)
        ? [
            {
              name: 'scale',
              group: 'autoscaling',
              version: 'v1',
              kind: 'Scale',
              verbs: ['get', 'patch', 'update'],
            },
          ]
        : []),
    ];
    return {
      group,
      version,
      kind,
      resource: plural,
      singular: String(names.singular ?? kind.toLowerCase()),
      namespaced: spec.scope !== 'Cluster',
      verbs: ALL_VERBS,
      shortNames: strings(names.shortNames),
      categories: strings(names.categories),
      subresources,
    };
  });
}

/** The status the apiextensions controllers converge to, keeping transition times that did not change. */
export function crdStatus(crd: JsonObject, previous: unknown, now: string): JsonObject {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? { ...spec.names } : {};
  if (names.singular === undefined && typeof names.kind === 'string')
    names.singular = names.kind.toLowerCase();
  if (names.listKind === undefined && typeof names.kind === 'string') names.listKind = `${names.kind}List`;
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  const storage = versions.find((v) => v.storage === true)?.name;
  const prev =
    isObject(previous) && Array.isArray(previous.conditions) ? previous.conditions.filter(isObject) : [];
  const since = (type: string) => prev.find((c) => c.type === type)?.lastTransitionTime ?? now;
  return {
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        lastTransitionTime: since('NamesAccepted'),
        reason: 'NoConflicts',
        message: 'no conflicts found',
      },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: since('Established'),
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    acceptedNames: names,
    storedVersions: storage ? [storage] : [],
  };
}

export function isCrd(rt: Pick<ResourceType, 'group' | 'kind'>): boolean {
  return rt.group === 'apiextensions.k8s.io' && rt.kind === 'CustomResourceDefinition';
}
