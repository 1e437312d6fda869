/**
 * The graph of kustomizations reachable from a source path, and what each one names. It has two
 * uses. First, refusing kustomizations that reach outside the repository before kustomize runs:
 * the load restrictor keeps FILES inside each kustomization root, but a directory resource such
 * as `../../../etc` is another root and would be loaded from wherever it points, so every local
 * reference of every reachable kustomization is resolved against the repository and leaving it
 * is an error naming the kustomization and the reference. Second, telling the renderer which
 * paths kustomize can read at all, so only those are materialized (see kustomize-reach.ts).
 * References that cannot be followed statically (remote URLs, globs, symlinks) are reported as
 * unresolved and left to kustomize; the caller then gives kustomize the whole repository.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DriftlessError } from '../errors/index.js';
import { KUSTOMIZATION_NAMES } from './detect-source-type.js';
import { isRecord, parseYamlDocuments } from './manifest-yaml.js';

/** Fields whose entries may be kustomization roots (directories kustomize builds in turn). */
const ROOT_FIELDS = ['resources', 'bases', 'components'] as const;
/** Lists of file paths; transformers, generators and validators may also name roots or hold inline YAML. */
const FILE_LIST_FIELDS = [
  'patchesStrategicMerge',
  'crds',
  'configurations',
  'transformers',
  'generators',
  'validators',
] as const;
const ROOT_CAPABLE_FILE_FIELDS: ReadonlySet<string> = new Set(['transformers', 'generators', 'validators']);
const PATH_ENTRY_FIELDS = ['patches', 'patchesJson6902', 'replacements'] as const;
const GENERATOR_FIELDS = ['configMapGenerator', 'secretGenerator'] as const;

export type PathKind = 'file' | 'dir' | 'symlink';

/** Where the walk reads kustomizations from: the source tree, or a materialized copy on disk. */
export interface KustomizeSource {
  /** What is at a repository-relative path; undefined if nothing. */
  kind(path: string): Promise<PathKind | undefined>;
  readText(path: string): Promise<string>;
}

export interface KustomizeWalk {
  readonly source: KustomizeSource;
  /** Repository-relative directory of the first kustomization. */
  readonly start: string;
  readonly maxAliasCount: number;
  /** The start kustomization as edited with the Application's options; it replaces the file. */
  readonly edited?: Readonly<Record<string, unknown>>;
}

export interface KustomizeGraph {
  /** Kustomization roots that exist, repository-relative. */
  readonly roots: readonly string[];
  /** Files named by the kustomizations. */
  readonly files: readonly string[];
  /** Directories named by the kustomizations that are read whole rather than built (chartHome...). */
  readonly trees: readonly string[];
  /** Named paths that do not exist: the tool's message about them names their nearest existing parent. */
  readonly missing: readonly string[];
  /** Why the graph is not closed (remote URL, glob, symlink); empty when every reference was followed. */
  readonly unresolved: readonly string[];
}

/** Returns the repository-relative kustomization file of `dir`, if any. */
export async function kustomizationFileOf(
  source: KustomizeSource,
  dir: string,
): Promise<{ readonly path: string; readonly kind: PathKind } | undefined> {
  for (const name of KUSTOMIZATION_NAMES) {
    const path = dir === '' ? name : `${dir}/${name}`;
    const kind = await source.kind(path);
    if (kind) return { path, kind };
  }
  return undefined;
}

export async function walkKustomizations(walk: KustomizeWalk): Promise<KustomizeGraph> {
  const roots = new Set<string>();
  const files = new Set<string>();
  const trees = new Set<string>();
  const missing = new Set<string>();
  const unresolved: string[] = [];
  const seen = new Set<string>();

  const visit = async (dir: string): Promise<void> => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const kind = await walk.source.kind(dir);
    if (kind === 'symlink') unresolved.push(`${dir}: symlinked kustomization directory`);
    if (kind !== 'dir') return;
    roots.add(dir);
    const file = await kustomizationFileOf(walk.source, dir);
    if (!file) return;
    if (file.kind === 'symlink') unresolved.push(`${file.path}: symlinked kustomization`);
    if (file.kind !== 'file') return;
    const k =
      dir === walk.start && walk.edited
        ? walk.edited
        : parseYamlDocuments(await walk.source.readText(file.path), {
            path: file.path,
            maxAliasCount: walk.maxAliasCount,
          })[0]?.value;
    if (!isRecord(k)) return;

    const inside = (field: string, ref: string): string | undefined => {
      if (isRemote(ref)) {
        unresolved.push(`${file.path}: ${field}: remote ${ref}`);
        return undefined;
      }
      const resolved = posix.normalize(posix.join(dir, ref));
      if (posix.isAbsolute(ref) || resolved === '..' || resolved.startsWith('../')) {
        throw new DriftlessError(
          'RENDER_FAILED',
          `${file.path}: accumulating ${field}: ${ref}: outside the repository`,
          { context: { path: file.path, field, reference: ref } },
        );
      }
      // Inline YAML (a patch or transformer config written in place) names no file.
      if (ref.includes('\n')) return undefined;
      if (/[*?[]/.test(ref)) {
        unresolved.push(`${file.path}: ${field}: pattern ${ref}`);
        return undefined;
      }
      return resolved === '.' ? '' : resolved;
    };
    /** A named path: a root to build, or a file or directory kustomize reads as it is. */
    const follow = async (field: string, ref: string, mayBeRoot: boolean): Promise<void> => {
      const target = inside(field, ref);
      if (target === undefined) return;
      const kind = await walk.source.kind(target);
      if (kind === 'symlink') unresolved.push(`${target}: symlink named by ${file.path}`);
      else if (kind === 'file') files.add(target);
      else if (kind === 'dir' && mayBeRoot) await visit(target);
      else if (kind === 'dir') trees.add(target);
      else missing.add(target);
    };

    for (const field of ROOT_FIELDS) for (const ref of strings(k[field])) await follow(field, ref, true);
    for (const field of FILE_LIST_FIELDS) {
      for (const ref of strings(k[field])) await follow(field, ref, ROOT_CAPABLE_FILE_FIELDS.has(field));
    }
    for (const field of PATH_ENTRY_FIELDS) {
      for (const entry of list(k[field])) {
        if (isRecord(entry) && typeof entry.path === 'string') await follow(field, entry.path, false);
      }
    }
    for (const field of GENERATOR_FIELDS) {
      for (const gen of list(k[field])) {
        if (!isRecord(gen)) continue;
        for (const f of strings(gen.files)) {
          await follow(field, f.includes('=') ? f.slice(f.indexOf('=') + 1) : f, false);
        }
        for (const f of strings(gen.envs)) await follow(field, f, false);
        if (typeof gen.env === 'string') await follow(field, gen.env, false);
      }
    }
    if (isRecord(k.openapi) && typeof k.openapi.path === 'string') {
      await follow('openapi', k.openapi.path, false);
    }
    const charts = list(k.helmCharts);
    for (const chart of charts) {
      if (!isRecord(chart)) continue;
      if (typeof chart.valuesFile === 'string') await follow('helmCharts', chart.valuesFile, false);
      for (const f of strings(chart.additionalValuesFiles)) await follow('helmCharts', f, false);
    }
    const globals = isRecord(k.helmGlobals) ? k.helmGlobals : {};
    const chartHome = typeof globals.chartHome === 'string' ? globals.chartHome : 'charts';
    if (charts.length > 0 || typeof globals.chartHome === 'string') {
      await follow('helmGlobals', chartHome, false);
    }
  };
  await visit(walk.start);
  return {
    roots: [...roots],
    files: [...files],
    trees: [...trees],
    missing: [...missing],
    unresolved,
  };
}

/** Reads a materialized repository; stat follows symlinks, as kustomize itself does. */
export function diskKustomizeSource(repoDir: string): KustomizeSource {
  return {
    kind: async (path) => {
      try {
        return statSync(join(repoDir, path)).isDirectory() ? 'dir' : 'file';
      } catch {
        return undefined;
      }
    },
    readText: (path) => readFile(join(repoDir, path), 'utf8'),
  };
}

/** Sync check on a materialized repository: whether `dir` has a kustomization file (for edits). */
export function kustomizationFileIn(repoDir: string, dir: string): string | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const rel = dir === '' ? name : `${dir}/${name}`;
    if (existsSync(join(repoDir, rel))) return rel;
  }
  return undefined;
}

/** Refuses references leaving the repository, over a repository materialized whole. */
export async function checkKustomizeReferences(check: {
  readonly repoDir: string;
  readonly start: string;
  readonly maxAliasCount: number;
}): Promise<void> {
  await walkKustomizations({
    source: diskKustomizeSource(check.repoDir),
    start: check.start,
    maxAliasCount: check.maxAliasCount,
  });
}

function isRemote(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    /^[a-z][a-z0-9+.-]*::/i.test(ref) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) ||
    ref.startsWith('git@')
  );
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === 'string');
}
