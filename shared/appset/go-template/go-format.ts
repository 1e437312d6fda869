/**
 * How Go's fmt prints values, for the places where Argo CD's output depends on it: `%v` of
 * parameters (numbers from JSON/YAML are float64 in Go, so 1000000 prints as `1e+06`), template
 * output and `printf`. Template values are plain JSON-like JS values; a `bigint` stands for a Go
 * int (template literals, `len`), a `number` for a float64.
 */
import { DriftlessError } from '../../errors/index.js';

export type GoValue = unknown;

/** `%v` of a float64: the shortest digits, in exponent form below 1e-4 and from 1e6 on, as Go prints it. */
export function formatGoFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return '+Inf';
  if (n === Number.NEGATIVE_INFINITY) return '-Inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  // Go's %v on a float64 is %g with the shortest precision, which switches to exponent form
  // when the exponent is below -4 or at least 6 (strconv's rule for shortest output).
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(n);
}

/** Go's `%v` (as `fmt.Sprint` prints one operand). */
export function formatGoValue(value: GoValue): string {
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return formatGoFloat(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(formatGoValue).join(' ')}]`;
  if (value instanceof Uint8Array) return `[${Array.from(value).join(' ')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareBytes);
    return `map[${keys.map((k) => `${k}:${formatGoValue(record[k])}`).join(' ')}]`;
  }
  return String(value);
}

/** Byte order, as Go sorts map keys when printing. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's `%q` of a string: double-quoted with Go escapes. */
export function quoteGo(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

interface Verb {
  readonly minus: boolean;
  readonly zero: boolean;
  readonly plus: boolean;
  readonly width?: number;
  readonly precision?: number;
  readonly verb: string;
}

/** Go's `fmt.Sprintf` for the verbs templates use: %s %v %d %q %f %t %x %X %%. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let next = 0;
  let i = 0;
  while (i < format.length) {
    const ch = format[i] as string;
    if (ch !== '%') {
      out += ch;
      i++;
      continue;
    }
    const match = /^%([-+0 #]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/.exec(format.slice(i));
    if (!match) throw new DriftlessError('INVALID_MANIFEST', `printf: bad format ${quoteGo(format)} at ${i}`);
    i += match[0].length;
    const flags = match[1] ?? '';
    const verb: Verb = {
      minus: flags.includes('-'),
      zero: flags.includes('0'),
      plus: flags.includes('+'),
      ...(match[2] === undefined ? {} : { width: Number(match[2]) }),
      ...(match[3] === undefined ? {} : { precision: Number(match[3]) }),
      verb: match[4] as string,
    };
    if (verb.verb === '%') {
      out += '%';
      continue;
    }
    if (next >= args.length) {
      out += `%!${verb.verb}(MISSING)`;
      continue;
    }
    out += pad(formatVerb(verb, args[next]), verb);
    next++;
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => `${goTypeName(a)}=${formatGoValue(a)}`)
      .join(', ')})`;
  }
  return out;
}

function formatVerb(verb: Verb, arg: GoValue): string {
  switch (verb.verb) {
    case 'v':
      return formatGoValue(arg);
    case 's':
      return verb.precision === undefined ? formatGoValue(arg) : formatGoValue(arg).slice(0, verb.precision);
    case 'q':
      return typeof arg === 'string' ? quoteGo(arg) : badVerb(verb, arg);
    case 't':
      return typeof arg === 'boolean' ? String(arg) : badVerb(verb, arg);
    case 'd':
      if (typeof arg === 'bigint') return (verb.plus && arg >= 0n ? '+' : '') + arg.toString();
      return badVerb(verb, arg);
    case 'f':
    case 'F': {
      const n = typeof arg === 'bigint' ? undefined : typeof arg === 'number' ? arg : undefined;
      if (n === undefined) return badVerb(verb, arg);
      return (verb.plus && n >= 0 ? '+' : '') + n.toFixed(verb.precision ?? 6);
    }
    case 'x':
    case 'X': {
      let text: string;
      if (typeof arg === 'bigint') text = arg.toString(16);
      else if (typeof arg === 'string') text = Buffer.from(arg, 'utf8').toString('hex');
      else return badVerb(verb, arg);
      return verb.verb === 'X' ? text.toUpperCase() : text;
    }
    default:
      throw new DriftlessError('INVALID_MANIFEST', `printf: verb %${verb.verb} is not supported`);
  }
}

function badVerb(verb: Verb, arg: GoValue): string {
  return `%!${verb.verb}(${goTypeName(arg)}=${formatGoValue(arg)})`;
}

function pad(text: string, verb: Verb): string {
  if (verb.width === undefined || text.length >= verb.width) return text;
  const fill = (verb.zero && !verb.minus ? '0' : ' ').repeat(verb.width - text.length);
  return verb.minus ? text + fill : fill + text;
}

/** The Go type name a value would have, for messages that mirror Go's. */
export function goTypeName(value: GoValue): string {
  if (value === undefined || value === null) return '<nil>';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return '[]interface {}';
  return 'map[string]interface {}';
}
