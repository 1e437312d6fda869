/**
 * Parses a Go template into nodes: text, `{{pipeline}}`, `if`/`else if`/`else`, `range`, `with`,
 * `break`/`continue`, variables (`$x := ...`) and pipelines of commands joined by `|`.
 * `define`, `template` and `block` are refused with a message that names them.
 */
import type { Command, Operand, Pipeline, TemplateNode } from './ast.js';
import { type Segment, splitSegments, type Token, tokenize } from './lexer.js';
import { templateError } from './template-error.js';

const UNSUPPORTED = new Set(['define', 'template', 'block']);

export function parseTemplate(source: string, functions: ReadonlySet<string>): readonly TemplateNode[] {
  const segments = splitSegments(source);
  const parser = new Parser(source, segments, functions);
  const nodes = parser.list(new Set());
  const stray = parser.peek();
  if (stray) throw templateError(source, stray.pos, `unexpected {{${stray.body}}}`);
  return nodes;
}

type ActionSegment = Extract<Segment, { kind: 'action' }>;

class Parser {
  #at = 0;
  #loops = 0;

  constructor(
    private readonly source: string,
    private readonly segments: readonly Segment[],
    private readonly functions: ReadonlySet<string>,
  ) {}

  peek(): ActionSegment | undefined {
    const next = this.segments[this.#at];
    return next?.kind === 'action' ? next : undefined;
  }

  /** Nodes until one of `stops` (`end`, `else`) or the end of input; the stop is not consumed. */
  list(stops: ReadonlySet<string>): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    while (this.#at < this.segments.length) {
      const segment = this.segments[this.#at] as Segment;
      if (segment.kind === 'text') {
        nodes.push({ kind: 'text', text: segment.text });
        this.#at++;
        continue;
      }
      const keyword = firstWord(segment.body);
      if (stops.has(keyword)) return nodes;
      if (keyword === 'end' || keyword === 'else') {
        throw templateError(this.source, segment.pos, `unexpected {{${keyword}}}`);
      }
      this.#at++;
      nodes.push(this.action(segment, keyword));
    }
    if (stops.size > 0)
      throw templateError(this.source, this.source.length, 'unexpected EOF: missing {{end}}');
    return nodes;
  }

  private action(segment: ActionSegment, keyword: string): TemplateNode {
    const { body, pos } = segment;
    if (UNSUPPORTED.has(keyword)) {
      throw templateError(this.source, pos, `{{${keyword}}} is not supported in ApplicationSet templates`);
    }
    if (keyword === 'break' || keyword === 'continue') {
      if (this.#loops === 0) throw templateError(this.source, pos, `{{${keyword}}} outside {{range}}`);
      return { kind: keyword, pos };
    }
    if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
      const pipe = this.pipeline(body.slice(keyword.length), pos, keyword === 'range');
      if (keyword === 'range') this.#loops++;
      const nodes = this.list(new Set(['end', 'else']));
      if (keyword === 'range') this.#loops--;
      const elseBody = this.elseBranch(keyword);
      return { kind: keyword, pipe, body: nodes, elseBody, pos };
    }
    return { kind: 'action', pipe: this.pipeline(body, pos, false), pos };
  }

  /** After a block's body: `{{end}}`, or `{{else}} ... {{end}}`, or `{{else if ...}}` chains. */
  private elseBranch(keyword: string): TemplateNode[] {
    const stop = this.segments[this.#at] as ActionSegment;
    this.#at++;
    if (firstWord(stop.body) === 'end') return [];
    const rest = stop.body.slice(4).trim();
    if (rest === '') {
      const nodes = this.list(new Set(['end']));
      this.#at++;
      return nodes;
    }
    const chained = firstWord(rest);
    if ((chained === 'if' || chained === 'with') && keyword !== 'range') {
      // `{{else if x}}` is an `if` nested in the else branch that shares the outer `{{end}}`.
      const pipe = this.pipeline(rest.slice(chained.length), stop.pos, false);
      const nodes = this.list(new Set(['end', 'else']));
      const elseBody = this.elseBranch(chained);
      return [{ kind: chained, pipe, body: nodes, elseBody, pos: stop.pos }];
    }
    throw templateError(this.source, stop.pos, `unexpected {{${stop.body}}}`);
  }

  pipeline(text: string, pos: number, allowTwoVariables: boolean): Pipeline {
    const tokens = tokenize(text.trim(), this.source, pos).filter((t, i, all) => {
      // Spaces matter only between operands; drop those next to punctuation.
      if (t.kind !== 'space') return true;
      const prev = all[i - 1];
      const next = all[i + 1];
      return !(prev?.kind === 'punct' || next?.kind === 'punct' || !prev || !next);
    });
    const cursor = new TokenCursor(tokens, this.source, pos);
    const variables: string[] = [];
    let assign = false;
    const declaration = findDeclaration(tokens);
    if (declaration >= 0) {
      for (let i = 0; i < declaration; i++) {
        const token = tokens[i] as Token;
        if (token.kind === 'variable') variables.push(token.name);
        else if (!(token.kind === 'punct' && token.value === ',') && token.kind !== 'space') {
          throw templateError(this.source, pos, 'bad variable declaration');
        }
      }
      if (variables.length === 0 || variables.length > (allowTwoVariables ? 2 : 1)) {
        throw templateError(this.source, pos, 'too many declarations');
      }
      assign = (tokens[declaration] as Token & { kind: 'punct' }).value === '=';
      cursor.skip(declaration + 1);
    }
    const commands = this.commands(cursor);
    if (!cursor.done()) throw templateError(this.source, pos, `unexpected ${describeToken(cursor.next())}`);
    return { variables, assign, commands, text: text.trim() };
  }

  private commands(cursor: TokenCursor): Command[] {
    const commands: Command[] = [];
    for (;;) {
      const args: Operand[] = [];
      while (!cursor.done() && !cursor.atPunct('|') && !cursor.atPunct(')')) {
        if (cursor.atSpace()) {
          cursor.next();
          continue;
        }
        args.push(this.operand(cursor));
      }
      if (args.length === 0) cursor.fail('missing value for command');
      commands.push({ args });
      if (!cursor.atPunct('|')) break;
      cursor.next();
    }
    return commands;
  }

  private operand(cursor: TokenCursor): Operand {
    const token = cursor.next();
    let operand: Operand;
    switch (token.kind) {
      case 'dot':
        operand = { kind: 'dot' };
        break;
      case 'field':
        operand = { kind: 'field', names: [token.name, ...cursor.fieldChain()] };
        return operand;
      case 'variable':
        return { kind: 'variable', name: token.name, names: cursor.fieldChain() };
      case 'string':
      case 'number':
        operand = { kind: 'literal', value: token.value };
        break;
      case 'ident':
        if (token.name === 'true' || token.name === 'false')
          operand = { kind: 'literal', value: token.name === 'true' };
        else if (token.name === 'nil') operand = { kind: 'literal', value: null };
        else if (this.functions.has(token.name)) operand = { kind: 'function', name: token.name };
        else return cursor.fail(`function ${JSON.stringify(token.name)} not defined`);
        break;
      case 'punct': {
        if (token.value !== '(') return cursor.fail(`unexpected ${JSON.stringify(token.value)}`);
        const commands = this.commands(cursor);
        if (!cursor.atPunct(')')) return cursor.fail('unclosed left paren');
        cursor.next();
        const pipe: Pipeline = { variables: [], assign: false, commands, text: '(...)' };
        return { kind: 'pipe', pipe, names: cursor.fieldChain() };
      }
      default:
        return cursor.fail('unexpected space');
    }
    if (!cursor.done() && cursor.peekField()) cursor.fail('unexpected field after a value');
    return operand;
  }
}

class TokenCursor {
  #at = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
    private readonly pos: number,
  ) {}
  done(): boolean {
    return this.#at >= this.tokens.length;
  }
  next(): Token {
    const token = this.tokens[this.#at];
    if (!token) return this.fail('unexpected end of action');
    this.#at++;
    return token;
  }
  skip(count: number): void {
    this.#at += count;
  }
  atPunct(value: string): boolean {
    const token = this.tokens[this.#at];
    return token?.kind === 'punct' && token.value === value;
  }
  atSpace(): boolean {
    return this.tokens[this.#at]?.kind === 'space';
  }
  peekField(): boolean {
    return this.tokens[this.#at]?.kind === 'field';
  }
  /** `.a.b` directly following an operand, without spaces. */
  fieldChain(): string[] {
    const names: string[] = [];
    for (;;) {
      const token = this.tokens[this.#at];
      if (token?.kind !== 'field') return names;
      names.push(token.name);
      this.#at++;
    }
  }
  fail(message: string): never {
    throw templateError(this.source, this.pos, message);
  }
}

function findDeclaration(tokens: readonly Token[]): number {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.kind === 'punct' && (token.value === ':=' || token.value === '=')) return i;
    if (
      !(
        token.kind === 'variable' ||
        token.kind === 'space' ||
        (token.kind === 'punct' && token.value === ',')
      )
    ) {
      return -1;
    }
  }
  return -1;
}

function firstWord(body: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(body)?.[0] ?? '';
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'punct':
      return JSON.stringify(token.value);
    case 'field':
      return `.${token.name}`;
    case 'variable':
      return `$${token.name}`;
    case 'ident':
      return token.name;
    default:
      return token.kind;
  }
}
