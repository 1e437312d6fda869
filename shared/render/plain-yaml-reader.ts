/**
 * A quick reader for the plain block YAML most manifests are written in: block mappings and
 * sequences indented with spaces, single-line plain and quoted scalars, single-line flow
 * collections, comments and `---` separators. It returns the documents' values (empty documents
 * dropped) only when it can vouch that the full parser (manifest-yaml.ts, YAML 1.1 as go-yaml v2)
 * reads exactly the same values; anything else — anchors, aliases, tags, merge keys, block or
 * multi-line scalars, escapes, tabs, odd keys, anything malformed — gives undefined, and the
 * caller parses with the full parser, which also owns every error message and line number.
 * Scalars that are not obviously strings are resolved by the full parser itself (memoized), so
 * the YAML 1.1 typing rules live in one place.
 */
import { parseYamlDocuments } from './manifest-yaml.js';

interface Line {
  indent: number;
  /** The line without its indentation; never blank and never a comment alone. */
  text: string;
}

/** Signals text outside the subset; caught at the top and turned into undefined. */
class OutsideSubset extends Error {}

const OUTSIDE = new OutsideSubset();

/** A plain key that is a string to any YAML 1.1 reader (booleans and nulls are tested apart). */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*/;
/** Letter-only words of up to five letters may be YAML 1.1 booleans or null (`yes`, `off`, `NULL`). */
const MAYBE_KEYWORD = /^[A-Za-z]{1,5}$/;
const LETTER = /^[A-Za-z]/;
/** First characters that make a plain scalar mean something else (indicators), or need escaping. */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
/** Tabs, carriage returns, controls and byte-order marks have rules of their own; left to the full parser. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const UNUSUAL_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]/;
/** `-1`, `-v`, `--port`: a dash that opens neither a sequence item nor a document marker. */
const DASH_SCALAR = /^-(?!--)[^ ]/;
const MAX_REMEMBERED = 10_000;
const resolved = new Map<string, unknown>();

/** Values of the non-empty documents of `text`, or undefined when the full parser must read it. */
export function readPlainYaml(text: string): unknown[] | undefined {
  if (UNUSUAL_CHARACTER.test(text)) return undefined;
  try {
    const values: unknown[] = [];
    for (const lines of documents(text)) {
      if (lines.length === 0) continue;
      const reader = new BlockReader(lines);
      values.push(reader.document());
    }
    return values;
  } catch (e) {
    if (e instanceof OutsideSubset) return undefined;
    throw e;
  }
}

function documents(text: string): Line[][] {
  const docs: Line[][] = [[]];
  for (const raw of text.split('\n')) {
    if (raw.startsWith('---')) {
      const rest = raw.slice(3);
      if (rest.trim() !== '' && !/^\s+#/.test(rest)) throw OUTSIDE;
      docs.push([]);
      continue;
    }
    if (raw.startsWith('...') || raw.startsWith('%')) throw OUTSIDE;
    const body = raw.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    docs[docs.length - 1]!.push({ indent: raw.length - body.length, text: body.trimEnd() });
  }
  return docs;
}

class BlockReader {
  private at = 0;

  constructor(private readonly lines: Line[]) {}

  document(): unknown {
    const first = this.lines[0]!;
    if (!isSequenceItem(first.text) && keyOf(first.text) === undefined) throw OUTSIDE;
    const value = this.block(first.indent);
    if (this.at < this.lines.length) throw OUTSIDE;
    return value;
  }

  private block(indent: number): unknown {
    const line = this.lines[this.at]!;
    return isSequenceItem(line.text) ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.indent < indent) break;
      if (line.indent > indent || isSequenceItem(line.text)) throw OUTSIDE;
      const key = keyOf(line.text);
      if (key === undefined) throw OUTSIDE;
      this.at++;
      map[key.name] = this.valueAfter(line.text.slice(key.end), indent, true);
    }
    return map;
  }

  private sequence(indent: number): unknown[] {
    const items: unknown[] = [];
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      // A key's sequence at the key's own indentation ends at the next key.
      if (line.indent < indent || (line.indent === indent && !isSequenceItem(line.text))) break;
      if (line.indent > indent) throw OUTSIDE;
      const rest = line.text.slice(1).trimStart();
      if (rest !== '' && keyOf(rest) !== undefined) {
        // `- key: value` opens a mapping whose keys line up with this first one.
        line.indent += line.text.length - rest.length;
        line.text = rest;
        items.push(this.mapping(line.indent));
        continue;
      }
      if (isSequenceItem(rest)) throw OUTSIDE;
      this.at++;
      items.push(this.valueAfter(rest, indent, false));
    }
    return items;
  }

  /** The value following a key or a dash: inline on that line, or a nested block below it. */
  private valueAfter(rest: string, indent: number, sameIndentSequence: boolean): unknown {
    const inline = stripComment(rest);
    const next = this.lines[this.at];
    if (inline === '') {
      if (next === undefined) return null;
      if (next.indent > indent) return this.block(next.indent);
      // A key's sequence may sit at the key's own indentation.
      if (sameIndentSequence && next.indent === indent && isSequenceItem(next.text)) {
        return this.sequence(indent);
      }
      return null;
    }
    if (next !== undefined && next.indent > indent) throw OUTSIDE;
    return inlineValue(inline);
  }
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** The key of a `key: value` line and where its value starts; undefined when it is not one. */
function keyOf(text: string): { readonly name: string; readonly end: number } | undefined {
  let name: string;
  let end: number;
  if (text.startsWith('"') || text.startsWith("'")) {
    const quoted = readQuoted(text, 0);
    if (quoted === undefined) return undefined;
    name = quoted.value;
    end = quoted.end;
  } else {
    const match = PLAIN_KEY.exec(text);
    if (!match) return undefined;
    name = match[0];
    end = name.length;
    if (MAYBE_KEYWORD.test(name)) {
      if (typeof resolvePlain(name) !== 'string') throw OUTSIDE;
    }
  }
  if (text[end] !== ':' || (end + 1 < text.length && text[end + 1] !== ' ')) return undefined;
  if (name === '__proto__') throw OUTSIDE;
  return { name, end: end + 1 };
}

function stripComment(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('#')) return '';
  if (trimmed.startsWith('"') || trimmed.startsWith("'")) return trimmed;
  const hash = trimmed.indexOf(' #');
  return hash < 0 ? trimmed : trimmed.slice(0, hash).trimEnd();
}

/** A scalar or flow collection that fills the rest of its line (comment already removed). */
function inlineValue(text: string): unknown {
  if (text.startsWith('{') || text.startsWith('[')) {
    const flow = new FlowReader(text);
    const value = flow.value();
    flow.finish();
    return value;
  }
  if (text.startsWith('"') || text.startsWith("'")) {
    const quoted = readQuoted(text, 0);
    if (quoted === undefined) throw OUTSIDE;
    const after = text.slice(quoted.end);
    if (after.trim() !== '' && !/^ +#/.test(after)) throw OUTSIDE;
    return quoted.value;
  }
  if (text.includes(': ') || text.endsWith(':')) throw OUTSIDE;
  return resolvePlain(text);
}

/** A single-line quoted scalar without escapes; undefined when it does not close on the line. */
function readQuoted(
  text: string,
  start: number,
): { readonly value: string; readonly end: number } | undefined {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  for (;;) {
    const close = text.indexOf(quote, i);
    if (close < 0) return undefined;
    value += text.slice(i, close);
    if (quote === "'" && text[close + 1] === "'") {
      value += "'";
      i = close + 2;
      continue;
    }
    if (quote === '"' && value.includes('\\')) throw OUTSIDE;
    return { value, end: close + 1 };
  }
}

/** A plain scalar's value under YAML 1.1 as the full parser reads it. */
function resolvePlain(text: string): unknown {
  if (LETTER.test(text) && !MAYBE_KEYWORD.test(text)) return text;
  if (INDICATOR.test(text) && !DASH_SCALAR.test(text)) throw OUTSIDE;
  if (resolved.has(text)) return resolved.get(text);
  let value: unknown;
  try {
    const docs = parseYamlDocuments(text, { path: '', maxAliasCount: 0 });
    if (docs.length > 1) throw OUTSIDE;
    value = docs[0]?.value ?? null;
  } catch {
    throw OUTSIDE;
  }
  if (typeof value === 'object' && value !== null) throw OUTSIDE;
  if (resolved.size >= MAX_REMEMBERED) resolved.clear();
  resolved.set(text, value);
  return value;
}

/** `{key: value, ...}` and `[item, ...]` on one line, nested freely. */
class FlowReader {
  private at = 0;

  constructor(private readonly text: string) {}

  value(): unknown {
    this.skipSpaces();
    const c = this.text[this.at];
    if (c === '{') return this.mapping();
    if (c === '[') return this.sequence();
    if (c === '"' || c === "'") {
      const quoted = readQuoted(this.text, this.at);
      if (quoted === undefined) throw OUTSIDE;
      this.at = quoted.end;
      return quoted.value;
    }
    return resolvePlain(this.plain());
  }

  finish(): void {
    const after = this.text.slice(this.at);
    if (after.trim() !== '' && !/^ +#/.test(after)) throw OUTSIDE;
  }

  private mapping(): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    this.at++;
    for (;;) {
      this.skipSpaces();
      if (this.text[this.at] === '}') {
        this.at++;
        return map;
      }
      const key = this.key();
      this.skipSpaces();
      if (this.text[this.at] !== ':') throw OUTSIDE;
      this.at++;
      this.skipSpaces();
      const c = this.text[this.at];
      map[key] = c === ',' || c === '}' ? null : this.value();
      this.separator('}');
    }
  }

  private sequence(): unknown[] {
    const items: unknown[] = [];
    this.at++;
    for (;;) {
      this.skipSpaces();
      if (this.text[this.at] === ']') {
        this.at++;
        return items;
      }
      items.push(this.value());
      this.separator(']');
    }
  }

  private key(): string {
    const c = this.text[this.at];
    if (c === '"' || c === "'") {
      const quoted = readQuoted(this.text, this.at);
      if (quoted === undefined) throw OUTSIDE;
      this.at = quoted.end;
      return quoted.value;
    }
    const match = PLAIN_KEY.exec(this.text.slice(this.at));
    if (!match) throw OUTSIDE;
    const name = match[0];
    if (name === '__proto__' || (MAYBE_KEYWORD.test(name) && typeof resolvePlain(name) !== 'string')) {
      throw OUTSIDE;
    }
    this.at += name.length;
    return name;
  }

  /** Plain scalar up to the next flow indicator; `: ` and comments inside it are left to the full parser. */
  private plain(): string {
    const start = this.at;
    while (this.at < this.text.length && !',[]{}'.includes(this.text[this.at]!)) this.at++;
    const text = this.text.slice(start, this.at).trim();
    if (text === '' || text.includes(':') || text.includes(' #')) throw OUTSIDE;
    return text;
  }

  private separator(close: string): void {
    this.skipSpaces();
    const c = this.text[this.at];
    if (c === ',') this.at++;
    else if (c !== close) throw OUTSIDE;
  }

  private skipSpaces(): void {
    while (this.text[this.at] === ' ') this.at++;
  }
}
