import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DriftlessError } from '../../../shared/errors/index.js';
import { loadDocuments, parseDocuments } from '../../../shared/model/index.js';
import { BROKEN_YAML, HELM_CHART, scratchTree } from './scratch-tree.js';

const fixtures = join('test', 'fixtures', 'model');

async function failureOf(promise: Promise<unknown>): Promise<DriftlessError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DriftlessError);
  return error as DriftlessError;
}

describe('loadDocuments', () => {
  it('walks a directory in sorted order, reading .yaml, .yml and .json only', async () => {
    const docs = await loadDocuments([join(fixtures, 'tree')]);
    expect(docs.map((d) => [d.file, d.index, d.item, d.line, d.object.kind])).toEqual([
      [join(fixtures, 'tree', 'apps.yaml'), 0, undefined, 2, 'Application'],
      [join(fixtures, 'tree', 'apps.yaml'), 2, undefined, 16, 'Application'],
      [join(fixtures, 'tree', 'nested', 'list.yml'), 0, 0, 4, 'ConfigMap'],
      [join(fixtures, 'tree', 'nested', 'list.yml'), 0, 1, 10, 'AppProject'],
      [join(fixtures, 'tree', 'nested', 'project.json'), 0, undefined, 1, 'AppProject'],
    ]);
  });

  it('keeps a file path exactly as given', async () => {
    const file = join(fixtures, 'tree', 'nested', 'project.json');
    const docs = await loadDocuments([file]);
    expect(docs.map((d) => d.file)).toEqual([file]);
  });

  it('keeps timestamps and yes/no as strings (YAML 1.2 core schema)', () => {
    const [doc] = parseDocuments({ file: 'a.yaml', text: 'when: 2024-01-02\nanswer: yes\ncount: 3\n' });
    expect(doc?.object).toEqual({ when: '2024-01-02', answer: 'yes', count: 3 });
  });

  it('honours << merge keys as Go YAML does', () => {
    const [doc] = parseDocuments({ file: 'a.yaml', text: 'base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n' });
    expect(doc?.object.merged).toEqual({ x: 1, y: 2 });
  });

  it('skips Helm chart templates, which are not YAML', async () => {
    const root = await scratchTree(HELM_CHART);
    const docs = await loadDocuments([root]);
    expect(docs.map((d) => d.object.name)).toEqual(['sample']);
  });

  it('reports a document that does not parse with its file and line', async () => {
    const root = await scratchTree({ 'broken.yaml': BROKEN_YAML });
    const file = join(root, 'broken.yaml');
    const error = await failureOf(loadDocuments([file]));
    expect(error.code).toBe('YAML_PARSE');
    expect(error.message).toBe(
      `${file}:15: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
  });

  it('refuses an alias bomb, naming the file', async () => {
    const file = join(fixtures, 'invalid', 'alias-bomb.yaml');
    const error = await failureOf(loadDocuments([file]));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toContain(file);
    expect(error.message).toContain('alias');
  });

  it('refuses a file over the size limit', async () => {
    const file = join(fixtures, 'tree', 'apps.yaml');
    const error = await failureOf(loadDocuments([file], { maxFileBytes: 100 }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toContain(file);
  });

  it('names a path that does not exist', async () => {
    const error = await failureOf(loadDocuments([join(fixtures, 'missing.yaml')]));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('missing.yaml');
  });

  it('refuses a document that is not a mapping', () => {
    expect(() => parseDocuments({ file: 'list.yaml', text: 'a: 1\n---\n- just\n- a list\n' })).toThrow(
      'list.yaml:3: document 1 is a sequence, not a mapping',
    );
  });

  it('flattens *List kinds and skips null items', () => {
    const docs = parseDocuments({
      file: 'cms.yaml',
      text: 'kind: ConfigMapList\nitems:\n- kind: ConfigMap\n  metadata: {name: a}\n-\n- {kind: ConfigMap, metadata: {name: b}}\n',
    });
    expect(docs.map((d) => [d.item, d.line, (d.object.metadata as { name: string }).name])).toEqual([
      [0, 3, 'a'],
      [2, 6, 'b'],
    ]);
  });
});
