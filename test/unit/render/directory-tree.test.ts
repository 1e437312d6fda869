import { mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorySourceTree } from '../../../shared/git/directory-tree.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dl-tree-'));
  await mkdir(join(root, 'repo', 'apps', 'web'), { recursive: true });
  await mkdir(join(root, 'repo', '.git'), { recursive: true });
  await writeFile(join(root, 'repo', '.git', 'HEAD'), 'ref: refs/heads/main\n');
  await writeFile(join(root, 'repo', 'apps', 'web', 'a.yaml'), 'kind: A\n');
  await writeFile(join(root, 'repo', 'README.md'), '# hi\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('DirectorySourceTree', () => {
  it('lists sorted entries, skips .git and reads files', async () => {
    const tree = await DirectorySourceTree.open('https://example.com/r.git', join(root, 'repo'));
    const names = (await tree.list('')).map((e) => `${e.type}:${e.path}`);
    expect(names).toEqual(['file:README.md', 'dir:apps']);
    expect(new TextDecoder().decode(await tree.readFile('apps/web/a.yaml'))).toBe('kind: A\n');
    await expect(tree.list('apps/web/a.yaml')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await tree.idOf('missing')).toBeUndefined();
  });

  it('keeps ids for unchanged content and changes them for changed content', async () => {
    const first = await DirectorySourceTree.open('r', join(root, 'repo'));
    const again = await DirectorySourceTree.open('r', join(root, 'repo'));
    expect(again.revision).toBe(first.revision);
    expect(await again.idOf('apps/web')).toBe(await first.idOf('apps/web'));
    await writeFile(join(root, 'repo', 'README.md'), '# changed\n');
    const changed = await DirectorySourceTree.open('r', join(root, 'repo'));
    expect(changed.revision).not.toBe(first.revision);
    expect(await changed.idOf('apps/web')).toBe(await first.idOf('apps/web'));
    expect(await changed.idOf('')).toBe(changed.revision);
  });

  it('reports symlinks and materializes inside links, refusing links that leave the root', async () => {
    await symlink('a.yaml', join(root, 'repo', 'apps', 'web', 'b.yaml'));
    const tree = await DirectorySourceTree.open('r', join(root, 'repo'));
    const entries = await tree.list('apps/web');
    expect(entries.map((e) => `${e.type}:${e.name}`)).toEqual(['file:a.yaml', 'symlink:b.yaml']);
    expect(await tree.readLink('apps/web/b.yaml')).toBe('a.yaml');
    const out = join(root, 'out');
    await tree.materialize(out, { path: 'apps' });
    expect(await readFile(join(out, 'web', 'a.yaml'), 'utf8')).toBe('kind: A\n');
    expect(await readlink(join(out, 'web', 'b.yaml'))).toBe('a.yaml');

    await symlink('../../../../etc/passwd', join(root, 'repo', 'apps', 'web', 'c.yaml'));
    const hostile = await DirectorySourceTree.open('r', join(root, 'repo'));
    await expect(hostile.materialize(join(root, 'out2'))).rejects.toThrow(
      /apps\/web\/c.yaml: symlink .* leaves/,
    );
  });
});
