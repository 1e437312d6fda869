/**
 * Discovery cache for one cluster: the group list (with preferred versions) and, per group-version,
 * the resources served. Entries are promises so concurrent lookups share one request. A kind that
 * is missing from a cached group-version is looked up once more against the server before the
 * answer "not served" is given, so CRDs created by an earlier wave become usable without anyone
 * remembering to invalidate.
 */
import type { ApiResource } from '../ports/kube-client.js';

/** Fetches a discovery document; undefined when the server answers 404 (group-version not served). */
export type DiscoveryFetch = (path: string) => Promise<unknown>;

interface ResourceListDoc {
  readonly groupVersion?: string;
  readonly resources?: ReadonlyArray<{
    readonly name: string;
    readonly kind: string;
    readonly namespaced: boolean;
    readonly verbs?: readonly string[];
  }>;
}

interface GroupListDoc {
  readonly groups?: ReadonlyArray<{
    readonly name: string;
    readonly versions?: ReadonlyArray<{ readonly groupVersion: string; readonly version: string }>;
    readonly preferredVersion?: { readonly version: string };
  }>;
}

interface CoreVersionsDoc {
  readonly versions?: readonly string[];
}

/** A group-version that should be listed by serverResources (its preferred version). */
interface PreferredGroupVersion {
  readonly group: string;
  readonly version: string;
}

export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

function splitApiVersion(apiVersion: string): PreferredGroupVersion {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function toResources(group: string, version: string, doc: unknown): readonly ApiResource[] {
  const list = (doc ?? {}) as ResourceListDoc;
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({
      group,
      version,
      kind: r.kind,
      resource: r.name,
      namespaced: r.namespaced,
      verbs: [...(r.verbs ?? [])],
    }));
}

export class Discovery {
  readonly #fetch: DiscoveryFetch;
  #groups: Promise<readonly PreferredGroupVersion[]> | undefined;
  readonly #resources = new Map<string, Promise<readonly ApiResource[]>>();

  constructor(fetch: DiscoveryFetch) {
    this.#fetch = fetch;
  }

  invalidate(): void {
    this.#groups = undefined;
    this.#resources.clear();
  }

  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const { group, version } = splitApiVersion(apiVersion);
    const cached = (await this.#resourcesOf(group, version)).find((r) => r.kind === kind);
    if (cached) return cached;
    // A miss may be a CRD installed since the cache was filled: ask the server once more.
    this.#resources.delete(`${group}/${version}`);
    this.#groups = undefined;
    return (await this.#resourcesOf(group, version)).find((r) => r.kind === kind);
  }

  async serverResources(): Promise<readonly ApiResource[]> {
    const groups = await this.#preferredGroupVersions();
    const lists = await Promise.all(groups.map((g) => this.#resourcesOf(g.group, g.version)));
    return lists.flat();
  }

  #resourcesOf(group: string, version: string): Promise<readonly ApiResource[]> {
    const key = `${group}/${version}`;
    let entry = this.#resources.get(key);
    if (!entry) {
      entry = this.#fetch(groupVersionPath(group, version)).then((doc) => toResources(group, version, doc));
      // A failed lookup must not poison the cache.
      entry.catch(() => {
        if (this.#resources.get(key) === entry) this.#resources.delete(key);
      });
      this.#resources.set(key, entry);
    }
    return entry;
  }

  #preferredGroupVersions(): Promise<readonly PreferredGroupVersion[]> {
    if (!this.#groups) {
      const groups = Promise.all([this.#fetch('/api'), this.#fetch('/apis')]).then(([core, apis]) => {
        const coreVersions = ((core ?? {}) as CoreVersionsDoc).versions ?? [];
        const preferred: PreferredGroupVersion[] = coreVersions.includes('v1')
          ? [{ group: '', version: 'v1' }]
          : coreVersions.slice(0, 1).map((version) => ({ group: '', version }));
        for (const g of ((apis ?? {}) as GroupListDoc).groups ?? []) {
          const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
          if (version !== undefined) preferred.push({ group: g.name, version });
        }
        return preferred;
      });
      groups.catch(() => {
        if (this.#groups === groups) this.#groups = undefined;
      });
      this.#groups = groups;
    }
    return this.#groups;
  }
}
