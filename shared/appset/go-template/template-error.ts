/**
 * Template failures as DriftlessErrors whose message quotes the template and the position, the
 * way Go reports `template: :1:5: ...`, so a user finds the field at fault.
 */
import { DriftlessError } from '../../errors/index.js';

export function templateError(source: string, pos: number, message: string): DriftlessError {
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return new DriftlessError(
    'INVALID_MANIFEST',
    `template ${JSON.stringify(source)}: ${line}:${column}: ${message}`,
    {
      context: { template: source, line, column },
    },
  );
}
