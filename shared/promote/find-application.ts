/**
 * Which file of the config repository holds an Application: every `*.yaml`/`*.yml` under a
 * directory of the committed tree, cheaply filtered by the name before any parsing. Exactly one
 * file may hold it; two are ambiguous and refused, naming both.
 */
import { DriftlessError } from '../errors/index.js';
import type { SourceTree } from '../ports/source-tree.js';
import { type ApplicationSourceRef, locateApplicationSource } from './edit-target-revision.js';

export interface FindApplicationOptions {
  readonly tree: SourceTree;
  readonly application: string;
  /** Repository-relative directory to search; '' (default) is the whole repository. */
  readonly under?: string;
}

export interface FoundApplication extends ApplicationSourceRef {
  /** Repository-relative path of the file. */
  readonly path: string;
  readonly text: string;
}

const MAX_FILE_BYTES = 1024 * 1024;

export async function findApplication(options: FindApplicationOptions): Promise<FoundApplication> {
  const { tree, application } = options;
  const under = (options.under ?? '').replace(/^\.?\/+|\/+$/g, '');
  const found: FoundApplication[] = [];
  const decoder = new TextDecoder();
  for await (const path of yamlFiles(tree, under)) {
    const bytes = await tree.readFile(path);
    if (bytes.length > MAX_FILE_BYTES) continue;
    const text = decoder.decode(bytes);
    if (!text.includes(application) || !text.includes('Application')) continue;
    const source = locateApplicationSource({ text, path, application });
    if (source) found.push({ ...source, path, text });
  }
  if (found.length === 0) {
    throw new DriftlessError(
      'NOT_FOUND',
      `no Application "${application}" in ${under === '' ? 'the repository' : `${under}/`} at ${tree.revision.slice(0, 12)}`,
      { context: { application, path: under } },
    );
  }
  if (found.length > 1) {
    throw new DriftlessError(
      'INVALID_INPUT',
      `Application "${application}" is defined in more than one file: ${found.map((f) => f.path).join(', ')}`,
      { context: { application } },
    );
  }
  return found[0]!;
}

async function* yamlFiles(tree: SourceTree, dir: string): AsyncGenerator<string> {
  for (const entry of await tree.list(dir)) {
    if (entry.type === 'dir') {
      if (!entry.name.startsWith('.')) yield* yamlFiles(tree, entry.path);
    } else if (entry.type === 'file' && /\.ya?ml$/i.test(entry.name)) {
      yield entry.path;
    }
  }
}
