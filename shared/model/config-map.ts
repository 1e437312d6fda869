/**
 * Argo CD's settings ConfigMaps are recognised by name in any namespace; their `data` must be a
 * map of strings, as the API server insists.
 */
import type { ProblemList } from './problems.js';
import { checkShape, isRecord, stringMap } from './shape.js';

export const ARGOCD_CM = 'argocd-cm';
export const ARGOCD_RBAC_CM = 'argocd-rbac-cm';

export function configMapName(object: Record<string, unknown>): string | undefined {
  if (object.apiVersion !== 'v1' || object.kind !== 'ConfigMap') return undefined;
  const metadata = object.metadata;
  return isRecord(metadata) && typeof metadata.name === 'string' ? metadata.name : undefined;
}

/** The `data` map, with every non-string value reported; only the string entries are returned. */
export function configMapData(
  object: Record<string, unknown>,
  problems: ProblemList,
): Record<string, string> {
  const data = object.data;
  if (data === undefined || data === null) return {};
  checkShape(data, stringMap, 'data', problems);
  if (!isRecord(data)) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (typeof value === 'string') result[key] = value;
  return result;
}
