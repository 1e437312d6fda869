/**
 * `argocd app diff`-style text for one resource: a `===== group/Kind namespace/name ======`
 * header, then a unified diff from live to desired of the normalised, masked YAML. Resources
 * without differences print nothing.
 */
import type { DiffResult } from './diff-types.js';
import { unifiedHunks } from './line-diff.js';
import { renderYaml } from './render-yaml.js';

export interface UnifiedDiffOptions {
  /** Lines of context around each change; 3 like diff -u. */
  readonly context?: number;
}

export function unifiedDiff(result: DiffResult, options: UnifiedDiffOptions = {}): string {
  if (result.status === 'Synced') return '';
  const context = options.context ?? 3;
  const { group, kind, namespace, name } = result.key;
  const live = toLines(renderYaml(result.normalizedLive));
  const desired = toLines(renderYaml(result.normalizedDesired));
  const hunks = unifiedHunks(live, desired, context);
  const header = `===== ${group}/${kind} ${namespace}/${name} ======`;
  if (hunks.length === 0) return `${header}\n`;
  return [header, '--- live', '+++ desired', ...hunks, ''].join('\n');
}

function toLines(text: string): readonly string[] {
  if (text === '') return [];
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}
