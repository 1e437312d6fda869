/**
 * The git generator, read through the GitSource port at `revision` (HEAD by default):
 * - directories: every directory of the tree (dot-directories and what is under them skipped)
 *   matching an include `path` and no `exclude: true` path, with Go `path.Match` globs; params
 *   `path`, `path.basename`, `path.basenameNormalized`, `path[N]` (goTemplate: `path.path`,
 *   `path.segments`), under `pathParamPrefix` when set.
 * - files: every file matching an include pattern and no exclude pattern (git pathspec globs),
 *   in path order; each YAML/JSON file yields one set per object (a list yields one per element),
 *   flattened for fasttemplate; `path` is the file's DIRECTORY, plus `path.filename(Normalized)`.
 * - branches (a Driftless extension): globs over the repository's branch names; the generator
 *   then runs once per matching branch at that branch's head, adding `branch` and
 *   `branchNormalized`, or yields one set per branch when neither directories nor files is set.
 */
import { posix } from 'node:path';
import { parse } from 'yaml';
import { DriftlessError, messageOf } from '../../errors/index.js';
import type { SourceTree } from '../../ports/source-tree.js';
import { flattenParams } from '../flatten.js';
import { sanitizeName } from '../names.js';
import { isPlainObject, type ParamSet } from '../params.js';
import { gitPathspecMatch, goPathMatch } from '../path-match.js';
import type { GeneratorRun, LeafGenerator } from './generator-run.js';
import { withValues } from './values.js';

interface PathItem {
  readonly path: string;
  readonly exclude: boolean;
}

export const gitGenerator: LeafGenerator = async (body, at, run) => {
  const repoURL = body.repoURL;
  if (typeof repoURL !== 'string' || repoURL === '') {
    throw new DriftlessError('INVALID_MANIFEST', `${at}.repoURL: is required`);
  }
  const directories = pathItems(body.directories, `${at}.directories`);
  const files = pathItems(body.files, `${at}.files`);
  const branches = branchPatterns(body.branches, `${at}.branches`);
  if (directories.length === 0 && files.length === 0 && branches === undefined) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}: set directories, files or branches`);
  }
  const prefix = typeof body.pathParamPrefix === 'string' ? body.pathParamPrefix : '';
  const git = run.sources.git;
  if (!git) throw new DriftlessError('INVALID_MANIFEST', `${at}: no git source to read ${repoURL} from`);

  const atRevision = async (revision: string): Promise<ParamSet[]> => {
    if (directories.length === 0 && files.length === 0) return [{}];
    const commit = await git.resolve(repoURL, revision);
    const tree = await git.open(repoURL, commit);
    if (directories.length > 0) return directoryParams(tree, directories, prefix, run);
    return fileParams(tree, files, prefix, at, run);
  };

  if (branches === undefined) {
    const revision = typeof body.revision === 'string' && body.revision !== '' ? body.revision : 'HEAD';
    return (await atRevision(revision)).map((p) => withValues(p, body.values, at, run.mode));
  }
  const lister = run.sources.branches;
  if (!lister)
    throw new DriftlessError('INVALID_MANIFEST', `${at}.branches: no branch listing for ${repoURL}`);
  const names = [...(await lister.listBranches(repoURL))]
    .filter((name) => matchesBranch(name, branches))
    .sort();
  const out: ParamSet[] = [];
  for (const branch of names) {
    const branchParams = { branch, branchNormalized: sanitizeName(branch) };
    for (const params of await atRevision(branch)) {
      out.push(withValues({ ...params, ...branchParams }, body.values, at, run.mode));
    }
  }
  return out;
};

function pathItems(value: unknown, at: string): PathItem[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DriftlessError('INVALID_MANIFEST', `${at}: must be a list`);
  return value.map((item, i) => {
    if (!isPlainObject(item) || typeof item.path !== 'string') {
      throw new DriftlessError('INVALID_MANIFEST', `${at}[${i}].path: is required`);
    }
    return { path: item.path, exclude: item.exclude === true };
  });
}

function branchPatterns(value: unknown, at: string): PathItem[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}: must be a non-empty list of branch globs`);
  }
  return value.map((item, i) => {
    if (typeof item === 'string') return { path: item, exclude: false };
    if (isPlainObject(item) && typeof item.path === 'string')
      return { path: item.path, exclude: item.exclude === true };
    throw new DriftlessError('INVALID_MANIFEST', `${at}[${i}]: must be a glob such as release-*`);
  });
}

function matchesBranch(name: string, patterns: readonly PathItem[]): boolean {
  return includedBy(patterns, (p) => goPathMatch(p, name));
}

/** Included by a non-exclude pattern and by no exclude pattern: exclusion always wins. */
function includedBy(patterns: readonly PathItem[], matches: (pattern: string) => boolean): boolean {
  let included = false;
  for (const item of patterns) {
    if (!matches(item.path)) continue;
    if (item.exclude) return false;
    included = true;
  }
  return included;
}

async function directoryParams(
  tree: SourceTree,
  items: readonly PathItem[],
  prefix: string,
  run: GeneratorRun,
): Promise<ParamSet[]> {
  const all = await walk(tree, '', 'dir');
  return all
    .filter((dir) => includedBy(items, (p) => goPathMatch(p, dir)))
    .map((dir) => pathParams(dir, undefined, prefix, run));
}

async function fileParams(
  tree: SourceTree,
  items: readonly PathItem[],
  prefix: string,
  at: string,
  run: GeneratorRun,
): Promise<ParamSet[]> {
  const includes = items.filter((i) => !i.exclude);
  const excludes = items.filter((i) => i.exclude);
  const files = (await walk(tree, '', 'file'))
    .filter((f) => includes.some((i) => gitPathspecMatch(i.path, f)))
    .filter((f) => !excludes.some((i) => gitPathspecMatch(i.path, f)))
    .sort();
  const out: ParamSet[] = [];
  for (const file of files) {
    const text = new TextDecoder().decode(await tree.readFile(file));
    for (const object of parseParamFile(text, file, at)) {
      const params = run.mode.goTemplate ? structuredClone(object) : flattenParams(object);
      out.push({ ...params, ...pathParams(posix.dirname(file), posix.basename(file), prefix, run) });
    }
  }
  return out;
}

function parseParamFile(text: string, file: string, at: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = parse(text, { version: '1.2' });
  } catch (e) {
    throw new DriftlessError('INVALID_MANIFEST', `${at}: unable to process file '${file}': ${messageOf(e)}`, {
      context: { file },
    });
  }
  if (parsed === null || parsed === undefined) return [{}];
  if (isPlainObject(parsed)) return [parsed];
  if (Array.isArray(parsed) && parsed.every(isPlainObject)) return parsed;
  throw new DriftlessError(
    'INVALID_MANIFEST',
    `${at}: unable to process file '${file}': must hold an object or a list of objects`,
    { context: { file } },
  );
}

/** Path parameters of a directory (and, for the files generator, the file name in it). */
function pathParams(dir: string, filename: string | undefined, prefix: string, run: GeneratorRun): ParamSet {
  const basename = posix.basename(dir);
  if (run.mode.goTemplate) {
    const path: Record<string, unknown> = {
      path: dir,
      basename,
      basenameNormalized: sanitizeName(basename),
      segments: dir.split('/'),
    };
    if (filename !== undefined) {
      path.filename = filename;
      path.filenameNormalized = sanitizeName(filename);
    }
    return prefix ? { [prefix]: { path } } : { path };
  }
  const name = prefix ? `${prefix}.path` : 'path';
  const params: Record<string, string> = {
    [name]: dir,
    [`${name}.basename`]: basename,
    [`${name}.basenameNormalized`]: sanitizeName(basename),
  };
  if (filename !== undefined) {
    params[`${name}.filename`] = filename;
    params[`${name}.filenameNormalized`] = sanitizeName(filename);
  }
  dir.split('/').forEach((segment, i) => {
    if (segment !== '') params[`${name}[${i}]`] = segment;
  });
  return params;
}

/** Every directory (or file) under `path`, depth first in name order; dot-directories are skipped whole. */
async function walk(tree: SourceTree, path: string, type: 'dir' | 'file'): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await tree.list(path)) {
    if (entry.type === 'dir') {
      if (type === 'dir' && entry.name.startsWith('.')) continue;
      if (entry.name === '.git') continue;
      if (type === 'dir') out.push(entry.path);
      out.push(...(await walk(tree, entry.path, type)));
    } else if (entry.type === 'file' && type === 'file') {
      out.push(entry.path);
    }
  }
  return out;
}
