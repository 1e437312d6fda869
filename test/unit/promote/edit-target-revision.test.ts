import { describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { setTargetRevision } from '../../../shared/promote/index.js';

const app = (source: string, name = 'web') => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
spec:
${source}`;

function edit(text: string, revision: string, extra: { application?: string; sourceIndex?: number } = {}) {
  return setTargetRevision({
    text,
    path: 'apps.yaml',
    application: extra.application ?? 'web',
    revision,
    ...extra,
  });
}

describe('setTargetRevision', () => {
  it('changes only the scalar, keeping comments, quoting and layout', () => {
    const text = app(`  source:
    repoURL: https://example.com/config.git   # the repo
    targetRevision: 'v1.0.0'  # pinned
    path: apps/web
`);
    const result = edit(text, 'v1.1.0');
    expect(result.kind).toBe('changed');
    expect(result.kind === 'changed' && result.text).toBe(text.replace("'v1.0.0'", "'v1.1.0'"));
    expect(result.targetRevision).toBe('v1.0.0');
  });

  it('quotes a plain value only where YAML would read it as something else', () => {
    const text = app(`  source:
    repoURL: https://example.com/config.git
    targetRevision: main
`);
    const changed = (revision: string) => {
      const r = edit(text, revision);
      return r.kind === 'changed' ? r.text.split('\n').find((l) => l.includes('targetRevision')) : undefined;
    };
    expect(changed('v1.1.0')).toBe('    targetRevision: v1.1.0');
    expect(changed('>=1.2 <2')).toBe('    targetRevision: ">=1.2 <2"');
    expect(changed('1.10')).toBe('    targetRevision: "1.10"');
    expect(changed('*')).toBe('    targetRevision: "*"');
  });

  it('inserts the field after repoURL when it was absent (Argo CD reads that as HEAD)', () => {
    const text = app(`  source:
    repoURL: https://example.com/config.git
    path: apps/web
`);
    const result = edit(text, 'v2.0.0');
    expect(result.targetRevision).toBeUndefined();
    expect(result.kind === 'changed' && result.text).toBe(
      text.replace('config.git\n', 'config.git\n    targetRevision: v2.0.0\n'),
    );
  });

  it('edits the right Application among several documents', () => {
    const source = `  source:
    repoURL: https://example.com/config.git
    targetRevision: v1.0.0
`;
    const text = `${app(source, 'web-dev')}---\n${app(source, 'web-prod')}`;
    const result = edit(text, 'v1.1.0', { application: 'web-prod' });
    expect(result.kind === 'changed' && result.text).toBe(
      `${app(source, 'web-dev')}---\n${app(source.replace('v1.0.0', 'v1.1.0'), 'web-prod')}`,
    );
  });

  it('a multi-source Application needs the source named', () => {
    const text = app(`  sources:
    - repoURL: https://example.com/charts.git
      targetRevision: 1.0.0
    - repoURL: https://example.com/values.git
      targetRevision: main
`);
    expect(() => edit(text, 'v2')).toThrow('apps.yaml: Application "web": spec.sources has 2 sources');
    const result = edit(text, 'v2', { sourceIndex: 1 });
    expect(result.field).toBe('spec.sources[1]');
    expect(result.kind === 'changed' && result.text).toBe(
      text.replace('targetRevision: main', 'targetRevision: v2'),
    );
  });

  it('reports unchanged when the value is already the target', () => {
    const text = app(`  source:
    repoURL: https://example.com/config.git
    targetRevision: v1.0.0
`);
    expect(edit(text, 'v1.0.0').kind).toBe('unchanged');
  });

  it('an Application that is not in the file is an error naming file and name', () => {
    let error: unknown;
    try {
      edit(app('  source: {repoURL: x}\n'), 'v1', { application: 'api' });
    } catch (e) {
      error = e;
    }
    expect(isDriftlessError(error, 'NOT_FOUND')).toBe(true);
    expect((error as Error).message).toBe('apps.yaml: no Application "api"');
  });
});
