import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  parseApplicationSet,
  parseAppProject,
  parseDocuments,
} from '../../../shared/model/index.js';

function parseOne<T>(text: string, parse: (doc: ReturnType<typeof parseDocuments>[number]) => T): T {
  const [doc] = parseDocuments({ file: 'sets.yaml', text });
  if (!doc) throw new Error('no document');
  return parse(doc);
}

function problems(parsed: {
  kind: string;
  problems?: readonly Parameters<typeof formatProblem>[0][];
}): string[] {
  return parsed.kind === 'invalid' ? (parsed.problems ?? []).map(formatProblem) : [];
}

const header = 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: web}\n';

describe('parseApplicationSet', () => {
  it('accepts generators and a templated template without requiring template fields', () => {
    const parsed = parseOne(
      `${header}spec:
  goTemplate: true
  generators:
    - matrix:
        generators:
          - git: {repoURL: https://git.example.com/c.git, revision: HEAD, directories: [{path: apps/*}]}
          - list: {elements: [{env: dev}, {env: prod}]}
  template:
    metadata: {name: '{{.path.basename}}-{{.env}}'}
    spec:
      source: {repoURL: https://git.example.com/c.git, path: '{{.path.path}}'}
      destination: {name: '{{.env}}'}
      unknownField: kept
`,
      parseApplicationSet,
    );
    expect(problems(parsed)).toEqual([]);
    expect(parsed.kind === 'valid' && parsed.value.spec.template).toMatchObject({
      spec: { unknownField: 'kept' },
    });
  });

  it('reports every problem of the spec', () => {
    const parsed = parseOne(
      `${header}spec:
  goTemplate: 'true'
  syncPolicy: {applicationsSync: sometimes}
  generators:
    - {}
    - git: {revision: HEAD, directories: [{exclude: true}]}
    - matrix: {generators: [{list: {elements: []}}]}
    - merge: {generators: [{list: {elements: []}, clusters: {}}, {clusters: {}}]}
  template:
    spec:
      destination: {server: a, name: b}
      syncPolicy: {retry: {limit: x}}
`,
      parseApplicationSet,
    );
    expect(problems(parsed)).toEqual([
      'sets.yaml#0: spec.goTemplate: must be a boolean, not a string',
      'sets.yaml#0: spec.syncPolicy.applicationsSync: must be one of create-only, create-update, create-delete, sync, not "sometimes"',
      'sets.yaml#0: spec.generators[0]: set one generator (list, clusters, git, scmProvider, clusterDecisionResource, pullRequest, plugin, matrix, merge)',
      'sets.yaml#0: spec.generators[1].git.repoURL: is required',
      'sets.yaml#0: spec.generators[1].git.directories[0].path: is required',
      'sets.yaml#0: spec.generators[2].matrix.generators: a matrix combines exactly 2 generators, not 1',
      'sets.yaml#0: spec.generators[3].merge.mergeKeys: is required',
      'sets.yaml#0: spec.generators[3].merge.generators[0]: set one generator, not list and clusters',
      'sets.yaml#0: spec.template.spec.syncPolicy.retry.limit: must be an integer, not a string',
      'sets.yaml#0: spec.template.spec.destination: set either server or name, not both',
    ]);
  });

  it('requires generators and template', () => {
    expect(problems(parseOne(`${header}spec: {}\n`, parseApplicationSet))).toEqual([
      'sets.yaml#0: spec.generators: is required',
      'sets.yaml#0: spec.template: is required',
    ]);
  });
});

describe('parseAppProject', () => {
  const project = 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: apps}\n';

  it('accepts a project without spec as one that permits nothing', () => {
    const parsed = parseOne(project, parseAppProject);
    expect(parsed.kind === 'valid' && parsed.value.spec).toEqual({});
  });

  it('checks destinations, whitelists, roles and sync windows', () => {
    const parsed = parseOne(
      `${project}spec:
  sourceRepos: https://git.example.com/c.git
  destinations: [{server: 1}]
  clusterResourceWhitelist: [{group: ''}]
  roles: [{policies: [p, x]}]
  syncWindows: [{kind: maybe, schedule: '* * * * *', manualSync: 'yes'}]
`,
      parseAppProject,
    );
    expect(problems(parsed)).toEqual([
      'sets.yaml#0: spec.sourceRepos: must be an array, not a string',
      'sets.yaml#0: spec.destinations[0].server: must be a string, not an integer',
      'sets.yaml#0: spec.clusterResourceWhitelist[0].kind: is required',
      'sets.yaml#0: spec.roles[0].name: is required',
      'sets.yaml#0: spec.syncWindows[0].kind: must be one of allow, deny, not "maybe"',
      'sets.yaml#0: spec.syncWindows[0].manualSync: must be a boolean, not a string',
    ]);
  });
});
