/**
 * Executes parsed template nodes over parameters with Go text/template's rules: a missing map key
 * yields "no value" (printed `<no value>`), `missingkey=zero` a nil, `missingkey=error` an error
 * naming the key; a field of a nil value is an error; `if`/`with`/`range` test Go truthiness;
 * variables live until the end of the block that declared them.
 */
import type { Command, Operand, Pipeline, TemplateNode } from './ast.js';
import { type FunctionTable, isTruthy, printValue } from './functions.js';
import { goTypeName } from './go-format.js';
import { templateError } from './template-error.js';

export type MissingKey = 'default' | 'zero' | 'error';

interface Variable {
  readonly name: string;
  value: unknown;
}

const NO_FINAL = Symbol('no final value');
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

export class Evaluator {
  readonly #variables: Variable[];
  #out = '';
  #pos = 0;

  constructor(
    private readonly source: string,
    private readonly data: unknown,
    private readonly missingKey: MissingKey,
    private readonly functions: FunctionTable,
  ) {
    this.#variables = [{ name: '', value: data }];
  }

  run(nodes: readonly TemplateNode[]): string {
    this.walk(nodes, this.data);
    return this.#out;
  }

  private walk(nodes: readonly TemplateNode[], dot: unknown): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          this.#out += node.text;
          break;
        case 'action': {
          this.#pos = node.pos;
          const value = this.pipeline(node.pipe, dot, true);
          if (node.pipe.variables.length === 0) this.#out += printValue(value);
          break;
        }
        case 'if':
        case 'with': {
          this.#pos = node.pos;
          const mark = this.#variables.length;
          const value = this.pipeline(node.pipe, dot, true);
          if (isTruthy(value)) this.walk(node.body, node.kind === 'with' ? value : dot);
          else this.walk(node.elseBody, dot);
          this.#variables.length = mark;
          break;
        }
        case 'range':
          this.range(node, dot);
          break;
        case 'break':
          throw BREAK;
        case 'continue':
          throw CONTINUE;
      }
    }
  }

  private range(node: Extract<TemplateNode, { kind: 'range' }>, dot: unknown): void {
    this.#pos = node.pos;
    const value = this.pipeline(node.pipe, dot, false);
    const entries = this.rangeEntries(value);
    if (entries.length === 0) {
      this.walk(node.elseBody, dot);
      return;
    }
    const names = node.pipe.variables;
    for (const [key, element] of entries) {
      const mark = this.#variables.length;
      if (names.length === 1) this.#variables.push({ name: names[0] as string, value: element });
      if (names.length === 2) {
        this.#variables.push({ name: names[0] as string, value: key });
        this.#variables.push({ name: names[1] as string, value: element });
      }
      try {
        this.walk(node.body, element);
      } catch (signal) {
        if (signal === BREAK) {
          this.#variables.length = mark;
          break;
        }
        if (signal !== CONTINUE) throw signal;
      }
      this.#variables.length = mark;
    }
  }

  private rangeEntries(value: unknown): Array<[unknown, unknown]> {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value.map((v, i) => [BigInt(i), v]);
    if (typeof value === 'bigint') {
      return Array.from({ length: Number(value > 0n ? value : 0n) }, (_, i) => [BigInt(i), BigInt(i)]);
    }
    if (typeof value === 'object') {
      const record = value as Record<string, unknown>;
      return Object.keys(record)
        .sort()
        .map((k) => [k, record[k]]);
    }
    return this.fail(`range can't iterate over ${printValue(value)}`);
  }

  private pipeline(pipe: Pipeline, dot: unknown, declare: boolean): unknown {
    let value: unknown = NO_FINAL;
    for (const command of pipe.commands) value = this.command(command, dot, value);
    if (declare) {
      for (const name of pipe.variables) {
        if (pipe.assign) this.lookupVariable(name).value = value;
        else this.#variables.push({ name, value });
      }
    }
    return value;
  }

  private command(command: Command, dot: unknown, final: unknown): unknown {
    const [first, ...rest] = command.args as [Operand, ...Operand[]];
    if (first.kind === 'function') {
      const args = rest.map((arg) => this.argument(arg, dot));
      if (final !== NO_FINAL) args.push(final);
      return this.call(first.name, args, rest, dot, final);
    }
    if (rest.length > 0 || final !== NO_FINAL) {
      return this.fail(`can't give argument to non-function ${describeOperand(first)}`);
    }
    return this.argument(first, dot);
  }

  private call(
    name: string,
    args: unknown[],
    operands: readonly Operand[],
    dot: unknown,
    final: unknown,
  ): unknown {
    // `and` and `or` stop at the first operand that decides, as Go's do.
    if (name === 'and' || name === 'or') {
      if (args.length === 0) return this.fail(`wrong number of args for ${name}: want at least 1 got 0`);
      let last: unknown;
      for (let i = 0; i < operands.length + (final === NO_FINAL ? 0 : 1); i++) {
        last = i < operands.length ? this.argument(operands[i] as Operand, dot) : final;
        if (isTruthy(last) === (name === 'or')) return last;
      }
      return last;
    }
    const fn = this.functions.get(name);
    if (!fn) return this.fail(`function ${JSON.stringify(name)} not defined`);
    try {
      return fn(args);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return this.fail(`error calling ${name}: ${message}`);
    }
  }

  private argument(operand: Operand, dot: unknown): unknown {
    switch (operand.kind) {
      case 'dot':
        return dot;
      case 'literal':
        return operand.value;
      case 'field':
        return this.fields(dot, operand.names);
      case 'variable':
        return this.fields(this.lookupVariable(operand.name).value, operand.names);
      case 'function':
        return this.call(operand.name, [], [], dot, NO_FINAL);
      case 'pipe': {
        const mark = this.#variables.length;
        const value = this.pipeline(operand.pipe, dot, true);
        this.#variables.length = mark;
        return this.fields(value, operand.names);
      }
    }
  }

  private fields(receiver: unknown, names: readonly string[]): unknown {
    let value = receiver;
    for (const name of names) value = this.field(value, name);
    return value;
  }

  private field(receiver: unknown, name: string): unknown {
    if (receiver === undefined) {
      if (this.missingKey === 'error') return this.fail(`nil data; no entry for key ${JSON.stringify(name)}`);
      return undefined;
    }
    if (receiver === null) return this.fail(`nil pointer evaluating interface {}.${name}`);
    if (typeof receiver !== 'object' || Array.isArray(receiver)) {
      return this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
    }
    const record = receiver as Record<string, unknown>;
    if (Object.hasOwn(record, name)) return record[name];
    if (this.missingKey === 'error') return this.fail(`map has no entry for key ${JSON.stringify(name)}`);
    return this.missingKey === 'zero' ? null : undefined;
  }

  private lookupVariable(name: string): Variable {
    for (let i = this.#variables.length - 1; i >= 0; i--) {
      const variable = this.#variables[i] as Variable;
      if (variable.name === name) return variable;
    }
    return this.fail(`undefined variable: $${name}`);
  }

  private fail(message: string): never {
    throw templateError(this.source, this.#pos, `executing: ${message}`);
  }
}

function describeOperand(operand: Operand): string {
  switch (operand.kind) {
    case 'field':
      return `.${operand.names.join('.')}`;
    case 'variable':
      return `$${operand.name}${operand.names.map((n) => `.${n}`).join('')}`;
    case 'dot':
      return '.';
    default:
      return printValue((operand as { value?: unknown }).value);
  }
}
