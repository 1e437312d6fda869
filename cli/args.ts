/**
 * A small argument parser for the CLI: `--name value`, `--name=value`, `-o value`, repeatable
 * options, boolean flags, and positionals. Unknown options are usage errors that name the option.
 */
export interface ArgSpec {
  /** Options that take a value; long names without dashes, e.g. `repo`, or short `o`. */
  readonly values?: readonly string[];
  /** Options that may be given more than once (a subset of values). */
  readonly repeatable?: readonly string[];
  readonly flags?: readonly string[];
  /** Short aliases: `{ o: 'output' }`. */
  readonly aliases?: Readonly<Record<string, string>>;
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = arg
      .replace(/^--?/, '')
      .slice(0, eq < 0 ? undefined : eq - (arg.startsWith('--') ? 2 : 1));
    const name = spec.aliases?.[rawName] ?? rawName;
    if (spec.flags?.includes(name)) {
      if (eq >= 0) throw new UsageError(`option ${arg.slice(0, eq)} takes no value`);
      flags.add(name);
      continue;
    }
    if (!spec.values?.includes(name))
      throw new UsageError(`unknown option ${eq < 0 ? arg : arg.slice(0, eq)}`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) throw new UsageError(`option ${arg} needs a value`);
    const list = values.get(name) ?? [];
    if (list.length > 0 && !spec.repeatable?.includes(name))
      throw new UsageError(`option --${name} given twice`);
    list.push(value);
    values.set(name, list);
  }
  return { positionals, values, flags };
}

export function single(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.values.get(name)?.[0];
}
