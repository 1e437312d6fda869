/** Finds the kustomization file of a directory, as kustomize does, and edits its images. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DriftlessError } from '../errors/index.js';
import { type ImageOverride, parseImageArgument } from './image-argument.js';
import { type SetImagesResult, setImages } from './set-images.js';

/** kustomize's recognised names, in its order. */
const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export async function findKustomizationFile(dir: string): Promise<string> {
  const found: string[] = [];
  for (const name of KUSTOMIZATION_NAMES) {
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (info) found.push(name);
  }
  if (found.length === 0) {
    throw new DriftlessError(
      'NOT_FOUND',
      `${dir}: no kustomization file (expected one of ${KUSTOMIZATION_NAMES.join(', ')})`,
      { context: { path: dir } },
    );
  }
  if (found.length > 1) {
    throw new DriftlessError(
      'INVALID_INPUT',
      `${dir}: more than one kustomization file: ${found.join(', ')}`,
      {
        context: { path: dir },
      },
    );
  }
  const path = join(dir, found[0]!);
  if ((await stat(path)).isDirectory()) {
    throw new DriftlessError('INVALID_INPUT', `${path} should be a file`, { context: { path } });
  }
  return path;
}

export interface SetImagesInDirectoryOptions {
  readonly dir: string;
  /** Arguments as given on the command line (`web=ghcr.io/acme/web:1.2.3`). */
  readonly arguments: readonly string[];
  /** Compute and return the result without writing the file. */
  readonly dryRun?: boolean;
}

export async function setImagesInDirectory(
  options: SetImagesInDirectoryOptions,
): Promise<SetImagesResult & { readonly path: string }> {
  if (options.arguments.length === 0) {
    throw new DriftlessError('INVALID_INPUT', 'no image specified', { context: { path: options.dir } });
  }
  // Validate every argument before touching the file.
  const overrides: ImageOverride[] = options.arguments.map(parseImageArgument);
  const path = await findKustomizationFile(options.dir);
  const result = setImages({ text: await readFile(path, 'utf8'), path, overrides });
  if (result.changed && !options.dryRun) await writeFile(path, result.text);
  return { ...result, path };
}
