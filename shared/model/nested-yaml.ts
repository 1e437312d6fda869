/**
 * ConfigMap values that hold YAML of their own (`resource.exclusions`, customizations). Parsed
 * with the same schema and alias limit as whole files; a fault becomes a problem on the key.
 */
import { parseDocument } from 'yaml';
import { messageOf } from '../errors/index.js';
import type { ProblemList } from './problems.js';

const MAX_ALIAS_COUNT = 100;

/** The parsed value, or undefined after reporting why it could not be parsed. */
export function parseNestedYaml(text: string, path: string, problems: ProblemList): unknown {
  const doc = parseDocument(text, { version: '1.2', schema: 'core', merge: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0]?.line;
    const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
    problems.add(path, `not valid YAML${line === undefined ? '' : ` (line ${line})`}: ${reason}`);
    return undefined;
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    problems.add(path, `refused: ${messageOf(e)}`);
    return undefined;
  }
}
