/** The writer for Lambda and the CLI: one line on stdout per document, which is one log event. */
export function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}
