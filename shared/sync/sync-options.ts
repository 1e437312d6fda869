/**
 * Sync options, read the way Argo CD reads them. Operation-level options come from
 * spec.syncPolicy.syncOptions (or the sync request) and match exactly (`Replace=true`);
 * per-resource options come from the `argocd.argoproj.io/sync-options` annotation
 * (`Replace=true,Prune=false`). For key=value lookups the first match wins. A resource's own
 * value takes precedence where Argo CD lets it (Prune, Delete, ServerSideApply=false).
 */
import type { KubeObject } from '../model/kube-object.js';
import {
  ANNOTATION_COMPARE_OPTIONS,
  ANNOTATION_SYNC_OPTIONS,
  annotationCsv,
  hasAnnotationOption,
} from './annotations.js';

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface OperationSyncSettings {
  readonly createNamespace: boolean;
  readonly pruneLast: boolean;
  readonly applyOutOfSyncOnly: boolean;
  readonly serverSideApply: boolean;
  readonly replace: boolean;
  readonly force: boolean;
  readonly validate: boolean;
  readonly failOnSharedResource: boolean;
  readonly respectIgnoreDifferences: boolean;
  readonly skipDryRunOnMissingResource: boolean;
  readonly prunePropagationPolicy: PropagationPolicy;
  /** App-level `Prune=` value (`false`, `confirm`), the default for resources without one. */
  readonly prune?: string;
  /** App-level `Delete=` value, consulted when the app itself is deleted. */
  readonly delete?: string;
}

export function hasOption(options: readonly string[], option: string): boolean {
  return options.includes(option);
}

export function optionValue(options: readonly string[], key: string): string | undefined {
  const prefix = `${key}=`;
  for (const option of options) if (option.startsWith(prefix)) return option.slice(prefix.length);
  return undefined;
}

export function resourceOptionValue(obj: KubeObject | undefined, key: string): string | undefined {
  return optionValue(annotationCsv(obj, ANNOTATION_SYNC_OPTIONS), key);
}

export function hasResourceOption(obj: KubeObject | undefined, option: string): boolean {
  return hasAnnotationOption(obj, ANNOTATION_SYNC_OPTIONS, option);
}

export function operationSyncSettings(options: readonly string[]): OperationSyncSettings {
  let prunePropagationPolicy: PropagationPolicy = 'Foreground';
  // Argo CD checks background, then foreground, then orphan; the first present wins.
  if (hasOption(options, 'PrunePropagationPolicy=background')) prunePropagationPolicy = 'Background';
  else if (hasOption(options, 'PrunePropagationPolicy=foreground')) prunePropagationPolicy = 'Foreground';
  else if (hasOption(options, 'PrunePropagationPolicy=orphan')) prunePropagationPolicy = 'Orphan';
  return {
    createNamespace: hasOption(options, 'CreateNamespace=true'),
    pruneLast: hasOption(options, 'PruneLast=true'),
    applyOutOfSyncOnly: hasOption(options, 'ApplyOutOfSyncOnly=true'),
    serverSideApply: hasOption(options, 'ServerSideApply=true'),
    replace: hasOption(options, 'Replace=true'),
    force: hasOption(options, 'Force=true'),
    validate: !hasOption(options, 'Validate=false'),
    failOnSharedResource: hasOption(options, 'FailOnSharedResource=true'),
    respectIgnoreDifferences: hasOption(options, 'RespectIgnoreDifferences=true'),
    skipDryRunOnMissingResource: hasOption(options, 'SkipDryRunOnMissingResource=true'),
    prunePropagationPolicy,
    ...definedEntry('prune', optionValue(options, 'Prune')),
    ...definedEntry('delete', optionValue(options, 'Delete')),
  };
}

function definedEntry<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** How one object is written. Options on the live object count too (Argo CD reads both). */
export interface ApplySettings {
  readonly replace: boolean;
  readonly force: boolean;
  readonly serverSideApply: boolean;
  readonly validate: boolean;
}

export function applySettings(
  settings: OperationSyncSettings,
  target: KubeObject,
  live: KubeObject | undefined,
): ApplySettings {
  return {
    replace:
      settings.replace ||
      hasResourceOption(target, 'Replace=true') ||
      hasResourceOption(live, 'Replace=true'),
    force: settings.force || hasResourceOption(target, 'Force=true') || hasResourceOption(live, 'Force=true'),
    serverSideApply:
      !hasResourceOption(target, 'ServerSideApply=false') &&
      (settings.serverSideApply || hasResourceOption(target, 'ServerSideApply=true')),
    validate: settings.validate && !hasResourceOption(target, 'Validate=false'),
  };
}

export type PruneDecision = 'prune' | 'disabled' | 'confirm';

/** Prune=false / Prune=confirm on the live object, else the app-level default. */
export function pruneDecision(settings: OperationSyncSettings, live: KubeObject): PruneDecision {
  const value = resourceOptionValue(live, 'Prune') ?? settings.prune;
  if (value === 'false') return 'disabled';
  if (value === 'confirm') return 'confirm';
  return 'prune';
}

export function pruneLastFor(settings: OperationSyncSettings, live: KubeObject): boolean {
  return settings.pruneLast || hasResourceOption(live, 'PruneLast=true');
}

/** Compare option IgnoreExtraneous: an extraneous object does not make the app OutOfSync. */
export function ignoresExtraneous(obj: KubeObject | undefined): boolean {
  return hasAnnotationOption(obj, ANNOTATION_COMPARE_OPTIONS, 'IgnoreExtraneous');
}
