/**
 * Reads YAML/JSON manifests from files and directories into documents that remember where they
 * came from (file, document index, start line), so every later message can point at the source.
 * YAML 1.2 core schema keeps timestamps and `yes`/`no` as strings, as Kubernetes' JSON does not
 * know them either; `<<` merge keys are honoured because Go's YAML decoder honours them.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Document, LineCounter, parseAllDocuments } from 'yaml';
import { DriftlessError, messageOf } from '../errors/index.js';

export interface LoadedDocument {
  /** The path as the caller gave it, or joined under the directory the caller gave. */
  readonly file: string;
  /** 0-based position of the YAML document in the file, counting empty documents too. */
  readonly index: number;
  /** Position inside a `kind: List` document, when this object was one of its items. */
  readonly item?: number;
  /** 1-based line where the object starts. */
  readonly line: number;
  readonly object: Record<string, unknown>;
}

export interface LoadLimits {
  /** Aliases expanded per document before the document is refused as an alias bomb. */
  readonly maxAliasCount?: number;
  /** Largest file read, in bytes. */
  readonly maxFileBytes?: number;
}

const DEFAULT_MAX_ALIAS_COUNT = 100;
const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Every document of every manifest under `paths`, files in sorted order. */
export async function loadDocuments(
  paths: readonly string[],
  limits: LoadLimits = {},
): Promise<LoadedDocument[]> {
  const files = await listManifestFiles(paths);
  const documents: LoadedDocument[] = [];
  for (const file of files) {
    documents.push(...(await loadFile(file, limits)));
  }
  return documents;
}

/** The manifest files `paths` name: files as given, directories walked recursively and sorted. */
export async function listManifestFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await statOrThrow(path);
    if (info.isDirectory()) files.push(...(await walk(path)));
    else files.push(path);
  }
  return files;
}

export async function loadFile(file: string, limits: LoadLimits = {}): Promise<LoadedDocument[]> {
  const maxBytes = limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const info = await statOrThrow(file);
  if (info.size > maxBytes) {
    throw new DriftlessError(
      'LIMIT_EXCEEDED',
      `${file}: ${info.size} bytes exceeds the ${maxBytes}-byte limit`,
      {
        context: { file },
      },
    );
  }
  const text = await readFile(file, 'utf8');
  return parseDocuments({ file, text, ...limits });
}

export interface ParseDocumentsOptions extends LoadLimits {
  /** Name used in messages and carried by each document. */
  readonly file: string;
  readonly text: string;
}

/** Splits YAML/JSON text into documents; for callers that hold the bytes (a git tree, a request). */
export function parseDocuments(options: ParseDocumentsOptions): LoadedDocument[] {
  const { file, text } = options;
  const maxAliasCount = options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.2',
    schema: 'core',
    merge: true,
    prettyErrors: true,
    lineCounter,
  });
  const result: LoadedDocument[] = [];
  docs.forEach((doc, index) => {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
      const reason = error.message.split('\n')[0] ?? error.message;
      throw new DriftlessError(
        'YAML_PARSE',
        `${file}:${line}: ${reason.replace(/ at line \d+, column \d+:?$/, '')}`,
        {
          context: { file, line, index },
        },
      );
    }
    const contents = doc.contents;
    const line = contents?.range ? lineCounter.linePos(contents.range[0]).line : 1;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (e) {
      if (/alias/i.test(messageOf(e))) {
        throw new DriftlessError(
          'LIMIT_EXCEEDED',
          `${file}:${line}: document ${index} expands more than ${maxAliasCount} YAML aliases; refused as a possible alias bomb`,
          { context: { file, line, index } },
        );
      }
      throw new DriftlessError('YAML_PARSE', `${file}:${line}: ${messageOf(e)}`, {
        context: { file, line, index },
      });
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new DriftlessError(
        'YAML_PARSE',
        `${file}:${line}: document ${index} is ${Array.isArray(value) ? 'a sequence' : `a ${typeof value}`}, not a mapping`,
        { context: { file, line, index } },
      );
    }
    const object = value as Record<string, unknown>;
    if (isList(object)) {
      result.push(...listItems({ file, index, line, object, lineCounter, doc }));
    } else {
      result.push({ file, index, line, object });
    }
  });
  return result;
}

/** `kind: List` and `*List` (ConfigMapList, ...) wrap objects in `items`; kubectl applies the items. */
function isList(object: Record<string, unknown>): boolean {
  return typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items);
}

interface ListSource {
  readonly file: string;
  readonly index: number;
  readonly line: number;
  readonly object: Record<string, unknown>;
  readonly lineCounter: LineCounter;
  readonly doc: Document.Parsed;
}

function listItems(source: ListSource): LoadedDocument[] {
  const items = source.object.items as unknown[];
  const nodes = source.doc.getIn(['items'], true) as
    | { items?: Array<{ range?: [number, number, number] }> }
    | undefined;
  const result: LoadedDocument[] = [];
  items.forEach((item, position) => {
    if (item === null || item === undefined) return;
    const range = nodes?.items?.[position]?.range;
    const line = range ? source.lineCounter.linePos(range[0]).line : source.line;
    if (typeof item !== 'object' || Array.isArray(item)) {
      throw new DriftlessError(
        'YAML_PARSE',
        `${source.file}:${line}: document ${source.index} items[${position}] is not a mapping`,
        { context: { file: source.file, line, index: source.index } },
      );
    }
    result.push({
      file: source.file,
      index: source.index,
      item: position,
      line,
      object: item as Record<string, unknown>,
    });
  });
  return result;
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  // A Helm chart's templates are Go templates, not YAML; helm renders them, nothing reads them raw.
  const isChart = entries.some((entry) => entry.name === 'Chart.yaml' && entry.isFile());
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (isChart && entry.name === 'templates') continue;
    // Symlinked directories are not followed: a link back up the tree would never end.
    if (entry.isDirectory()) {
      if (entry.name === '.git') continue;
      files.push(...(await walk(path)));
    } else if (
      (entry.isFile() || entry.isSymbolicLink()) &&
      MANIFEST_EXTENSIONS.some((ext) => entry.name.endsWith(ext))
    ) {
      if (entry.isSymbolicLink() && !(await statOrThrow(path)).isFile()) continue;
      files.push(path);
    }
  }
  return files;
}

async function statOrThrow(path: string) {
  try {
    return await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DriftlessError(
      'NOT_FOUND',
      `${path}: ${code === 'ENOENT' ? 'no such file or directory' : messageOf(e)}`,
      {
        cause: e,
        context: { file: path },
      },
    );
  }
}
