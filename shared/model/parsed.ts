/**
 * The outcome of parsing one document: a valid, defaulted object that remembers its origin, or
 * every problem found in it. Never both, so a caller cannot use half-valid input by accident.
 */
import type { LoadedDocument } from './load-documents.js';
import type { Problem } from './problems.js';

export interface Located<T> {
  readonly value: T;
  /** The document the value came from, for messages further down the line. */
  readonly source: Pick<LoadedDocument, 'file' | 'index' | 'item' | 'line'>;
}

export type Parsed<T> =
  | ({ readonly kind: 'valid' } & Located<T>)
  | { readonly kind: 'invalid'; readonly problems: readonly Problem[] };

export function sourceOf(doc: LoadedDocument): Located<unknown>['source'] {
  return doc.item === undefined
    ? { file: doc.file, index: doc.index, line: doc.line }
    : { file: doc.file, index: doc.index, item: doc.item, line: doc.line };
}
