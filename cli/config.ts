/**
 * What most commands start with: the Argo CD objects under the paths the user named, with every
 * problem reported at once, and the git source and toolchain to render them with.
 */
import { type ArgoObjects, formatProblem, loadDocuments, parseArgoObjects } from '../shared/model/index.js';
import { ProcessToolRunner } from '../shared/tools/index.js';
import type { CliIO } from './io.js';

export interface LoadedConfig {
  readonly objects: ArgoObjects;
}

/** Loads and parses; prints every problem and returns undefined when there are any. */
export async function loadConfig(paths: readonly string[], io: CliIO): Promise<LoadedConfig | undefined> {
  const documents = await loadDocuments(paths);
  const objects = parseArgoObjects(documents);
  if (objects.problems.length > 0) {
    for (const problem of objects.problems) io.err(`${formatProblem(problem)}\n`);
    io.err(`${objects.problems.length} problem(s) in ${paths.join(', ')}\n`);
    return undefined;
  }
  return { objects };
}

export function toolRunner(): ProcessToolRunner {
  return new ProcessToolRunner();
}
