import { describe, expect, it } from 'vitest';
import {
  type Application,
  formatProblem,
  type LoadedDocument,
  type Parsed,
  parseApplication,
  parseDocuments,
} from '../../../shared/model/index.js';

function baseApp(): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd' },
    spec: {
      source: { repoURL: 'https://git.example.com/config.git', path: 'apps/web' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
    },
  };
}

function doc(object: Record<string, unknown>, index = 2): LoadedDocument {
  return { file: 'argo/web.yaml', index, line: 1, object };
}

/** Sets `value` at a dotted path (`spec.source.helm.skipCrds`) on a copy of the base app. */
function appWith(path: string, value: unknown): Record<string, unknown> {
  const app = baseApp();
  const keys = path.split('.');
  let at: Record<string, unknown> = app;
  for (const key of keys.slice(0, -1)) {
    at[key] ??= {};
    at = at[key] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1] as string;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return app;
}

function problemsOf(parsed: Parsed<Application>): string[] {
  return parsed.kind === 'invalid' ? parsed.problems.map(formatProblem) : [];
}

function validOf(parsed: Parsed<Application>): Application {
  if (parsed.kind !== 'valid') throw new Error(problemsOf(parsed).join('\n'));
  return parsed.value;
}

describe('parseApplication: required fields', () => {
  it.each([
    ['metadata.name', undefined, 'argo/web.yaml#2: metadata.name: is required'],
    ['spec', undefined, 'argo/web.yaml#2: spec: is required'],
    ['spec.destination', undefined, 'argo/web.yaml#2: spec.destination: is required'],
    ['spec.source', undefined, 'argo/web.yaml#2: spec.source: is required (or sources)'],
    ['spec.source.repoURL', undefined, 'argo/web.yaml#2: spec.source.repoURL: is required'],
    ['spec.source.repoURL', '', 'argo/web.yaml#2: spec.source.repoURL: is required'],
    ['spec.destination.server', undefined, 'argo/web.yaml#2: spec.destination: set server or name'],
    [
      'spec.ignoreDifferences',
      [{ jsonPointers: ['/x'] }],
      'argo/web.yaml#2: spec.ignoreDifferences[0].kind: is required',
    ],
  ])('%s missing (%j)', (path, value, message) => {
    expect(problemsOf(parseApplication(doc(appWith(path, value))))).toEqual([message]);
  });

  it('requires repoURL on each of sources', () => {
    const app = appWith('spec.source', undefined);
    (app.spec as Record<string, unknown>).sources = [
      { repoURL: 'https://a.example.com/x.git' },
      { path: 'b' },
    ];
    expect(problemsOf(parseApplication(doc(app)))).toEqual([
      'argo/web.yaml#2: spec.sources[1].repoURL: is required',
    ]);
  });

  it('refuses a destination with both server and name', () => {
    const app = appWith('spec.destination.name', 'prod');
    expect(problemsOf(parseApplication(doc(app)))).toEqual([
      'argo/web.yaml#2: spec.destination: set either server or name, not both',
    ]);
  });

  it('accepts a destination by name alone', () => {
    const app = appWith('spec.destination', { name: 'prod', namespace: 'web' });
    expect(validOf(parseApplication(doc(app))).spec.destination).toEqual({ name: 'prod', namespace: 'web' });
  });

  it('refuses another argoproj.io version and an invalid name', () => {
    const app = appWith('metadata.name', 'Web_App');
    app.apiVersion = 'argoproj.io/v1beta1';
    expect(problemsOf(parseApplication(doc(app)))).toEqual([
      'argo/web.yaml#2: apiVersion: must be argoproj.io/v1alpha1, not "argoproj.io/v1beta1"',
      `argo/web.yaml#2: metadata.name: must be lower case letters, digits, '-' and '.', starting and ending with a letter or digit, not "Web_App"`,
    ]);
  });
});

describe('parseApplication: field types', () => {
  it.each([
    ['spec.project', 7, 'must be a string, not an integer'],
    ['spec.source.path', ['a'], 'must be a string, not an array'],
    ['spec.source.targetRevision', 1.5, 'must be a string, not a number'],
    ['spec.source.kustomize.namePrefix', true, 'must be a string, not a boolean'],
    ['spec.source.kustomize.images', 'nginx:1', 'must be an array, not a string'],
    ['spec.source.kustomize.commonLabels', { team: 1 }, undefined],
    ['spec.source.kustomize.replicas', [{ name: 'web', count: true }], undefined],
    ['spec.source.kustomize.patches', [{ target: { kind: 3 } }], undefined],
    ['spec.source.helm.skipCrds', 'yes', 'must be a boolean, not a string'],
    ['spec.source.helm.values', { a: 1 }, 'must be a string, not an object'],
    ['spec.source.helm.valuesObject', 'a: 1', 'must be an object, not a string'],
    ['spec.source.helm.parameters', [{ name: 'a', value: 1 }], undefined],
    ['spec.source.directory.recurse', 'true', 'must be a boolean, not a string'],
    ['spec.source.directory.jsonnet', { libs: 'vendor' }, undefined],
    ['spec.destination.namespace', 5, 'must be a string, not an integer'],
    ['spec.syncPolicy', 'auto', 'must be an object, not a string'],
    ['spec.syncPolicy.automated.prune', 'true', 'must be a boolean, not a string'],
    ['spec.syncPolicy.syncOptions', 'CreateNamespace=true', 'must be an array, not a string'],
    ['spec.syncPolicy.retry.limit', '5', 'must be an integer, not a string'],
    ['spec.syncPolicy.retry.limit', 2.5, 'must be an integer, not a number'],
    ['spec.syncPolicy.retry.backoff.duration', 5, 'must be a string, not an integer'],
    [
      'spec.syncPolicy.retry.backoff.duration',
      'five',
      'must be a duration such as 5s, 3m or 1h30m, not "five"',
    ],
    [
      'spec.syncPolicy.retry.backoff.maxDuration',
      '3 minutes',
      'must be a duration such as 5s, 3m or 1h30m, not "3 minutes"',
    ],
    ['spec.syncPolicy.retry.backoff.factor', '2', 'must be an integer, not a string'],
    ['spec.ignoreDifferences', { kind: 'Deployment' }, 'must be an array, not an object'],
    ['spec.revisionHistoryLimit', '10', 'must be an integer, not a string'],
    ['metadata.labels', { team: 7 }, undefined],
  ])('%s = %j', (path, value, message) => {
    const problems = problemsOf(parseApplication(doc(appWith(path, value))));
    expect(problems).toHaveLength(1);
    if (message) expect(problems[0]).toBe(`argo/web.yaml#2: ${path}: ${message}`);
    else expect(problems[0]).toMatch(/^argo\/web\.yaml#2: \S+: must be /);
  });

  it('names the nested field inside arrays', () => {
    const app = appWith('spec.source.helm.parameters', [
      { name: 'a', value: 'x' },
      { name: 'b', value: 2 },
    ]);
    expect(problemsOf(parseApplication(doc(app)))).toEqual([
      'argo/web.yaml#2: spec.source.helm.parameters[1].value: must be a string, not an integer',
    ]);
  });

  it('names map keys that are not identifiers', () => {
    const app = appWith('metadata.annotations', { 'argocd.argoproj.io/sync-wave': 1 });
    expect(problemsOf(parseApplication(doc(app)))).toEqual([
      'argo/web.yaml#2: metadata.annotations["argocd.argoproj.io/sync-wave"]: must be a string, not an integer',
    ]);
  });

  it('checks syncOptions as Key=Value strings', () => {
    const app = appWith('spec.syncPolicy.syncOptions', ['CreateNamespace=true', 'PruneLast', 3]);
    expect(problemsOf(parseApplication(doc(app)))).toEqual([
      'argo/web.yaml#2: spec.syncPolicy.syncOptions[1]: must be Key=Value (such as CreateNamespace=true), not "PruneLast"',
      'argo/web.yaml#2: spec.syncPolicy.syncOptions[2]: must be a string, not an integer',
    ]);
  });

  it('accepts the sync policy forms Argo CD accepts', () => {
    const app = appWith('spec.syncPolicy', {
      automated: { prune: true, selfHeal: true, allowEmpty: false, enabled: true },
      syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      managedNamespaceMetadata: { labels: { team: 'web' } },
    });
    expect(validOf(parseApplication(doc(app))).spec.syncPolicy?.retry?.backoff?.maxDuration).toBe('3m');
    const seconds = appWith('spec.syncPolicy.retry', { backoff: { duration: '30', maxDuration: '1h30m' } });
    expect(problemsOf(parseApplication(doc(seconds)))).toEqual([]);
  });

  it('refuses a source that names two tools', () => {
    const app = appWith('spec.source.helm', { releaseName: 'web' });
    (app.spec as { source: Record<string, unknown> }).source.kustomize = { namePrefix: 'a-' };
    expect(problemsOf(parseApplication(doc(app)))).toEqual([
      'argo/web.yaml#2: spec.source: set only one of helm, kustomize',
    ]);
  });

  it('treats null as absent, as the API server does', () => {
    const app = appWith('spec.syncPolicy', null);
    expect(validOf(parseApplication(doc(app))).spec.syncPolicy).toBeNull();
  });
});

describe('parseApplication: every problem of a document', () => {
  it('reports all problems, not the first', () => {
    const app = baseApp();
    app.metadata = { labels: { team: 7 } };
    app.spec = {
      source: { path: 3, helm: { skipCrds: 'no' } },
      destination: { server: 'https://a', name: 'b' },
      syncPolicy: { retry: { limit: 'many' } },
    };
    expect(problemsOf(parseApplication(doc(app)))).toEqual([
      'argo/web.yaml#2: metadata.labels.team: must be a string, not an integer',
      'argo/web.yaml#2: metadata.name: is required',
      'argo/web.yaml#2: spec.source.repoURL: is required',
      'argo/web.yaml#2: spec.source.path: must be a string, not an integer',
      'argo/web.yaml#2: spec.source.helm.skipCrds: must be a boolean, not a string',
      'argo/web.yaml#2: spec.syncPolicy.retry.limit: must be an integer, not a string',
      'argo/web.yaml#2: spec.destination: set either server or name, not both',
    ]);
  });

  it('prefixes the List item for objects that came from a List', () => {
    const [item] = parseDocuments({
      file: 'apps.yaml',
      text: 'kind: List\nitems:\n- apiVersion: argoproj.io/v1alpha1\n  kind: Application\n  metadata: {name: a}\n  spec: {source: {repoURL: x}}\n',
    });
    expect(problemsOf(parseApplication(item as LoadedDocument))).toEqual([
      'apps.yaml#0: items[0].spec.destination: is required',
    ]);
  });
});

describe('parseApplication: defaults and preservation', () => {
  it('applies Argo CD defaults to a copy, leaving the input untouched', () => {
    const input = baseApp();
    const before = structuredClone(input);
    const app = validOf(parseApplication(doc(input)));
    expect(app.spec.project).toBe('default');
    expect(app.spec.source?.targetRevision).toBe('HEAD');
    expect(app.spec.revisionHistoryLimit).toBe(10);
    expect(app.spec.destination.namespace).toBe('web');
    expect(input).toEqual(before);
  });

  it('defaults targetRevision on each of sources and keeps what is set', () => {
    const app = appWith('spec.source', undefined);
    (app.spec as Record<string, unknown>).sources = [
      { repoURL: 'https://git.example.com/a.git', path: 'a' },
      { repoURL: 'https://charts.example.com', chart: 'redis', targetRevision: '19.0.0' },
      { repoURL: 'https://git.example.com/b.git', targetRevision: '', ref: 'values' },
    ];
    (app.spec as Record<string, unknown>).project = 'apps';
    (app.spec as Record<string, unknown>).revisionHistoryLimit = 3;
    const parsed = validOf(parseApplication(doc(app)));
    expect(parsed.spec.sources?.map((s) => s.targetRevision)).toEqual(['HEAD', '19.0.0', 'HEAD']);
    expect(parsed.spec.project).toBe('apps');
    expect(parsed.spec.revisionHistoryLimit).toBe(3);
  });

  it('leaves destination.namespace unset when not given', () => {
    const app = appWith('spec.destination', { server: 'https://kubernetes.default.svc' });
    expect(validOf(parseApplication(doc(app))).spec.destination).toEqual({
      server: 'https://kubernetes.default.svc',
    });
  });

  it('keeps unknown fields untouched', () => {
    const app = appWith('spec.source.futureOption', { nested: [1, 'two'] });
    (app as Record<string, unknown>).status = { sync: { status: 'Synced' } };
    (app.spec as Record<string, unknown>).somethingNew = true;
    const parsed = validOf(parseApplication(doc(app)));
    expect(parsed.spec.source?.futureOption).toEqual({ nested: [1, 'two'] });
    expect(parsed.spec.somethingNew).toBe(true);
    expect(parsed.status).toEqual({ sync: { status: 'Synced' } });
  });
});
