/**
 * Which renderer a source needs, as Argo CD decides (GetAppSourceType + discovery.AppType):
 * an explicit, non-empty `helm` / `kustomize` / `directory` / `plugin` block wins (two of them is
 * an error; plugins are not supported here). Otherwise the files directly in the source path
 * decide, in byte order, the LAST match winning: a name ending in `Chart.yaml` means helm,
 * `kustomization.yaml`, `kustomization.yml` or `Kustomization` means kustomize. So a directory
 * holding both Chart.yaml and kustomization.yaml is kustomize. Anything else is a directory.
 */
import { DriftlessError } from '../errors/index.js';
import type { ApplicationSource } from '../model/argo-types.js';
import type { TreeEntry } from '../ports/source-tree.js';
import type { SourceType } from './types.js';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function explicitSourceType(source: ApplicationSource): SourceType | undefined {
  const blocks: Array<[string, unknown]> = [
    ['kustomize', source.kustomize],
    ['helm', source.helm],
    ['directory', source.directory],
    ['plugin', source.plugin],
  ];
  // Argo CD normalises empty blocks away before looking (NormalizeSource), so `helm: {}` is no choice.
  const chosen = blocks.filter(([, block]) => !isZero(block)).map(([name]) => name);
  if (chosen.length > 1) {
    throw new DriftlessError(
      'INVALID_MANIFEST',
      `multiple application sources defined: ${chosen.join(',')}`,
      {
        context: { field: 'spec.source' },
      },
    );
  }
  const type = chosen[0];
  if (type === 'plugin') {
    throw new DriftlessError(
      'RENDER_FAILED',
      'config management plugins (spec.source.plugin) are not supported; use directory, kustomize or helm',
      { context: { field: 'spec.source.plugin' } },
    );
  }
  return type as SourceType | undefined;
}

/** Discovery over the entries of the source path (sorted by name). */
export function discoverSourceType(entries: readonly TreeEntry[]): SourceType {
  let found: SourceType = 'directory';
  const names = entries
    .filter((e) => e.type !== 'dir')
    .map((e) => e.name)
    .sort(byteOrder);
  for (const name of names) {
    if (name.endsWith('Chart.yaml')) found = 'helm';
    if ((KUSTOMIZATION_NAMES as readonly string[]).includes(name)) found = 'kustomize';
  }
  return found;
}

function isZero(block: unknown): boolean {
  if (block === undefined || block === null) return true;
  if (typeof block !== 'object') return false;
  return Object.values(block as Record<string, unknown>).every(
    (v) =>
      v === undefined ||
      v === null ||
      v === false ||
      v === '' ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0),
  );
}

export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
