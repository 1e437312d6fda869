/**
 * The start every subcommand shares: parse its arguments, answer --help, refuse usage errors with
 * exit 2 and the usage text, and insist on positionals where the command needs them.
 */
import { type ArgSpec, type ParsedArgs, parseArgs, UsageError } from './args.js';
import type { CliIO } from './io.js';

export interface CommandArgsRequest {
  /** As it appears in messages: `diff`, `appset generate`. */
  readonly command: string;
  readonly usage: string;
  readonly args: readonly string[];
  readonly io: CliIO;
  readonly spec: ArgSpec;
  /** When set, at least one positional is required and this names it in the error (`APP.yaml`). */
  readonly requires?: string;
}

/** The parsed arguments, or the exit code when the command should stop here. */
export function parseCommandArgs(request: CommandArgsRequest): ParsedArgs | number {
  const { command, usage, io } = request;
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(request.args, {
      ...request.spec,
      flags: [...(request.spec.flags ?? []), 'help'],
      aliases: { h: 'help', ...request.spec.aliases },
    });
  } catch (e) {
    if (e instanceof UsageError) return usageError(io, command, e.message, usage);
    throw e;
  }
  if (parsed.flags.has('help')) {
    io.out(usage);
    return 0;
  }
  if (request.requires !== undefined && parsed.positionals.length === 0) {
    return usageError(io, command, `name at least one ${request.requires}`, usage);
  }
  return parsed;
}

export function usageError(io: CliIO, command: string, message: string, usage: string): number {
  io.err(`driftless ${command}: ${message}\n\n${usage}`);
  return 2;
}
