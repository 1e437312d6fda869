/**
 * Splits a Go template into text and actions (`{{ ... }}`, with `{{-` / `-}}` trimming the
 * whitespace next to them and comment actions dropped), then an action into tokens.
 */
import { templateError } from './template-error.js';

export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly body: string; readonly pos: number };

const SPACE = /[ \t\r\n]/;

export function splitSegments(source: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  let trimNext = false;
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    let text = open < 0 ? source.slice(i) : source.slice(i, open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) segments.push({ kind: 'text', text });
      break;
    }
    let start = open + 2;
    if (source[start] === '-' && SPACE.test(source[start + 1] ?? '')) {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 2;
    }
    if (text) segments.push({ kind: 'text', text });
    const close = findClose(source, start);
    if (close < 0) throw templateError(source, open, 'unclosed action');
    let end = close;
    if (source[close - 1] === '-' && SPACE.test(source[close - 2] ?? '')) {
      end = close - 2;
      trimNext = true;
    }
    const body = source.slice(start, end).trim();
    if (!(body.startsWith('/*') && body.endsWith('*/'))) segments.push({ kind: 'action', body, pos: open });
    i = close + 2;
  }
  return segments;
}

/** The index of the `}}` closing an action, skipping quoted strings that may contain one. */
function findClose(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '"' || ch === '`' || ch === "'") {
      const end = skipQuoted(source, i);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (ch === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 2;
      continue;
    }
    if (ch === '}' && source[i + 1] === '}') return i;
    i++;
  }
  return -1;
}

function skipQuoted(source: string, at: number): number {
  const quote = source[at];
  let i = at + 1;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && quote !== '`') {
      i += 2;
      continue;
    }
    if (ch === quote) return i + 1;
    if (ch === '\n' && quote !== '`') return -1;
    i++;
  }
  return -1;
}

export type Token =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'dot' }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number | bigint }
  | { readonly kind: 'punct'; readonly value: '(' | ')' | '|' | ':=' | '=' | ',' }
  | { readonly kind: 'space' };

/** Tokens of one action's body; `space` separates arguments (`.a.b` vs `.a .b`). */
export function tokenize(body: string, source: string, pos: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string): never => {
    throw templateError(source, pos, message);
  };
  while (i < body.length) {
    const ch = body[i] as string;
    if (SPACE.test(ch)) {
      while (i < body.length && SPACE.test(body[i] as string)) i++;
      tokens.push({ kind: 'space' });
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '|' || ch === ',') {
      tokens.push({ kind: 'punct', value: ch });
      i++;
      continue;
    }
    if (ch === ':' && body[i + 1] === '=') {
      tokens.push({ kind: 'punct', value: ':=' });
      i += 2;
      continue;
    }
    if (ch === '=') {
      tokens.push({ kind: 'punct', value: '=' });
      i++;
      continue;
    }
    if (ch === '"' || ch === '`') {
      const end = skipQuoted(body, i);
      if (end < 0) fail('unterminated quoted string');
      const raw = body.slice(i, end);
      tokens.push({ kind: 'string', value: ch === '`' ? raw.slice(1, -1) : unquote(raw, fail) });
      i = end;
      continue;
    }
    if (ch === "'") fail('character constants are not supported');
    if (ch === '.') {
      const match = /^\.([A-Za-z_][A-Za-z0-9_]*)?/.exec(body.slice(i)) as RegExpExecArray;
      if (match[1] === undefined) {
        if (/[0-9]/.test(body[i + 1] ?? '')) {
          i = lexNumber(body, i, tokens, fail);
          continue;
        }
        tokens.push({ kind: 'dot' });
      } else tokens.push({ kind: 'field', name: match[1] });
      i += match[0].length;
      continue;
    }
    if (ch === '$') {
      const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?/.exec(body.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'variable', name: match[1] ?? '' });
      i += match[0].length;
      continue;
    }
    if (/[0-9+-]/.test(ch)) {
      i = lexNumber(body, i, tokens, fail);
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', name: ident[0] });
      i += ident[0].length;
      continue;
    }
    fail(`unexpected ${JSON.stringify(ch)} in action`);
  }
  return tokens;
}

function lexNumber(body: string, at: number, tokens: Token[], fail: (m: string) => never): number {
  const match = /^[+-]?(0[xX][0-9a-fA-F_]+|[0-9_]*\.?[0-9_]+(?:[eE][+-]?[0-9]+)?)/.exec(body.slice(at));
  if (!match || match[0] === '+' || match[0] === '-')
    return fail(`bad number syntax at ${JSON.stringify(body.slice(at))}`);
  const text = match[0].replaceAll('_', '');
  const isFloat = /[.eE]/.test(text) && !/^[+-]?0[xX]/.test(text);
  if (isFloat) tokens.push({ kind: 'number', value: Number(text) });
  else {
    const negative = text.startsWith('-');
    const digits = text.replace(/^[+-]/, '');
    const value = BigInt(digits);
    tokens.push({ kind: 'number', value: negative ? -value : value });
  }
  return at + match[0].length;
}

function unquote(raw: string, fail: (m: string) => never): string {
  try {
    return JSON.parse(raw.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    return fail(`bad string ${raw}`);
  }
}
