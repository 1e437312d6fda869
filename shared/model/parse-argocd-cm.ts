/**
 * `argocd-cm`: the instance settings Driftless acts on. Several values are YAML documents
 * inside a string; each is parsed and checked with a path that names the key and the field.
 */

import { reconciliationTimeout, trackingMethod } from './application-shapes.js';
import type {
  ArgoCdSettings,
  IgnoreDifferencesRule,
  ResourceCompareOptions,
  ResourceFilter,
  ResourceTrackingMethod,
} from './argo-types.js';
import { configMapData } from './config-map.js';
import type { LoadedDocument } from './load-documents.js';
import { parseNestedYaml } from './nested-yaml.js';
import { type Parsed, sourceOf } from './parsed.js';
import { childPath, ProblemList } from './problems.js';
import { arrayOf, bool, checkShape, isRecord, obj, oneOf, str, strings } from './shape.js';

const IGNORE_PREFIX = 'resource.customizations.ignoreDifferences.';
const LEGACY_CUSTOMIZATIONS = 'resource.customizations';
const DEFAULT_TRACKING_METHOD: ResourceTrackingMethod = 'annotation';

const ignoreRuleShape = obj({
  jsonPointers: strings,
  jqPathExpressions: strings,
  managedFieldsManagers: strings,
});
const filterShape = arrayOf(obj({ apiGroups: strings, kinds: strings, clusters: strings }));
const compareOptionsShape = obj({
  ignoreAggregatedRoles: bool,
  ignoreResourceStatusField: oneOf('crd', 'all', 'none', 'off'),
  ignoreDifferencesOnResourceUpdates: bool,
});

export function parseArgoCdConfigMap(doc: LoadedDocument): Parsed<ArgoCdSettings> {
  const problems = new ProblemList(doc);
  const data = configMapData(doc.object, problems);
  const at = (key: string) => childPath('data', key);

  const ignoreDifferences: Array<{ group: string; kind: string; rule: IgnoreDifferencesRule }> = [];
  let ignoreDifferencesAll: IgnoreDifferencesRule | undefined;
  for (const [key, text] of Object.entries(data)) {
    if (!key.startsWith(IGNORE_PREFIX)) continue;
    const rule = ignoreRule(parseNestedYaml(text, at(key), problems), at(key), problems);
    if (!rule) continue;
    const target = key.slice(IGNORE_PREFIX.length);
    if (target === 'all') {
      ignoreDifferencesAll = rule;
      continue;
    }
    const split = splitGroupKind(target, '_');
    if (!split)
      problems.add(
        at(key),
        `name the resource as <group>_<kind> (or <kind> for the core group), not "${target}"`,
      );
    else ignoreDifferences.push({ ...split, rule });
  }
  ignoreDifferences.push(...legacyCustomizations(data, problems));

  const trackingText = data['application.resourceTrackingMethod'];
  checkShape(trackingText, trackingMethod, at('application.resourceTrackingMethod'), problems);
  const timeout = data['timeout.reconciliation'];
  checkShape(timeout, reconciliationTimeout, at('timeout.reconciliation'), problems);

  const settings: ArgoCdSettings = {
    ...(data.url === undefined ? {} : { url: data.url }),
    ...(ignoreDifferencesAll ? { ignoreDifferencesAll } : {}),
    ignoreDifferences,
    resourceExclusions: filters(data, 'resource.exclusions', problems),
    resourceInclusions: filters(data, 'resource.inclusions', problems),
    resourceTrackingMethod: (trackingText as ResourceTrackingMethod | undefined) || DEFAULT_TRACKING_METHOD,
    ...(timeout === undefined ? {} : { reconciliationTimeout: timeout }),
    compareOptions: compareOptions(data, problems),
    raw: data,
  };
  if (problems.size > 0) return { kind: 'invalid', problems: problems.toArray() };
  return { kind: 'valid', value: settings, source: sourceOf(doc) };
}

function ignoreRule(value: unknown, path: string, problems: ProblemList): IgnoreDifferencesRule | undefined {
  if (value === undefined) return undefined;
  const before = problems.size;
  if (value !== null && !isRecord(value)) {
    problems.add(path, 'must hold a YAML mapping of jsonPointers, jqPathExpressions, managedFieldsManagers');
    return undefined;
  }
  checkShape(value, ignoreRuleShape, path, problems);
  if (problems.size > before) return undefined;
  const rule = value ?? {};
  return {
    jsonPointers: (rule.jsonPointers as string[] | undefined) ?? [],
    jqPathExpressions: (rule.jqPathExpressions as string[] | undefined) ?? [],
    managedFieldsManagers: (rule.managedFieldsManagers as string[] | undefined) ?? [],
  };
}

/** `apps_Deployment` → apps/Deployment; `Service` → core Service (Argo CD's override key). */
function splitGroupKind(target: string, separator: '_' | '/'): { group: string; kind: string } | undefined {
  const parts = target.split(separator);
  if (parts.length === 1 && parts[0]) return { group: '', kind: parts[0] };
  if (parts.length === 2 && parts[1]) return { group: parts[0] ?? '', kind: parts[1] };
  return undefined;
}

/** The older single `resource.customizations` key: a map of `group/Kind` to settings. */
function legacyCustomizations(data: Record<string, string>, problems: ProblemList) {
  const text = data[LEGACY_CUSTOMIZATIONS];
  const result: Array<{ group: string; kind: string; rule: IgnoreDifferencesRule }> = [];
  if (text === undefined) return result;
  const path = childPath('data', LEGACY_CUSTOMIZATIONS);
  const value = parseNestedYaml(text, path, problems);
  if (value === undefined || value === null) return result;
  if (!isRecord(value)) {
    problems.add(path, 'must hold a YAML mapping of <group>/<kind> to customizations');
    return result;
  }
  for (const [target, entry] of Object.entries(value)) {
    const entryPath = childPath(path, target);
    if (!isRecord(entry)) continue;
    checkShape(entry.ignoreDifferences, str, childPath(entryPath, 'ignoreDifferences'), problems);
    if (typeof entry.ignoreDifferences !== 'string') continue;
    const split = splitGroupKind(target, '/');
    if (!split) {
      problems.add(entryPath, `name the resource as <group>/<kind>, not "${target}"`);
      continue;
    }
    const rulePath = childPath(entryPath, 'ignoreDifferences');
    const rule = ignoreRule(parseNestedYaml(entry.ignoreDifferences, rulePath, problems), rulePath, problems);
    if (rule) result.push({ ...split, rule });
  }
  return result;
}

function filters(data: Record<string, string>, key: string, problems: ProblemList): ResourceFilter[] {
  const text = data[key];
  if (text === undefined) return [];
  const path = childPath('data', key);
  const value = parseNestedYaml(text, path, problems);
  if (value === undefined || value === null) return [];
  const before = problems.size;
  checkShape(value, filterShape, path, problems);
  if (problems.size > before || !Array.isArray(value)) return [];
  return value.map((entry: Record<string, unknown> | null) => ({
    apiGroups: (entry?.apiGroups as string[] | undefined) ?? [],
    kinds: (entry?.kinds as string[] | undefined) ?? [],
    clusters: (entry?.clusters as string[] | undefined) ?? [],
  }));
}

function compareOptions(data: Record<string, string>, problems: ProblemList): ResourceCompareOptions {
  const text = data['resource.compareoptions'];
  if (text === undefined) return {};
  const path = childPath('data', 'resource.compareoptions');
  const value = parseNestedYaml(text, path, problems);
  if (value === undefined || value === null) return {};
  const before = problems.size;
  checkShape(value, compareOptionsShape, path, problems);
  if (problems.size > before || !isRecord(value)) return {};
  return { ...value } as ResourceCompareOptions;
}
