/**
 * Health overrides: a custom check that replaces the built-in one for a kind. Argo CD users write
 * these as Lua in argocd-cm (`resource.customizations.health.<group>_<kind>`); Driftless cannot
 * run Lua, so overrides are TypeScript functions registered under Argo CD's override key:
 * `group/Kind`, or just `Kind` for the core group, with `*` and `?` wildcards as in argocd-cm.
 * An override returning undefined defers to the built-in check; one that throws makes the
 * resource Unknown with the error text, as a failing Lua script does.
 */
import { groupOf, type KubeObject } from '../model/index.js';
import type { HealthStatus } from './health-status.js';

export type HealthOverride = (obj: KubeObject) => HealthStatus | undefined;

/** Argo CD's resource override key for an object: `apps/Deployment`, `Pod`. */
export function overrideKey(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const group = groupOf(obj.apiVersion);
  return group === '' ? obj.kind : `${group}/${obj.kind}`;
}

function globPattern(key: string): RegExp {
  const body = key
    .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * One override that dispatches by key: an exact key wins, then the first wildcard key (in
 * insertion order) that matches.
 */
export function overrideRegistry(entries: Readonly<Record<string, HealthOverride>>): HealthOverride {
  const exact = new Map(Object.entries(entries));
  const wildcards = Object.entries(entries)
    .filter(([key]) => key.includes('*') || key.includes('?'))
    .map(([key, check]) => ({ pattern: globPattern(key), check }));
  return (obj) => {
    const key = overrideKey(obj);
    const check = exact.get(key) ?? wildcards.find((w) => w.pattern.test(key))?.check;
    return check?.(obj);
  };
}
