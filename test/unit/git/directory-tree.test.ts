/**
 * DirectorySourceTree: content decides every id and the revision (never sizes or times), ids of
 * entries agree with idOf, links are read once at open, materializing copies links that stay
 * inside and refuses the others, and errors name the repository.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectorySourceTree } from '../../../shared/git/directory-tree.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dl-dirtree-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');

describe('DirectorySourceTree', () => {
  let repo: string;

  beforeEach(async () => {
    repo = join(root, 'repo');
    for (let app = 0; app < 12; app++) {
      const base = join(repo, 'apps', `app-${app}`, 'base');
      await mkdir(base, { recursive: true });
      for (let i = 0; i < 20; i++) {
        await writeFile(join(base, `cm-${i}.yaml`), `kind: ConfigMap\nmetadata:\n  name: cm-${app}-${i}\n`);
      }
    }
    await mkdir(join(repo, '.git'), { recursive: true });
    await writeFile(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  });

  it('gives every entry the id idOf gives it, a file the hash of its bytes', async () => {
    const tree = await DirectorySourceTree.open('r', repo);
    const pending = [''];
    let files = 0;
    while (pending.length > 0) {
      const dir = pending.pop() as string;
      for (const entry of await tree.list(dir)) {
        expect(await tree.idOf(entry.path)).toBe(entry.id);
        if (entry.type === 'dir') pending.push(entry.path);
        if (entry.type === 'file') files++;
      }
    }
    expect(files).toBe(240);
    expect(await tree.idOf('apps/app-3/base/cm-7.yaml')).toBe(
      sha256('kind: ConfigMap\nmetadata:\n  name: cm-3-7\n'),
    );
    expect(await tree.idOf('')).toBe(tree.revision);
  });

  it('keeps the revision when only modification times change, not when content of the same size does', async () => {
    const file = join(repo, 'apps', 'app-5', 'base', 'cm-5.yaml');
    const first = await DirectorySourceTree.open('r', repo);
    await utimes(file, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const touched = await DirectorySourceTree.open('r', repo);
    expect(touched.revision).toBe(first.revision);

    const before = await stat(file);
    await writeFile(file, 'kind: ConfigMap\nmetadata:\n  name: cm-5-X\n');
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);
    const changed = await DirectorySourceTree.open('r', repo);
    expect(changed.revision).not.toBe(first.revision);
    expect(await changed.idOf('apps/app-5')).not.toBe(await first.idOf('apps/app-5'));
    expect(await changed.idOf('apps/app-4')).toBe(await first.idOf('apps/app-4'));
  });

  it('ignores .git, sorts names in byte order and takes link targets as they were at open', async () => {
    const first = await DirectorySourceTree.open('r', repo);
    await writeFile(join(repo, '.git', 'HEAD'), 'ref: refs/heads/other\n');
    expect((await DirectorySourceTree.open('r', repo)).revision).toBe(first.revision);

    const mixed = join(repo, 'mixed');
    await mkdir(mixed);
    for (const name of ['b.yaml', 'B.yaml', '_.yaml', 'a.yaml']) await writeFile(join(mixed, name), name);
    await symlink('a.yaml', join(mixed, 'link.yaml'));
    const tree = await DirectorySourceTree.open('r', repo);
    expect((await tree.list('mixed')).map((e) => `${e.type}:${e.name}`)).toEqual([
      'file:B.yaml',
      'file:_.yaml',
      'file:a.yaml',
      'file:b.yaml',
      'symlink:link.yaml',
    ]);
    await rm(join(mixed, 'link.yaml'));
    await symlink('b.yaml', join(mixed, 'link.yaml'));
    expect(await tree.readLink('mixed/link.yaml')).toBe('a.yaml');
    expect(await tree.idOf('mixed/link.yaml')).toBe(sha256('link\0a.yaml'));
  });

  it('opens a tree with a dangling link and names the repository of a missing directory', async () => {
    await symlink('missing-target', join(repo, 'apps', 'dangling.yaml'));
    const tree = await DirectorySourceTree.open('r', repo);
    expect(await tree.readLink('apps/dangling.yaml')).toBe('missing-target');
    await expect(
      DirectorySourceTree.open('https://example.com/cfg.git', join(repo, 'nope')),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/^https:\/\/example.com\/cfg.git: .*nope is not a directory$/),
    });
  });
});

describe('DirectorySourceTree of a small repository', () => {
  let repo: string;

  beforeEach(async () => {
    repo = join(root, 'repo');
    await mkdir(join(repo, 'apps', 'web'), { recursive: true });
    await mkdir(join(repo, '.git'), { recursive: true });
    await writeFile(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(repo, 'apps', 'web', 'a.yaml'), 'kind: A\n');
    await writeFile(join(repo, 'README.md'), '# hi\n');
  });

  it('lists sorted entries, skips .git and reads files', async () => {
    const tree = await DirectorySourceTree.open('https://example.com/r.git', repo);
    const names = (await tree.list('')).map((e) => `${e.type}:${e.path}`);
    expect(names).toEqual(['file:README.md', 'dir:apps']);
    expect(new TextDecoder().decode(await tree.readFile('apps/web/a.yaml'))).toBe('kind: A\n');
    await expect(tree.list('apps/web/a.yaml')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await tree.idOf('missing')).toBeUndefined();
  });

  it('keeps ids for unchanged content and changes them for changed content', async () => {
    const first = await DirectorySourceTree.open('r', repo);
    const again = await DirectorySourceTree.open('r', repo);
    expect(again.revision).toBe(first.revision);
    expect(await again.idOf('apps/web')).toBe(await first.idOf('apps/web'));
    await writeFile(join(repo, 'README.md'), '# changed\n');
    const changed = await DirectorySourceTree.open('r', repo);
    expect(changed.revision).not.toBe(first.revision);
    expect(await changed.idOf('apps/web')).toBe(await first.idOf('apps/web'));
    expect(await changed.idOf('')).toBe(changed.revision);
  });

  it('reports symlinks and materializes inside links, refusing links that leave the root', async () => {
    await symlink('a.yaml', join(repo, 'apps', 'web', 'b.yaml'));
    const tree = await DirectorySourceTree.open('r', repo);
    const entries = await tree.list('apps/web');
    expect(entries.map((e) => `${e.type}:${e.name}`)).toEqual(['file:a.yaml', 'symlink:b.yaml']);
    expect(await tree.readLink('apps/web/b.yaml')).toBe('a.yaml');
    const out = join(root, 'out');
    await tree.materialize(out, { path: 'apps' });
    expect(await readFile(join(out, 'web', 'a.yaml'), 'utf8')).toBe('kind: A\n');
    expect(await readlink(join(out, 'web', 'b.yaml'))).toBe('a.yaml');

    await symlink('../../../../etc/passwd', join(repo, 'apps', 'web', 'c.yaml'));
    const hostile = await DirectorySourceTree.open('r', repo);
    await expect(hostile.materialize(join(root, 'out2'))).rejects.toThrow(
      /apps\/web\/c.yaml: symlink .* leaves/,
    );
  });
});
