/**
 * A Go text/template engine for ApplicationSet `goTemplate: true`: lexer (text and actions, trim
 * markers, comments) → parser (pipelines, if/else if/else, range, with, variables) → evaluator
 * (Go's missing-key, truthiness and printing rules) with the Sprig functions people use.
 * `goTemplateOptions` accepts `missingkey=default|invalid|zero|error`, as Go's Option does.
 */
import { DriftlessError } from '../../errors/index.js';
import type { TemplateNode } from './ast.js';
import { Evaluator, type MissingKey } from './evaluate.js';
import { TEMPLATE_FUNCTIONS } from './functions.js';
import { parseTemplate } from './parser.js';

export type { MissingKey } from './evaluate.js';
export { toGoJson } from './functions.js';
export { formatGoValue } from './go-format.js';

const FUNCTION_NAMES: ReadonlySet<string> = new Set(TEMPLATE_FUNCTIONS.keys());
const parsed = new Map<string, readonly TemplateNode[]>();
const CACHE_LIMIT = 2000;

/** Parses (cached by source) and executes a template over `data`. */
export function executeGoTemplate(source: string, data: unknown, missingKey: MissingKey): string {
  let nodes = parsed.get(source);
  if (!nodes) {
    nodes = parseTemplate(source, FUNCTION_NAMES);
    if (parsed.size >= CACHE_LIMIT) parsed.clear();
    parsed.set(source, nodes);
  }
  return new Evaluator(source, data, missingKey, TEMPLATE_FUNCTIONS).run(nodes);
}

/** Reads `goTemplateOptions`; only `missingkey=...` exists in Go. */
export function missingKeyOption(options: readonly string[] | undefined): MissingKey {
  let mode: MissingKey = 'default';
  for (const option of options ?? []) {
    const match = /^missingkey=(default|invalid|zero|error)$/.exec(option);
    if (!match) {
      throw new DriftlessError(
        'INVALID_MANIFEST',
        `goTemplateOptions: unrecognized option ${JSON.stringify(option)}`,
      );
    }
    mode = match[1] === 'invalid' ? 'default' : (match[1] as MissingKey);
  }
  return mode;
}
