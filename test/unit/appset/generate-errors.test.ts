/**
 * Every way generation fails: the result is an error naming the ApplicationSet and the
 * generator, never an empty or partial list of Applications.
 */
import { describe, expect, it } from 'vitest';
import { type GeneratorSources, generateApplications } from '../../../shared/appset/index.js';
import type { ApplicationSet, ApplicationSetSpec } from '../../../shared/model/index.js';
import { REPO, sources } from '../../golden/appset/fixtures.js';

const TEMPLATE = {
  metadata: { name: '{{name}}' },
  spec: {
    project: 'default',
    source: { repoURL: REPO, targetRevision: 'HEAD', path: 'apps/{{name}}' },
    destination: { server: 'https://kubernetes.default.svc', namespace: '{{name}}' },
  },
};

function appSet(spec: Partial<ApplicationSetSpec>): ApplicationSet {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'broken', namespace: 'argocd' },
    spec: { generators: [], template: TEMPLATE, ...spec },
  };
}

const list = (...names: string[]) => ({ list: { elements: names.map((name) => ({ name })) } });
const gitFiles = (path: string) => ({ git: { repoURL: REPO, files: [{ path }] } });

interface Case {
  readonly name: string;
  readonly spec: Partial<ApplicationSetSpec>;
  readonly generator: string;
  readonly message: string;
  readonly code?: string;
  readonly sources?: GeneratorSources;
}

const CASES: readonly Case[] = [
  {
    name: 'duplicate generated names',
    spec: { generators: [list('web', 'api'), list('web')] },
    generator: 'spec.generators[1].list',
    message: 'ApplicationSet broken contains applications with duplicate name: web',
  },
  {
    name: 'a generated Application that is invalid',
    spec: { generators: [list('Web_App')] },
    generator: 'spec.generators[0].list',
    message: 'generated Application "Web_App" is invalid: metadata.name: must be lower case',
  },
  {
    name: 'a generated Application without destination',
    spec: {
      generators: [list('web')],
      template: { ...TEMPLATE, spec: { ...TEMPLATE.spec, destination: {} } },
    },
    generator: 'spec.generators[0].list',
    message: 'spec.destination: set server or name',
  },
  {
    name: 'a Go template that does not parse',
    spec: {
      goTemplate: true,
      generators: [list('web')],
      template: { ...TEMPLATE, metadata: { name: '{{ if }}' } },
    },
    generator: 'spec.generators[0].list',
    message: 'template "{{ if }}": 1:1: missing value for command',
  },
  {
    name: 'missingkey=error',
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [list('web')],
      template: { ...TEMPLATE, metadata: { name: '{{ .name }}-{{ .env }}' } },
    },
    generator: 'spec.generators[0].list',
    message: 'map has no entry for key "env"',
  },
  {
    name: 'an unknown goTemplateOption',
    spec: { goTemplate: true, goTemplateOptions: ['missingkey=panic'], generators: [list('web')] },
    generator: 'spec.goTemplateOptions',
    message: 'unrecognized option "missingkey=panic"',
  },
  {
    name: 'an unclosed fasttemplate tag',
    spec: { generators: [list('web')], template: { ...TEMPLATE, metadata: { name: '{{name}}-{{name' } } },
    generator: 'spec.generators[0].list',
    message: 'cannot find end tag "}}"',
  },
  {
    name: 'an unsupported generator',
    spec: { generators: [{ scmProvider: { github: { organization: 'org' } } }] },
    generator: 'spec.generators[0].scmProvider',
    message: 'spec.generators[0].scmProvider: the scmProvider generator is not supported by Driftless',
  },
  {
    name: 'a later generator failing after an earlier one succeeded',
    spec: { generators: [list('web'), { plugin: { configMapRef: { name: 'x' } } }] },
    generator: 'spec.generators[1].plugin',
    message: 'the plugin generator is not supported',
  },
  {
    name: 'a non-string list element without goTemplate',
    spec: { generators: [{ list: { elements: [{ name: 'web', replicas: 3 }] } }] },
    generator: 'spec.generators[0].list',
    message: 'spec.generators[0].list.elements[0].replicas: must be a string without goTemplate (got 3)',
  },
  {
    name: 'elementsYaml that is not YAML',
    spec: { generators: [{ list: { elementsYaml: '- name: [web' } }] },
    generator: 'spec.generators[0].list',
    message: 'spec.generators[0].list.elementsYaml: not YAML',
  },
  {
    name: 'elementsYaml that is not a list of objects',
    spec: { generators: [{ list: { elementsYaml: 'name: web' } }] },
    generator: 'spec.generators[0].list',
    message: 'elementsYaml: must be a list of objects',
  },
  {
    name: 'a repository that does not exist',
    spec: {
      generators: [
        { git: { repoURL: 'https://git.example.com/org/missing.git', directories: [{ path: '*' }] } },
      ],
    },
    generator: 'spec.generators[0].git',
    message: 'repository https://git.example.com/org/missing.git not found',
    code: 'GIT_NOT_FOUND',
  },
  {
    name: 'a revision that does not exist',
    spec: { generators: [{ git: { repoURL: REPO, revision: 'nope', directories: [{ path: '*' }] } }] },
    generator: 'spec.generators[0].git',
    message: 'revision nope not found',
    code: 'GIT_NOT_FOUND',
  },
  {
    name: 'a git generator with nothing to generate from',
    spec: { generators: [{ git: { repoURL: REPO, revision: 'HEAD' } }] },
    generator: 'spec.generators[0].git',
    message: 'spec.generators[0].git: set directories, files or branches',
  },
  {
    name: 'a git file that does not parse',
    spec: { generators: [gitFiles('bad/*.yaml')] },
    generator: 'spec.generators[0].git',
    message: "unable to process file 'bad/config.yaml'",
  },
  {
    name: 'a malformed directory glob',
    spec: { generators: [{ git: { repoURL: REPO, directories: [{ path: 'apps/[' }] } }] },
    generator: 'spec.generators[0].git',
    message: 'syntax error in pattern "apps/["',
  },
  {
    name: 'a git generator without a git source',
    spec: { generators: [{ git: { repoURL: REPO, directories: [{ path: '*' }] } }] },
    sources: {},
    generator: 'spec.generators[0].git',
    message: `no git source to read ${REPO} from`,
  },
  {
    name: 'branches without a branch listing',
    spec: { generators: [{ git: { repoURL: REPO, branches: ['release-*'] } }] },
    sources: { git: sources().git },
    generator: 'spec.generators[0].git',
    message: 'branches: no branch listing',
  },
  {
    name: 'a matrix of three',
    spec: { generators: [{ matrix: { generators: [list('a'), list('b'), list('c')] } }] },
    generator: 'spec.generators[0].matrix',
    message: 'a matrix combines exactly 2 generators, not 3',
  },
  {
    name: 'a matrix whose children disagree on a parameter',
    spec: { generators: [{ matrix: { generators: [list('a'), list('b')] } }] },
    generator: 'spec.generators[0].matrix',
    message: 'found duplicate key name with different value, a: a ,b: b',
  },
  {
    name: 'a matrix child that fails',
    spec: { generators: [{ matrix: { generators: [list('a'), gitFiles('bad/*.yaml')] } }] },
    generator: 'spec.generators[0].matrix',
    message: "spec.generators[0].matrix.generators[1].git: unable to process file 'bad/config.yaml'",
  },
  {
    name: 'a merge without mergeKeys',
    spec: { generators: [{ merge: { generators: [list('a'), list('b')] } }] },
    generator: 'spec.generators[0].merge',
    message: 'mergeKeys: name at least one parameter',
  },
  {
    name: 'a merge whose override is not unique',
    spec: { generators: [{ merge: { mergeKeys: ['name'], generators: [list('a'), list('a', 'a')] } }] },
    generator: 'spec.generators[0].merge',
    message:
      'not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was {"name":"a"}',
  },
  {
    name: 'a selector with a bad operator',
    spec: {
      generators: [
        { ...list('a'), selector: { matchExpressions: [{ key: 'name', operator: 'Like', values: ['a'] }] } },
      ],
    },
    generator: 'spec.generators[0].list',
    message:
      'spec.generators[0].selector.matchExpressions[0].operator: "Like" is not a valid label selector operator',
  },
  {
    name: 'a templatePatch that is not an object',
    spec: { generators: [list('web')], templatePatch: '- just\n- a list\n' },
    generator: 'spec.generators[0].list',
    message: 'templatePatch: must render an object',
  },
  {
    name: 'a pull request generator without a source',
    spec: { generators: [{ pullRequest: { github: { owner: 'org', repo: 'web' } } }] },
    sources: {},
    generator: 'spec.generators[0].pullRequest',
    message: 'no pull request source for org/web',
  },
  {
    name: 'a pull request filter that is not a regexp',
    spec: {
      generators: [
        { pullRequest: { github: { owner: 'org', repo: 'web' }, filters: [{ branchMatch: '(' }] } },
      ],
    },
    generator: 'spec.generators[0].pullRequest',
    message: 'filters[0].branchMatch: bad regular expression "("',
  },
  {
    name: 'a pull request provider Driftless does not read',
    spec: { generators: [{ pullRequest: { bitbucket: { owner: 'org', repo: 'web' } } }] },
    generator: 'spec.generators[0].pullRequest',
    message: 'set github or gitlab (bitbucket is not supported)',
  },
];

describe('generation errors', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await generateApplications({ appSet: appSet(c.spec), sources: c.sources ?? sources() });
    if (result.kind !== 'error')
      throw new Error(`expected an error, got ${result.applications.length} Applications`);
    expect(result.generator).toBe(c.generator);
    expect(result.error.code).toBe(c.code ?? 'INVALID_MANIFEST');
    expect(result.error.message).toContain(c.message);
    expect(result.error.message.startsWith('ApplicationSet "broken": spec.')).toBe(true);
    expect(result.error.context.applicationSet).toBe('broken');
  });

  it('yields Applications when nothing fails', async () => {
    const result = await generateApplications({
      appSet: appSet({ generators: [list('web', 'api')] }),
      sources: sources(),
    });
    expect(result.kind === 'ok' && result.applications.map((a) => a.metadata.name)).toEqual(['web', 'api']);
  });

  it('an empty parameter set leaves the template untemplated and adds no finalizer, as Argo CD does', async () => {
    const result = await generateApplications({
      appSet: appSet({
        generators: [{ list: { elements: [{}] } }],
        template: { ...TEMPLATE, metadata: { name: 'fixed' } },
      }),
      sources: sources(),
    });
    if (result.kind !== 'ok') throw result.error;
    expect(result.applications[0]?.metadata.finalizers).toBeUndefined();
    expect(result.applications[0]?.spec.source?.path).toBe('apps/{{name}}');
  });
});
