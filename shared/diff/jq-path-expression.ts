/**
 * A compiled `jqPathExpressions` entry. Argo CD runs `del(<expression>)` over the object; here the
 * expression is evaluated in path mode and the resulting concrete paths are removed, which is what
 * `del` does. Compilation happens once per rule set, so syntax errors surface before any object is
 * compared and name the expression at fault.
 */
import { evaluatePaths, evaluateValues, JqRuntimeError } from './jq-evaluate.js';
import { type JqNode, parseJq } from './jq-parser.js';
import type { FieldPath, JsonValue } from './json-value.js';

export type JqPathsOutcome =
  | { readonly kind: 'paths'; readonly paths: readonly FieldPath[] }
  | { readonly kind: 'error'; readonly message: string };

export interface JqPathExpression {
  readonly expression: string;
  /** The concrete paths the expression selects in `doc`; a runtime error is an outcome, not a throw. */
  paths(doc: JsonValue): JqPathsOutcome;
  /** Plain value evaluation, for tests and callers that need jq results. */
  values(doc: JsonValue): readonly JsonValue[];
}

/** Throws DriftlessError('INVALID_MANIFEST') naming the expression when it is outside the subset. */
export function compileJqPathExpression(expression: string): JqPathExpression {
  const tree: JqNode = parseJq(expression);
  return {
    expression,
    paths(doc) {
      try {
        return {
          kind: 'paths',
          paths: [...evaluatePaths(tree, { path: [], value: doc })].map((pv) => pv.path),
        };
      } catch (e) {
        if (e instanceof JqRuntimeError) return { kind: 'error', message: e.message };
        throw e;
      }
    },
    values(doc) {
      return [...evaluateValues(tree, doc)];
    },
  };
}
