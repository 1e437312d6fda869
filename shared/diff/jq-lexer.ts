/**
 * Tokens of the jq subset used in `jqPathExpressions`. Anything outside the subset (arithmetic,
 * variables, object construction, string interpolation, formats) is refused here or in the
 * parser with the offending column, so a rule is never silently ignored.
 */
import { DriftlessError } from '../errors/index.js';

export type JqToken =
  | { readonly type: 'field'; readonly name: string; readonly at: number }
  | { readonly type: 'dot'; readonly at: number }
  | { readonly type: 'recurse'; readonly at: number }
  | { readonly type: 'string'; readonly value: string; readonly at: number }
  | { readonly type: 'number'; readonly value: number; readonly at: number }
  | { readonly type: 'ident'; readonly name: string; readonly at: number }
  | { readonly type: 'punct'; readonly value: JqPunct; readonly at: number }
  | { readonly type: 'end'; readonly at: number };

export type JqPunct = '[' | ']' | '(' | ')' | '|' | ',' | '?' | ';' | '==' | '!=' | '<' | '<=' | '>' | '>=';

export function jqSyntaxError(expression: string, at: number, problem: string): DriftlessError {
  return new DriftlessError(
    'INVALID_MANIFEST',
    `jqPathExpression ${JSON.stringify(expression)}: ${problem} at column ${at + 1} (supported: field and index access, [], []?, |, ',', select(...), and/or/not, comparisons, startswith/endswith/contains/test/has/length)`,
    { context: { jqPathExpression: expression, column: at + 1 } },
  );
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

export function tokenizeJq(expression: string): readonly JqToken[] {
  const tokens: JqToken[] = [];
  let i = 0;
  const src = expression;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '.') {
      if (src[i + 1] === '.') {
        tokens.push({ type: 'recurse', at });
        i += 2;
      } else if (src[i + 1] !== undefined && IDENT_START.test(src[i + 1]!)) {
        let j = i + 1;
        while (j < src.length && IDENT_PART.test(src[j]!)) j++;
        tokens.push({ type: 'field', name: src.slice(i + 1, j), at });
        i = j;
      } else {
        tokens.push({ type: 'dot', at });
        i++;
      }
      continue;
    }
    if (c === '"') {
      const { value, end } = readString(src, i);
      tokens.push({ type: 'string', value, at });
      i = end;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    const negative =
      c === '-' &&
      /[0-9]/.test(src[i + 1] ?? '') &&
      (previous === undefined ||
        (previous.type === 'punct' && previous.value !== ']' && previous.value !== ')'));
    if (/[0-9]/.test(c) || negative) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ type: 'number', value: Number(m[0]), at });
      i += m[0].length;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      tokens.push({ type: 'ident', name: src.slice(i, j), at });
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ type: 'punct', value: two, at });
      i += 2;
      continue;
    }
    if (two === '//' || two === '?/' || two === '|=')
      throw jqSyntaxError(expression, at, `unsupported operator "${two}"`);
    if ('[]()|,?;<>'.includes(c)) {
      tokens.push({ type: 'punct', value: c as JqPunct, at });
      i++;
      continue;
    }
    throw jqSyntaxError(expression, at, `unsupported character "${c}"`);
  }
  tokens.push({ type: 'end', at: src.length });
  return tokens;

  function readString(s: string, start: number): { value: string; end: number } {
    let j = start + 1;
    let out = '';
    while (j < s.length) {
      const ch = s[j]!;
      if (ch === '"') return { value: out, end: j + 1 };
      if (ch === '\\') {
        const next = s[j + 1];
        const simple: Record<string, string> = {
          '"': '"',
          '\\': '\\',
          '/': '/',
          b: '\b',
          f: '\f',
          n: '\n',
          r: '\r',
          t: '\t',
        };
        if (next !== undefined && simple[next] !== undefined) {
          out += simple[next];
          j += 2;
          continue;
        }
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) {
          out += String.fromCharCode(Number.parseInt(s.slice(j + 2, j + 6), 16));
          j += 6;
          continue;
        }
        if (next === '(') throw jqSyntaxError(expression, j, 'string interpolation is not supported');
        throw jqSyntaxError(expression, j, 'bad escape in string');
      }
      out += ch;
      j++;
    }
    throw jqSyntaxError(expression, start, 'unterminated string');
  }
}
