/** What a CLI command may touch: its output streams. Tests pass a capturing IO. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  run(args: readonly string[], io: CliIO): Promise<number>;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** A CliIO that records what was written, for tests. */
export function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
