/**
 * Refuses kustomizations that reach outside the repository before kustomize runs. The load
 * restrictor keeps FILES inside each kustomization root, but a directory resource such as
 * `../../../etc` is another root and would be loaded from wherever it points. So every local
 * reference of every kustomization reachable from the source path is resolved against the
 * repository: leaving it is an error naming the kustomization and the reference. Remote
 * references (URLs, `github.com/...`) are left to kustomize.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { DriftlessError } from '../errors/index.js';
import { KUSTOMIZATION_NAMES } from './detect-source-type.js';
import { isRecord, parseYamlDocuments } from './manifest-yaml.js';

const DIRECTORY_FIELDS = ['resources', 'bases', 'components'] as const;
const FILE_LIST_FIELDS = [
  'patchesStrategicMerge',
  'crds',
  'configurations',
  'transformers',
  'generators',
] as const;
const PATH_ENTRY_FIELDS = ['patches', 'patchesJson6902', 'replacements'] as const;
const GENERATOR_FIELDS = ['configMapGenerator', 'secretGenerator'] as const;

export interface ReferenceCheck {
  readonly repoDir: string;
  /** Repository-relative directory of the first kustomization. */
  readonly start: string;
  readonly maxAliasCount: number;
}

/** Returns the repository-relative kustomization file of `dir`, if any. */
export function kustomizationFileIn(repoDir: string, dir: string): string | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const rel = dir === '' ? name : `${dir}/${name}`;
    if (existsSync(join(repoDir, rel))) return rel;
  }
  return undefined;
}

export function checkKustomizeReferences(check: ReferenceCheck): void {
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const file = kustomizationFileIn(check.repoDir, dir);
    if (!file) return;
    const docs = parseYamlDocuments(readFileSync(join(check.repoDir, file), 'utf8'), {
      path: file,
      maxAliasCount: check.maxAliasCount,
    });
    const k = docs[0]?.value;
    if (!isRecord(k)) return;
    const inside = (field: string, ref: string): string | undefined => {
      if (isRemote(ref)) return undefined;
      const resolved = posix.normalize(posix.join(dir, ref));
      if (posix.isAbsolute(ref) || resolved === '..' || resolved.startsWith('../')) {
        throw new DriftlessError(
          'RENDER_FAILED',
          `${file}: accumulating ${field}: ${ref}: outside the repository`,
          {
            context: { path: file, field, reference: ref },
          },
        );
      }
      return resolved === '.' ? '' : resolved;
    };
    for (const field of DIRECTORY_FIELDS) {
      for (const ref of strings(k[field])) {
        const target = inside(field, ref);
        if (target !== undefined && isDirectory(join(check.repoDir, target))) visit(target);
      }
    }
    for (const field of FILE_LIST_FIELDS) for (const ref of strings(k[field])) inside(field, ref);
    for (const field of PATH_ENTRY_FIELDS) {
      for (const entry of list(k[field])) {
        if (isRecord(entry) && typeof entry.path === 'string') inside(field, entry.path);
      }
    }
    for (const field of GENERATOR_FIELDS) {
      for (const gen of list(k[field])) {
        if (!isRecord(gen)) continue;
        for (const f of strings(gen.files)) inside(field, f.includes('=') ? f.slice(f.indexOf('=') + 1) : f);
        for (const f of strings(gen.envs)) inside(field, f);
        if (typeof gen.env === 'string') inside(field, gen.env);
      }
    }
    if (isRecord(k.openapi) && typeof k.openapi.path === 'string') inside('openapi', k.openapi.path);
  };
  visit(check.start);
}

function isRemote(ref: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(ref) ||
    ref.startsWith('git@')
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === 'string');
}
