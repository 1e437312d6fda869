/**
 * `driftless validate PATH...`: loads every manifest under the paths, checks every Argo CD
 * object in them and prints every problem, one per line, then a summary. A file that does not
 * parse is one problem and the other files are still checked.
 */
import { isDriftlessError } from '../../shared/errors/index.js';
import {
  argoKindOf,
  formatProblem,
  type LoadedDocument,
  listManifestFiles,
  loadFile,
  parseArgoObjects,
} from '../../shared/model/index.js';
import type { CliIO } from '../io.js';

const USAGE = `Usage: driftless validate PATH...

Checks every Argo CD object (Application, ApplicationSet, AppProject, argocd-cm,
argocd-rbac-cm, repository and cluster Secrets) in the YAML/JSON files under each PATH
(directories are read recursively) and prints every problem as

  file#document: field.path: message

Exit status: 0 when clean, 1 when there are problems, 2 on a usage error.
`;

export async function run(args: readonly string[], io: CliIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const option = args.find((arg) => arg.startsWith('-') && arg !== '-' && arg !== '--');
  if (option) return usageError(io, `unknown option "${option}"`);
  const paths = args.filter((arg) => arg !== '--');
  if (paths.length === 0) return usageError(io, 'name at least one PATH');

  let files: string[];
  try {
    files = await listManifestFiles(paths);
  } catch (e) {
    if (isDriftlessError(e, 'NOT_FOUND')) return usageError(io, e.message);
    throw e;
  }

  const lines: string[] = [];
  const documents: LoadedDocument[] = [];
  for (const file of files) {
    try {
      documents.push(...(await loadFile(file)));
    } catch (e) {
      if (!isDriftlessError(e, 'YAML_PARSE') && !isDriftlessError(e, 'LIMIT_EXCEEDED')) throw e;
      lines.push(e.message);
    }
  }
  const objects = parseArgoObjects(documents);
  lines.push(...objects.problems.map(formatProblem));
  const checked = documents.filter((doc) => argoKindOf(doc.object) !== undefined).length;

  for (const line of lines) io.out(`${line}\n`);
  io.out(`validated ${checked} objects in ${files.length} files: ${lines.length} problems\n`);
  return lines.length === 0 ? 0 : 1;
}

function usageError(io: CliIO, message: string): number {
  io.err(`driftless validate: ${message}\n\n${USAGE}`);
  return 2;
}
