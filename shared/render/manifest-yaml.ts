/**
 * Reads Kubernetes manifests the way Argo CD's repo-server does (sigs.k8s.io/yaml over go-yaml v2,
 * then JSON): YAML 1.1 scalars (`yes`/`on` are booleans, `0644` is octal), timestamps stay strings,
 * merge keys work, later duplicate keys win, empty documents are skipped, anything with a
 * top-level `items` array is a List and is flattened. Aliases are capped (billion laughs).
 * Output is written back the same way, so a render is byte-identical for identical input.
 */
import { type CollectionTag, parseAllDocuments, type ScalarTag, stringify, type Tags } from 'yaml';
import { DriftlessError } from '../errors/index.js';
import type { KubeObject } from '../model/kube-object.js';

const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);

/** Go's strconv.ParseInt(s, 0, 64), which go-yaml v2 uses, also reads `0o17`. */
const goOctal: ScalarTag = {
  identify: (v) => Number.isInteger(v),
  default: true,
  tag: 'tag:yaml.org,2002:int',
  format: 'OCT',
  test: /^[-+]?0o[0-7_]+$/,
  resolve: (s) =>
    (s.startsWith('-') ? -1 : 1) * Number.parseInt(s.replace(/^[-+]?0o/, '').replace(/_/g, ''), 8),
};

/**
 * go-yaml v2 has no sexagesimal numbers and keeps timestamps as strings when decoding to JSON
 * (checked against `kubectl label --local -o json`, which decodes with the same library).
 */
function goYamlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => {
    const tag = t as ScalarTag | CollectionTag;
    return !DROPPED_TAGS.has(tag.tag) && (tag as ScalarTag).format !== 'TIME';
  });
  return [goOctal, ...kept];
}

export interface ParsedDocument {
  /** 1-based index of the document in its file. */
  readonly index: number;
  readonly line: number;
  readonly value: unknown;
}

export interface ParseOptions {
  /** Repository-relative path, for messages. */
  readonly path: string;
  readonly maxAliasCount: number;
}

/** Parses every document of a YAML stream; syntax errors name `path:line`. */
export function parseYamlDocuments(text: string, options: ParseOptions): ParsedDocument[] {
  const docs = parseAllDocuments(text, {
    schema: 'yaml-1.1',
    customTags: goYamlTags,
    merge: true,
    uniqueKeys: false,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  const out: ParsedDocument[] = [];
  let index = 0;
  for (const doc of list) {
    index++;
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0].line ?? lineAt(text, error.pos[0]);
      throw new DriftlessError('YAML_PARSE', `${options.path}:${line}: ${firstLine(error.message)}`, {
        context: { path: options.path, line, document: index },
      });
    }
    const line = lineAt(text, doc.range[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: options.maxAliasCount });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      if (/alias/i.test(reason)) {
        throw new DriftlessError(
          'LIMIT_EXCEEDED',
          `${options.path}: document ${index}: more than ${options.maxAliasCount} YAML alias expansions (maxAliasCount)`,
          { context: { path: options.path, limit: 'maxAliasCount', document: index } },
        );
      }
      throw new DriftlessError('YAML_PARSE', `${options.path}:${line}: ${firstLine(reason)}`, {
        context: { path: options.path, line, document: index },
      });
    }
    if (value === null || value === undefined) continue;
    out.push({ index, line, value });
  }
  return out;
}

/** Parses one JSON file; Argo CD allows exactly one object per `.json` file. */
export function parseJsonDocument(text: string, options: ParseOptions): ParsedDocument[] {
  try {
    const value: unknown = JSON.parse(text);
    return value === null ? [] : [{ index: 1, line: 1, value }];
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(reason);
    const line = pos ? lineAt(text, Number(pos[1])) : 1;
    throw new DriftlessError('YAML_PARSE', `${options.path}:${line}: ${reason}`, {
      context: { path: options.path, line },
    });
  }
}

/**
 * Turns parsed documents into objects: Lists flattened (any top-level `items` array, as
 * unstructured.IsList), `<Kind>List` with null items dropped, everything else must carry
 * apiVersion and kind.
 */
export function toKubeObjects(docs: readonly ParsedDocument[], path: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of docs) {
    const where = `${path}: document ${doc.index} (line ${doc.line})`;
    const value = doc.value;
    if (isRecord(value) && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        out.push(asKubeObject(item, `${where}: items[${i}]`));
      });
      continue;
    }
    if (
      isRecord(value) &&
      typeof value.kind === 'string' &&
      value.kind.endsWith('List') &&
      value.items == null
    ) {
      if ('items' in value) continue;
    }
    out.push(asKubeObject(value, where));
  }
  return out;
}

function asKubeObject(value: unknown, where: string): KubeObject {
  if (!isRecord(value)) {
    throw new DriftlessError('INVALID_MANIFEST', `${where}: not a Kubernetes object (a ${describe(value)})`);
  }
  for (const field of ['apiVersion', 'kind'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `${where}: not a Kubernetes object: '${field}' is missing`,
        {
          context: { field },
        },
      );
    }
  }
  if (value.metadata !== undefined && !isRecord(value.metadata)) {
    throw new DriftlessError('INVALID_MANIFEST', `${where}: metadata is not an object`, {
      context: { field: 'metadata' },
    });
  }
  if (value.metadata === undefined) value.metadata = {};
  return value as KubeObject;
}

/** Multi-document YAML of objects, quoted so that YAML 1.1 readers read the same values back. */
export function objectsToYaml(objects: readonly KubeObject[]): string {
  return objects.map(valueToYaml).join('---\n');
}

export function valueToYaml(value: unknown): string {
  return stringify(value, {
    schema: 'yaml-1.1',
    customTags: goYamlTags,
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'sequence';
  return typeof value === 'string' ? 'string' : typeof value;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
