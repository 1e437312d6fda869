/**
 * Plain manifests, as Argo CD's directory source: `.yaml`, `.yml`, `.json` files directly in the
 * source path (every level with `recurse: true`), walked in byte order; `exclude` then `include`
 * globs tested against the path relative to the source path (exclude wins). Symlinks to files
 * inside the repository are followed; symlinks leaving it are refused. A YAML file that fails
 * to parse is an error only if it looks like a manifest (has `apiVersion:`, `kind:` and
 * `metadata:`), otherwise it is skipped with a note, as Argo CD ignores unrelated YAML files.
 * `.jsonnet` files are rendered by Argo CD; here they are a clear error when they would be read.
 */
import { posix } from 'node:path';
import { DriftlessError, isDriftlessError } from '../errors/index.js';
import { symlinkDestination } from '../git/tree-path.js';
import type { KubeObject } from '../model/kube-object.js';
import type { SourceTree, TreeEntry } from '../ports/source-tree.js';
import { globMatcher } from './glob.js';
import { limitExceeded, RenderBudget } from './limits.js';
import { parseJsonDocument, parseYamlDocuments, toKubeObjects } from './manifest-yaml.js';
import { readPlainYaml } from './plain-yaml-reader.js';
import { ReadAhead } from './read-ahead.js';
import type { RenderContext } from './types.js';

const MANIFEST_FILE = /\.(yaml|yml|json|jsonnet)$/;
const MAX_LINK_HOPS = 16;
/** Tree reads kept in flight while earlier files are parsed. */
const READ_AHEAD = 16;
/** Without streaming state a decoder can be shared by every file. */
const UTF8 = new TextDecoder('utf-8');

export interface DirectoryRender {
  readonly objects: KubeObject[];
  readonly notes: string[];
}

export async function renderDirectory(context: RenderContext): Promise<DirectoryRender> {
  const { request, sourcePath, limits } = context;
  const directory = request.source.directory ?? {};
  const include = directory.include ? globMatcher(directory.include) : undefined;
  const exclude = directory.exclude ? globMatcher(directory.exclude) : undefined;
  const budget = new RenderBudget(limits);
  const notes: string[] = [];
  const files: Array<{ readonly shown: string; readonly real: string }> = [];

  const walk = async (path: string, depth: number): Promise<void> => {
    budget.checkDepth(path, depth);
    for (const entry of await request.tree.list(path)) {
      if (entry.type === 'dir') {
        if (directory.recurse === true) await walk(entry.path, depth + 1);
        continue;
      }
      if (entry.type !== 'file' && entry.type !== 'symlink') continue;
      if (!MANIFEST_FILE.test(entry.name)) continue;
      const real = entry.type === 'symlink' ? await resolveLink(request.tree, entry, notes) : entry.path;
      if (real === undefined) continue;
      const rel = posix.relative(sourcePath || '.', entry.path);
      if (exclude?.(rel)) continue;
      if (include && !include(rel)) continue;
      files.push({ shown: entry.path, real });
    }
  };
  await walk(sourcePath, 0);

  const reads = new ReadAhead({
    count: files.length,
    window: READ_AHEAD,
    // Nothing is read ahead past a file that will fail the render (jsonnet, the file limit).
    eligible: (i) => i < limits.maxFiles && !files[i]!.shown.endsWith('.jsonnet'),
    read: (i) => request.tree.readFile(files[i]!.real),
  });
  const objects: KubeObject[] = [];
  for (const [i, { shown }] of files.entries()) {
    if (shown.endsWith('.jsonnet')) {
      throw new DriftlessError(
        'RENDER_FAILED',
        `${shown}: jsonnet is not supported; exclude it or render it to YAML`,
        {
          context: { path: shown },
        },
      );
    }
    budget.countFile(shown);
    const bytes = await reads.take(i);
    budget.countBytes(shown, bytes.byteLength);
    const text = decodeText(bytes);
    for (const object of readManifests(text, shown, limits.maxAliasCount, notes)) objects.push(object);
  }
  return { objects, notes };
}

function readManifests(text: string, path: string, maxAliasCount: number, notes: string[]): KubeObject[] {
  const options = { path, maxAliasCount };
  if (path.endsWith('.json')) return toKubeObjects(parseJsonDocument(text, options), path);
  const quick = readPlainYaml(text);
  if (quick !== undefined) {
    try {
      return toKubeObjects(
        quick.map((value, i) => ({ index: i + 1, line: 0, value })),
        path,
      );
    } catch {
      // Not objects after all: the full parser below reports it with document and line.
    }
  }
  try {
    return toKubeObjects(parseYamlDocuments(text, options), path);
  } catch (e) {
    if (isDriftlessError(e, 'LIMIT_EXCEEDED') || looksLikeManifest(text)) throw e;
    notes.push(`${path}: skipped, not a Kubernetes manifest (${e instanceof Error ? e.message : String(e)})`);
    return [];
  }
}

function looksLikeManifest(text: string): boolean {
  return text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:');
}

/** Follows a symlink through the tree; undefined (with a note) when it dangles or names a directory. */
async function resolveLink(tree: SourceTree, entry: TreeEntry, notes: string[]): Promise<string | undefined> {
  let path = entry.path;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    const target = await tree.readLink(path);
    const resolved = symlinkDestination(path, target);
    if (resolved === undefined) {
      throw limitExceeded('symlinks', entry.path, `symlink to ${target} leaves the repository`);
    }
    const parent = posix.dirname(resolved);
    const siblings = await tree.list(parent === '.' ? '' : parent).catch(() => [] as readonly TreeEntry[]);
    const found = siblings.find((s) => s.path === resolved);
    if (!found) {
      notes.push(`${entry.path}: destination of symlink is missing`);
      return undefined;
    }
    if (found.type === 'file') return found.path;
    if (found.type !== 'symlink') {
      notes.push(`${entry.path}: ignoring symlink to non-regular file ${resolved}`);
      return undefined;
    }
    path = found.path;
  }
  throw limitExceeded('symlinks', entry.path, `more than ${MAX_LINK_HOPS} chained symlinks`);
}

/** UTF-8, or UTF-16 with a byte-order mark (Argo CD reads both). */
function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return UTF8.decode(bytes);
}
