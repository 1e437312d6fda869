/**
 * The pure edit behind `driftless promote`: in the text of one YAML file, set the targetRevision
 * of one Application's source and change nothing else. Only the bytes of that one scalar change
 * (or one line is inserted when the field was absent), so comments, key order, quoting and
 * blank lines elsewhere survive exactly; the result is re-parsed to prove the edit took.
 */
import { isMap, isScalar, isSeq, type Node, parseAllDocuments, Scalar, stringify, type YAMLMap } from 'yaml';
import { DriftlessError } from '../errors/index.js';

export interface TargetRevisionEditOptions {
  /** Content of the file. */
  readonly text: string;
  /** Its repository-relative path, for messages. */
  readonly path: string;
  /** metadata.name of the Application. */
  readonly application: string;
  readonly revision: string;
  /** For multi-source Applications (`spec.sources`), which source to change. */
  readonly sourceIndex?: number;
}

export interface ApplicationSourceRef {
  /** `spec.source` or `spec.sources[N]`. */
  readonly field: string;
  readonly repoURL: string;
  /** The current value; undefined when the field is absent (Argo CD then uses HEAD). */
  readonly targetRevision: string | undefined;
}

export type TargetRevisionEdit =
  | ({ readonly kind: 'changed'; readonly text: string } & ApplicationSourceRef)
  | ({ readonly kind: 'unchanged' } & ApplicationSourceRef);

interface Located extends ApplicationSourceRef {
  readonly source: YAMLMap;
}

/** The source of the named Application in the text, or undefined if the file does not hold it. */
export function locateApplicationSource(
  options: Omit<TargetRevisionEditOptions, 'revision'>,
): ApplicationSourceRef | undefined {
  const found = locate(options);
  return found
    ? { field: found.field, repoURL: found.repoURL, targetRevision: found.targetRevision }
    : undefined;
}

export function setTargetRevision(options: TargetRevisionEditOptions): TargetRevisionEdit {
  const found = locate(options);
  if (!found) {
    throw new DriftlessError('NOT_FOUND', `${options.path}: no Application "${options.application}"`, {
      context: { file: options.path, application: options.application },
    });
  }
  const ref: ApplicationSourceRef = {
    field: found.field,
    repoURL: found.repoURL,
    targetRevision: found.targetRevision,
  };
  if (found.targetRevision === options.revision) return { kind: 'unchanged', ...ref };
  const text = spliced(options, found);
  const check = locate({ ...options, text });
  if (check?.targetRevision !== options.revision) {
    throw new DriftlessError(
      'INTERNAL',
      `${options.path}: editing ${found.field}.targetRevision of "${options.application}" did not take`,
      { context: { file: options.path } },
    );
  }
  return { kind: 'changed', text, ...ref };
}

function locate(options: Omit<TargetRevisionEditOptions, 'revision'>): Located | undefined {
  const { text, path, application } = options;
  const where = (field: string) => `${path}: Application "${application}": ${field}`;
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc) || !isMap(doc.contents)) continue;
    const root = doc.contents;
    const kind: unknown = root.get('kind');
    const apiVersion: unknown = root.get('apiVersion');
    const name: unknown = root.getIn(['metadata', 'name']);
    if (kind !== 'Application' || typeof apiVersion !== 'string' || !apiVersion.startsWith('argoproj.io/'))
      continue;
    if (name !== application) continue;
    if (doc.errors.length > 0) {
      throw new DriftlessError('YAML_PARSE', `${path}: ${doc.errors[0]?.message ?? 'invalid YAML'}`, {
        context: { file: path },
      });
    }
    const spec = root.get('spec', true);
    if (!isMap(spec)) throw invalid(where('spec'), 'is missing', path);
    const single = spec.get('source', true);
    const multi = spec.get('sources', true);
    let source: unknown;
    let field: string;
    if (single !== undefined && options.sourceIndex === undefined) {
      source = single;
      field = 'spec.source';
    } else if (isSeq(multi)) {
      const index = options.sourceIndex ?? (multi.items.length === 1 ? 0 : undefined);
      if (index === undefined) {
        throw invalid(
          where('spec.sources'),
          `has ${multi.items.length} sources; choose one with --source N (0-based)`,
          path,
        );
      }
      source = multi.items[index];
      field = `spec.sources[${index}]`;
      if (source === undefined) throw invalid(where(field), 'does not exist', path);
    } else {
      throw invalid(where('spec.source'), 'is missing', path);
    }
    if (!isMap(source)) throw invalid(where(field), 'must be a mapping', path);
    const repoURL: unknown = source.get('repoURL');
    if (typeof repoURL !== 'string' || repoURL === '')
      throw invalid(where(`${field}.repoURL`), 'is missing', path);
    const current: unknown = source.get('targetRevision');
    if (
      current !== undefined &&
      current !== null &&
      typeof current !== 'string' &&
      typeof current !== 'number'
    ) {
      throw invalid(where(`${field}.targetRevision`), 'must be a string', path);
    }
    return {
      source,
      field,
      repoURL,
      targetRevision: current === undefined || current === null ? undefined : String(current),
    };
  }
  return undefined;
}

function spliced(options: TargetRevisionEditOptions, found: Located): string {
  const { text, revision } = options;
  const pair = found.source.items.find((p) => isScalar(p.key) && p.key.value === 'targetRevision');
  const value = pair?.value as Node | null | undefined;
  if (pair && isScalar(value) && value.range) {
    const [start, end] = value.range;
    return text.slice(0, start) + rendered(revision, value.type) + text.slice(end);
  }
  // No field yet: insert a line after repoURL, at its indentation, in a block mapping.
  const repoPair = found.source.items.find((p) => isScalar(p.key) && p.key.value === 'repoURL');
  const key = repoPair?.key as Scalar | undefined;
  const repoValue = repoPair?.value as Node | undefined;
  if (!pair && key?.range && repoValue?.range && !found.source.flow) {
    const lineStart = text.lastIndexOf('\n', key.range[0] - 1) + 1;
    const indent = text.slice(lineStart, key.range[0]);
    const lineEnd = text.indexOf('\n', repoValue.range[1]);
    const at = lineEnd < 0 ? text.length : lineEnd;
    const prefix = /^[ ]*$/.test(indent) ? indent : ' '.repeat(indent.length);
    return `${text.slice(0, at)}\n${prefix}targetRevision: ${rendered(revision, Scalar.PLAIN)}${text.slice(at)}`;
  }
  throw new DriftlessError(
    'INVALID_MANIFEST',
    `${options.path}: Application "${options.application}": ${found.field}.targetRevision cannot be edited in place (flow style or unusual layout)`,
    { context: { file: options.path } },
  );
}

/** The new scalar in the style the old one had; plain only where YAML reads it back as the same string. */
function rendered(value: string, style: Scalar.Type | undefined): string {
  if (style === Scalar.QUOTE_SINGLE) return `'${value.replaceAll("'", "''")}'`;
  if (style === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function invalid(where: string, problem: string, path: string): DriftlessError {
  return new DriftlessError('INVALID_MANIFEST', `${where} ${problem}`, { context: { file: path } });
}
