import { describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { parseImageArgument, setImages, splitImageName } from '../../../shared/image/index.js';

const DIGEST = 'sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3';

function set(text: string, ...args: string[]): string {
  return setImages({ text, path: 'kustomization.yaml', overrides: args.map(parseImageArgument) }).text;
}
const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('image set writes what kustomize edit set image writes', () => {
  // Cases from kustomize's documented behaviour (its `edit set image` command and test table).
  it.each([
    [['image1=my-image1:my-tag'], ['- name: image1', '  newName: my-image1', '  newTag: my-tag']],
    [['image1=my-image1:1234'], ['- name: image1', '  newName: my-image1', '  newTag: "1234"']],
    [['image1=my-image1:3.2e2'], ['- name: image1', '  newName: my-image1', '  newTag: "3.2e2"']],
    [['image1=my-image1:1.0'], ['- name: image1', '  newName: my-image1', '  newTag: "1.0"']],
    [[`image1=my-image1@${DIGEST}`], [`- digest: ${DIGEST}`, '  name: image1', '  newName: my-image1']],
    [['image1:my-tag'], ['- name: image1', '  newTag: my-tag']],
    [[`image1@${DIGEST}`], [`- digest: ${DIGEST}`, '  name: image1']],
    [[`my-image1:my-tag@${DIGEST}`], [`- digest: ${DIGEST}`, '  name: my-image1', '  newTag: my-tag']],
    [
      [`image1=my-image1:my-tag@${DIGEST}`],
      [`- digest: ${DIGEST}`, '  name: image1', '  newName: my-image1', '  newTag: my-tag'],
    ],
    [
      ['ngnix=localhost:5000/my-project/ngnix'],
      ['- name: ngnix', '  newName: localhost:5000/my-project/ngnix'],
    ],
    [
      ['ngnix=localhost:5000/my-project/ngnix:dev-01'],
      ['- name: ngnix', '  newName: localhost:5000/my-project/ngnix', '  newTag: dev-01'],
    ],
    [
      ['postgres=eu.gcr.io/my-project/postgres:latest', `my-app=my-registry/my-app@${DIGEST}`],
      [
        `- digest: ${DIGEST}`,
        '  name: my-app',
        '  newName: my-registry/my-app',
        '- name: postgres',
        '  newName: eu.gcr.io/my-project/postgres',
        '  newTag: latest',
      ],
    ],
    [
      ['node:8.15.0', 'mysql=mariadb', `alpine@${DIGEST}`],
      [
        `- digest: ${DIGEST}`,
        '  name: alpine',
        '- name: mysql',
        '  newName: mariadb',
        '- name: node',
        '  newTag: 8.15.0',
      ],
    ],
    [['image1=*:v1'], ['- name: image1', '  newTag: v1']],
    [['image1=my-image1:*'], ['- name: image1', '  newName: my-image1']],
  ])('into an empty kustomization: %j', (args, expected) => {
    expect(set('', ...args)).toBe(lines('images:', ...expected));
  });

  const existing = lines(
    'images:',
    '- name: image1',
    '  newName: my-image1',
    '  newTag: my-tag1',
    '- name: image2',
    '  newName: my-image2',
    '  newTag: my-tag2',
    '- name: image3',
    '  newTag: my-tag',
  );

  it('an argument replaces the whole entry of that name; the others stay, sorted by name', () => {
    expect(
      set(
        existing,
        'image1=foo.bar.foo:8800/foo/image1:foo-bar',
        `image2=my-image2@${DIGEST}`,
        'image3:my-tag',
      ),
    ).toBe(
      lines(
        'images:',
        '- name: image1',
        '  newName: foo.bar.foo:8800/foo/image1',
        '  newTag: foo-bar',
        `- digest: ${DIGEST}`,
        '  name: image2',
        '  newName: my-image2',
        '- name: image3',
        '  newTag: my-tag',
      ),
    );
  });

  it('a new tag alone drops the entry newName (kustomize replaces, it does not merge)', () => {
    expect(set(lines('images:', '- name: image1', '  newName: other', '  newTag: my-tag'), 'image1:v1')).toBe(
      lines('images:', '- name: image1', '  newTag: v1'),
    );
  });

  it('* keeps the value in the file', () => {
    const file = lines(
      'images:',
      '- name: image1',
      '  newName: foo.bar.foo:8800/foo/image1',
      '  newTag: my-tag',
    );
    expect(set(file, 'image1=*:v1')).toBe(
      lines('images:', '- name: image1', '  newName: foo.bar.foo:8800/foo/image1', '  newTag: v1'),
    );
    expect(set(file, 'image1=my-image1:*')).toBe(
      lines('images:', '- name: image1', '  newName: my-image1', '  newTag: my-tag'),
    );
    expect(set(file, 'image1=*:*')).toBe(file);
  });

  it('rewrites entries the way kustomize writes them (alphabetical keys, unindented list)', () => {
    const file = lines(
      'images:',
      '  - newTag: "2"',
      '    name: zeta',
      '  - name: alpha',
      '    newTag: 1.0.0',
    );
    expect(set(file, 'alpha:1.1.0')).toBe(
      lines('images:', '- name: alpha', '  newTag: 1.1.0', '- name: zeta', '  newTag: "2"'),
    );
  });

  it('refuses arguments kustomize refuses, naming them', () => {
    for (const bad of ['bad', 'args', ':tag']) {
      let error: unknown;
      try {
        parseImageArgument(bad);
      } catch (e) {
        error = e;
      }
      expect(isDriftlessError(error, 'INVALID_INPUT'), bad).toBe(true);
      expect((error as Error).message).toContain(`"${bad}"`);
    }
  });

  it('refuses an images field it cannot read, naming the file and entry', () => {
    expect(() => set(lines('images:', '- name: a', '  newTage: typo'), 'a:1')).toThrow(
      'kustomization.yaml: images[0]: unknown field "newTage"',
    );
    expect(() => set('images: web\n', 'a:1')).toThrow('kustomization.yaml: images must be a list');
  });
});

describe('splitImageName', () => {
  it.each([
    ['nginx', 'nginx', '', ''],
    ['nginx:1.25', 'nginx', '1.25', ''],
    ['localhost:5000/team/web', 'localhost:5000/team/web', '', ''],
    ['localhost:5000/team/web:dev', 'localhost:5000/team/web', 'dev', ''],
    [`ghcr.io/acme/web@${DIGEST}`, 'ghcr.io/acme/web', '', DIGEST],
    [`ghcr.io/acme/web:1.2@${DIGEST}`, 'ghcr.io/acme/web', '1.2', DIGEST],
  ])('%s', (reference, name, tag, digest) => {
    expect(splitImageName(reference)).toEqual({ name, tag, digest });
  });
});
