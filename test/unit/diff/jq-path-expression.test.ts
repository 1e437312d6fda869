import { describe, expect, it } from 'vitest';
import { compileJqPathExpression } from '../../../shared/diff/index.js';
import { isDriftlessError } from '../../../shared/errors/index.js';

const doc = {
  metadata: { name: 'web', annotations: { 'foo.bar/x': '1', plain: '2' } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx',
            env: [
              { name: 'X_A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          { name: 'sidecar', image: 'envoy' },
          { name: 'logger', image: 'fluent', env: [{ name: 'X_C', value: '3' }] },
        ],
      },
    },
  },
  webhooks: [
    { name: 'a', clientConfig: { caBundle: 'AAA' } },
    { name: 'b', clientConfig: {} },
  ],
  items: [
    { x: 'y', z: 1 },
    { x: 'y', z: 2 },
    { x: 'n', z: 2 },
  ],
};

function pathsOf(expression: string, input: unknown = doc) {
  const outcome = compileJqPathExpression(expression).paths(input as never);
  if (outcome.kind === 'error') throw new Error(`unexpected runtime error: ${outcome.message}`);
  return outcome.paths;
}

describe('jq path expressions', () => {
  it('selects plain, quoted and bracketed fields', () => {
    expect(pathsOf('.spec.replicas')).toEqual([['spec', 'replicas']]);
    expect(pathsOf('.metadata.annotations."foo.bar/x"')).toEqual([['metadata', 'annotations', 'foo.bar/x']]);
    expect(pathsOf('.metadata.annotations["foo.bar/x"]')).toEqual([['metadata', 'annotations', 'foo.bar/x']]);
    expect(pathsOf('.metadata | .annotations | ."plain"')).toEqual([['metadata', 'annotations', 'plain']]);
  });

  it('selects a missing field as a path (deleting it is a no-op), like jq', () => {
    expect(pathsOf('.metadata.labels.app')).toEqual([['metadata', 'labels', 'app']]);
  });

  it('indexes arrays, including from the end', () => {
    expect(pathsOf('.spec.template.spec.containers[0].image')).toEqual([
      ['spec', 'template', 'spec', 'containers', 0, 'image'],
    ]);
    expect(pathsOf('.spec.template.spec.containers[-1].name')).toEqual([
      ['spec', 'template', 'spec', 'containers', 2, 'name'],
    ]);
  });

  it('iterates and filters with select', () => {
    expect(pathsOf('.spec.template.spec.containers[] | select(.name == "sidecar") | .image')).toEqual([
      ['spec', 'template', 'spec', 'containers', 1, 'image'],
    ]);
  });

  it('makes only the step before ? optional, so one container without env does not stop the rest', () => {
    const expression = '.spec.template.spec.containers[].env[]? | select(.name | startswith("X"))';
    expect(pathsOf(expression)).toEqual([
      ['spec', 'template', 'spec', 'containers', 0, 'env', 0],
      ['spec', 'template', 'spec', 'containers', 2, 'env', 0],
    ]);
    const strict = compileJqPathExpression('.spec.template.spec.containers[].env[] | select(.name == "B")');
    expect(strict.paths(doc as never)).toEqual({ kind: 'error', message: 'Cannot iterate over null' });
  });

  it('handles optional iteration followed by field access', () => {
    expect(pathsOf('.webhooks[]?.clientConfig.caBundle')).toEqual([
      ['webhooks', 0, 'clientConfig', 'caBundle'],
      ['webhooks', 1, 'clientConfig', 'caBundle'],
    ]);
    expect(pathsOf('.webhooks[]?.clientConfig.caBundle', { kind: 'ValidatingWebhookConfiguration' })).toEqual(
      [],
    );
    expect(pathsOf('.webhooks[]?.clientConfig.caBundle', { webhooks: 'not-a-list' })).toEqual([]);
  });

  it('combines conditions with and, or, not and comparisons', () => {
    expect(pathsOf('.items[] | select(.x == "y" and .z != 1)')).toEqual([['items', 1]]);
    expect(pathsOf('.items[] | select(.x == "n" or .z < 2)')).toEqual([
      ['items', 0],
      ['items', 2],
    ]);
    expect(pathsOf('.items[] | select(.x == "y" | not)')).toEqual([['items', 2]]);
    expect(pathsOf('.items[] | select(.z >= 2 and (.x | test("^[ny]$")))')).toEqual([
      ['items', 1],
      ['items', 2],
    ]);
  });

  it('supports has, contains, endswith, length and comma', () => {
    expect(pathsOf('.spec.template.spec.containers[] | select(has("env")) | .name')).toEqual([
      ['spec', 'template', 'spec', 'containers', 0, 'name'],
      ['spec', 'template', 'spec', 'containers', 2, 'name'],
    ]);
    expect(
      pathsOf('.spec.template.spec.containers[] | select(.image | contains("voy") or endswith("ent"))'),
    ).toEqual([
      ['spec', 'template', 'spec', 'containers', 1],
      ['spec', 'template', 'spec', 'containers', 2],
    ]);
    expect(pathsOf('.spec.template.spec.containers[] | select(.env | length > 1)')).toEqual([
      ['spec', 'template', 'spec', 'containers', 0],
    ]);
    expect(pathsOf('.spec.replicas, .metadata.name')).toEqual([
      ['spec', 'replicas'],
      ['metadata', 'name'],
    ]);
  });

  it('evaluates values as jq does', () => {
    const q = (e: string) => compileJqPathExpression(e).values(doc as never);
    expect(q('.spec.template.spec.containers[].name')).toEqual(['web', 'sidecar', 'logger']);
    expect(q('.items[] | .z == 2')).toEqual([false, true, true]);
    expect(q('.metadata.annotations | length')).toEqual([2]);
    expect(q('null < false and false < -1 and 0 < "a" and "a" < .items and .items < .metadata')).toEqual([
      true,
    ]);
    expect(q('.spec.template.spec.containers[0] | type')).toEqual(['object']);
  });

  it('reports a runtime error as an outcome naming the problem', () => {
    expect(compileJqPathExpression('.spec.replicas.count').paths(doc as never)).toEqual({
      kind: 'error',
      message: 'Cannot index number with "count"',
    });
    expect(compileJqPathExpression('.spec | "literal"').paths(doc as never)).toMatchObject({ kind: 'error' });
  });

  it.each([
    ['.spec.replicas + 1', '"+"'],
    ['.metadata.labels // {}', '"//"'],
    ['.items[] as $i | $i', '"$"'],
    ['.items[] | .z - 1', '"-"'],
    ['map(.name)', '"map"'],
    ['{a: .b}', '"{"'],
    ['.items[1:2]', '":"'],
    ['.metadata.name | "\\(.)"', 'interpolation'],
    ['.items[] | select(.x == )', 'unexpected'],
    ['.a == .b == .c', 'do not chain'],
    ['startswith("a"; "b")', 'does not take 2'],
    ['.items[', 'end of expression'],
  ])('refuses unsupported syntax %s with an error naming the expression', (expression, fragment) => {
    let caught: unknown;
    try {
      compileJqPathExpression(expression);
    } catch (e) {
      caught = e;
    }
    expect(isDriftlessError(caught, 'INVALID_MANIFEST')).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain(JSON.stringify(expression));
    expect(message).toContain(fragment);
  });
});
