/**
 * A problem is one thing wrong with one field of one document. Validation collects every problem
 * instead of stopping at the first, so a user fixes a file in one pass. The printed form
 * `<file>#<index>: <path>: <message>` is what `driftless validate` shows and what tests compare.
 */
import { DriftlessError } from '../errors/index.js';

export interface Problem {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  /** Dotted field path inside the object (`spec.destination`), `items[2].` first for List items. */
  readonly path: string;
  readonly message: string;
}

/** Where a document came from; enough to name it in a problem. */
export interface DocumentOrigin {
  readonly file: string;
  readonly index: number;
  /** Position inside a `kind: List` document, when the object was one of its items. */
  readonly item?: number;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}#${problem.index}: ${problem.path}: ${problem.message}`;
}

/** Collects problems for one document; paths are relative to the object. */
export class ProblemList {
  readonly #origin: DocumentOrigin;
  readonly #problems: Problem[] = [];

  constructor(origin: DocumentOrigin) {
    this.#origin = origin;
  }

  add(path: string, message: string): void {
    const prefix = this.#origin.item === undefined ? '' : `items[${this.#origin.item}]`;
    const full = prefix && path ? `${prefix}.${path}` : prefix || path || '.';
    this.#problems.push({ file: this.#origin.file, index: this.#origin.index, path: full, message });
  }

  get size(): number {
    return this.#problems.length;
  }

  toArray(): readonly Problem[] {
    return [...this.#problems];
  }
}

/** One `INVALID_MANIFEST` error carrying every problem, for callers that need a valid object or nothing. */
export function problemsError(problems: readonly Problem[]): DriftlessError {
  const lines = problems.map(formatProblem);
  return new DriftlessError('INVALID_MANIFEST', lines.join('\n'), {
    context: { problems: lines.length, file: problems[0]?.file },
  });
}

/** Joins a parent path and a field name the way problems print them. */
export function childPath(parent: string, field: string | number): string {
  if (typeof field === 'number') return `${parent}[${field}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(field) ? field : JSON.stringify(field);
  if (!parent) return safe;
  return /^[A-Za-z_$]/.test(safe) ? `${parent}.${safe}` : `${parent}[${safe}]`;
}
