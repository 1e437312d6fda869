/**
 * The paths a `helm template` run can read: the chart directory whole (templates, files,
 * vendored charts/), the value and file-parameter files the Application names, and the charts
 * its Chart.yaml declares as `file://` dependencies (followed in turn). A symlink anywhere in
 * them makes the reach the whole repository.
 */
import { posix } from 'node:path';
import { isRecord, parseYamlDocuments } from './manifest-yaml.js';
import { ReachBuilder, type RenderReach } from './render-reach.js';
import type { TreeLookup } from './tree-lookup.js';

export interface HelmReachOptions {
  readonly lookup: TreeLookup;
  /** Repository-relative chart directory. */
  readonly chartPath: string;
  /** Repository-relative value and file-parameter files, already checked to lie inside. */
  readonly files: readonly string[];
  readonly maxAliasCount: number;
  readonly maxFileBytes: number;
}

export async function helmReach(options: HelmReachOptions): Promise<RenderReach> {
  const { lookup } = options;
  const reach = new ReachBuilder(lookup);
  const seen = new Set<string>();
  const addChart = async (chart: string): Promise<void> => {
    if (seen.has(chart)) return;
    seen.add(chart);
    const entry = await lookup.entry(chart);
    if (entry?.type === 'symlink') reach.unresolved(`${chart}: symlinked chart directory`);
    if (entry?.type !== 'dir') return;
    await reach.addTree(chart);
    const manifest = chart === '' ? 'Chart.yaml' : `${chart}/Chart.yaml`;
    if ((await lookup.entry(manifest))?.type !== 'file') return;
    const docs = parseYamlDocuments(await lookup.readText(manifest, options.maxFileBytes), {
      path: manifest,
      maxAliasCount: options.maxAliasCount,
    });
    const chartFile = docs[0]?.value;
    const dependencies =
      isRecord(chartFile) && Array.isArray(chartFile.dependencies) ? chartFile.dependencies : [];
    for (const dependency of dependencies) {
      if (!isRecord(dependency) || typeof dependency.repository !== 'string') continue;
      if (!dependency.repository.startsWith('file://')) continue;
      const target = posix.normalize(posix.join(chart, dependency.repository.slice('file://'.length)));
      // helm never reads above the repository here: such a dependency is simply not copied.
      if (target === '..' || target.startsWith('../') || posix.isAbsolute(target)) continue;
      await addChart(target === '.' ? '' : target);
    }
  };
  await addChart(options.chartPath);
  for (const file of options.files) {
    const path = file === '.' ? '' : file;
    const entry = await lookup.entry(path);
    if (entry?.type === 'symlink') reach.unresolved(`${path}: symlinked values file`);
    else if (entry?.type === 'file') reach.addFile(path);
    else if (entry?.type === 'dir') await reach.addTree(path);
  }
  return reach.result();
}
