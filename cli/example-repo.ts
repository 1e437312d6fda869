/**
 * The bundled example config repository (examples/config) as a real git repository, so that
 * `npm start` resolves branches and tags (`main`, `v1.0.0`) the way it would against GitHub.
 * Author and time are fixed, so the same content always gives the same commit.
 */

import * as fs from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import git from 'isomorphic-git';

export const EXAMPLE_REPO_URL = 'https://github.com/driftless-dev/gitops-config.git';
export const EXAMPLE_CONFIG_DIR = 'examples/argocd';
const EXAMPLE_SOURCE_DIR = 'examples/config';

const AUTHOR = {
  name: 'Driftless Examples',
  email: 'examples@driftless.dev',
  timestamp: 1_767_225_600,
  timezoneOffset: 0,
};

/** (Re)creates the example repository under `cacheDir` and returns its path. */
export async function buildExampleRepo(cacheDir: string): Promise<string> {
  const dir = resolve(cacheDir, 'example-config-repo');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await git.init({ fs, dir, defaultBranch: 'main' });
  const source = resolve(EXAMPLE_SOURCE_DIR);
  for (const file of await walk(source)) {
    const path = relative(source, file).split(sep).join('/');
    await mkdir(join(dir, path, '..'), { recursive: true });
    await fs.promises.writeFile(join(dir, path), await readFile(file));
    await git.add({ fs, dir, filepath: path });
  }
  await git.commit({ fs, dir, message: 'Example config repository', author: AUTHOR, committer: AUTHOR });
  await git.tag({ fs, dir, ref: 'v1.0.0' });
  return dir;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
