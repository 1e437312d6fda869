import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../cli/commands/validate.js';
import { captureIO } from '../../../cli/io.js';
import { BROKEN_YAML, HELM_CHART, scratchTree } from './scratch-tree.js';

const fixtures = join('test', 'fixtures', 'model');

async function validate(...args: string[]) {
  const io = captureIO();
  const code = await run(args, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('driftless validate', () => {
  it('exits 0 with a summary when every object is valid', async () => {
    const chart = await scratchTree(HELM_CHART);
    const result = await validate(join(fixtures, 'tree'), chart);
    expect(result).toEqual({ code: 0, stdout: 'validated 4 objects in 4 files: 0 problems\n', stderr: '' });
  });

  it('prints every problem of every file, parse failures included, and exits 1', async () => {
    const result = await validate(join(fixtures, 'invalid'));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    await expect(result.stdout).toMatchFileSnapshot(
      join('..', '..', 'fixtures', 'model', 'validate-invalid.golden.txt'),
    );
  });

  it('reports a file that does not parse and still checks the others', async () => {
    const root = await scratchTree({
      'a-broken.yaml': BROKEN_YAML,
      'b-app.yaml': BROKEN_YAML.split('---')[0] ?? '',
    });
    const result = await validate(root);
    expect(result.code).toBe(1);
    expect(result.stdout.replaceAll(root, '<dir>')).toBe(
      '<dir>/a-broken.yaml:15: Flow sequence in block collection must be sufficiently indented and end with a ]\n' +
        'validated 1 objects in 2 files: 1 problems\n',
    );
  });

  it('prints usage for --help', async () => {
    const result = await validate('--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: driftless validate PATH...');
  });

  it('exits 2 without a path', async () => {
    const result = await validate();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('name at least one PATH');
    expect(result.stdout).toBe('');
  });

  it('exits 2 naming a path that does not exist', async () => {
    const missing = join(fixtures, 'nowhere.yaml');
    const result = await validate(join(fixtures, 'tree'), missing);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${missing}: no such file or directory`);
  });

  it('exits 2 on an unknown option', async () => {
    const result = await validate('--strict', join(fixtures, 'tree'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown option "--strict"');
  });
});
