/**
 * Parses the jq subset into a small tree. Precedence follows jq: `|` binds loosest, then `,`,
 * `or`, `and`, then the non-associative comparisons; postfix steps (`.a`, `[0]`, `[]`, `?`) bind
 * tightest. A `?` makes only the step before it optional, as jq and gojq do, so that
 * `.containers[].env[]?` skips containers without `env` instead of stopping at the first one.
 */
import { type JqPunct, type JqToken, jqSyntaxError, tokenizeJq } from './jq-lexer.js';
import type { JsonValue } from './json-value.js';

export type JqCompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type JqNode =
  | { readonly type: 'identity' }
  | { readonly type: 'recurse' }
  | { readonly type: 'literal'; readonly value: JsonValue }
  | { readonly type: 'field'; readonly target: JqNode; readonly name: string; readonly optional: boolean }
  | { readonly type: 'index'; readonly target: JqNode; readonly index: JqNode; readonly optional: boolean }
  | { readonly type: 'iterate'; readonly target: JqNode; readonly optional: boolean }
  | { readonly type: 'try'; readonly body: JqNode }
  | { readonly type: 'pipe'; readonly left: JqNode; readonly right: JqNode }
  | { readonly type: 'comma'; readonly left: JqNode; readonly right: JqNode }
  | { readonly type: 'and' | 'or'; readonly left: JqNode; readonly right: JqNode }
  | { readonly type: 'compare'; readonly op: JqCompareOp; readonly left: JqNode; readonly right: JqNode }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly JqNode[]; readonly at: number };

/** Function names and their arities that the evaluator implements. */
export const JQ_FUNCTIONS: Readonly<Record<string, readonly number[]>> = {
  select: [1],
  not: [0],
  empty: [0],
  length: [0],
  type: [0],
  tostring: [0],
  ascii_downcase: [0],
  ascii_upcase: [0],
  startswith: [1],
  endswith: [1],
  contains: [1],
  has: [1],
  test: [1, 2],
};

const COMPARE_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);

export function parseJq(expression: string): JqNode {
  const tokens = tokenizeJq(expression);
  let pos = 0;
  const peek = (): JqToken => tokens[pos]!;
  const next = (): JqToken => tokens[pos++]!;
  const isPunct = (t: JqToken, value: JqPunct): boolean => t.type === 'punct' && t.value === value;
  const fail = (t: JqToken, problem: string) => jqSyntaxError(expression, t.at, problem);
  const expectPunct = (value: JqPunct): void => {
    const t = next();
    if (!isPunct(t, value)) throw fail(t, `expected "${value}" but found ${describe(t)}`);
  };

  const tree = parsePipe();
  if (peek().type !== 'end') throw fail(peek(), `unexpected ${describe(peek())}`);
  return tree;

  function parsePipe(): JqNode {
    const left = parseComma();
    if (isPunct(peek(), '|')) {
      next();
      return { type: 'pipe', left, right: parsePipe() };
    }
    return left;
  }

  function parseComma(): JqNode {
    let left = parseOr();
    while (isPunct(peek(), ',')) {
      next();
      left = { type: 'comma', left, right: parseOr() };
    }
    return left;
  }

  function parseOr(): JqNode {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      next();
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  }

  function parseAnd(): JqNode {
    let left = parseCompare();
    while (isKeyword(peek(), 'and')) {
      next();
      left = { type: 'and', left, right: parseCompare() };
    }
    return left;
  }

  function parseCompare(): JqNode {
    const left = parsePostfix();
    const t = peek();
    if (t.type === 'punct' && COMPARE_OPS.has(t.value)) {
      next();
      const right = parsePostfix();
      const after = peek();
      if (after.type === 'punct' && COMPARE_OPS.has(after.value))
        throw fail(after, 'comparisons do not chain');
      return { type: 'compare', op: t.value as JqCompareOp, left, right };
    }
    return left;
  }

  function parsePostfix(): JqNode {
    let node = parsePrimary();
    for (;;) {
      const t = peek();
      if (t.type === 'field') {
        next();
        node = { type: 'field', target: node, name: t.name, optional: false };
      } else if (t.type === 'dot' && tokens[pos + 1]?.type === 'string') {
        next();
        const s = next() as Extract<JqToken, { type: 'string' }>;
        node = { type: 'field', target: node, name: s.value, optional: false };
      } else if (t.type === 'dot' && isPunct(tokens[pos + 1]!, '[')) {
        next();
      } else if (isPunct(t, '[')) {
        next();
        if (isPunct(peek(), ']')) {
          next();
          node = { type: 'iterate', target: node, optional: false };
        } else {
          const index = parsePipe();
          expectPunct(']');
          node = { type: 'index', target: node, index, optional: false };
        }
      } else if (isPunct(t, '?')) {
        next();
        node =
          node.type === 'field' || node.type === 'index' || node.type === 'iterate'
            ? { ...node, optional: true }
            : { type: 'try', body: node };
      } else {
        return node;
      }
    }
  }

  function parsePrimary(): JqNode {
    const t = next();
    switch (t.type) {
      case 'field':
        return { type: 'field', target: { type: 'identity' }, name: t.name, optional: false };
      case 'dot': {
        const after = peek();
        if (after.type === 'string') {
          next();
          return { type: 'field', target: { type: 'identity' }, name: after.value, optional: false };
        }
        return { type: 'identity' };
      }
      case 'recurse':
        return { type: 'recurse' };
      case 'string':
        return { type: 'literal', value: t.value };
      case 'number':
        return { type: 'literal', value: t.value };
      case 'punct':
        if (t.value === '(') {
          const inner = parsePipe();
          expectPunct(')');
          return inner;
        }
        if (t.value === '[') throw fail(t, 'array construction is not supported');
        throw fail(t, `unexpected ${describe(t)}`);
      case 'ident':
        return parseIdent(t);
      case 'end':
        throw fail(t, 'unexpected end of expression');
    }
  }

  function parseIdent(t: Extract<JqToken, { type: 'ident' }>): JqNode {
    if (t.name === 'true') return { type: 'literal', value: true };
    if (t.name === 'false') return { type: 'literal', value: false };
    if (t.name === 'null') return { type: 'literal', value: null };
    const args: JqNode[] = [];
    if (isPunct(peek(), '(')) {
      next();
      args.push(parsePipe());
      while (isPunct(peek(), ';')) {
        next();
        args.push(parsePipe());
      }
      expectPunct(')');
    }
    const arities = JQ_FUNCTIONS[t.name];
    if (arities === undefined) throw fail(t, `unsupported function or keyword "${t.name}"`);
    if (!arities.includes(args.length)) throw fail(t, `${t.name} does not take ${args.length} argument(s)`);
    return { type: 'call', name: t.name, args, at: t.at };
  }
}

function isKeyword(t: JqToken, name: string): boolean {
  return t.type === 'ident' && t.name === name;
}

function describe(t: JqToken): string {
  switch (t.type) {
    case 'field':
      return `".${t.name}"`;
    case 'dot':
      return '"."';
    case 'recurse':
      return '".."';
    case 'string':
      return `string ${JSON.stringify(t.value)}`;
    case 'number':
      return `number ${t.value}`;
    case 'ident':
      return `"${t.name}"`;
    case 'punct':
      return `"${t.value}"`;
    case 'end':
      return 'end of expression';
  }
}
