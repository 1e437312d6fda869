import { describe, expect, it } from 'vitest';
import { type PushEvent, type RouteOptions, routeEvent } from '../../../shared/webhook/index.js';
import { type AppSpec, app } from './webhook-fixtures.js';

const REPO = 'https://github.com/acme/platform';
const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

function push(
  overrides: { ref?: string; files?: string[]; defaultBranch?: string | null; webURL?: string } = {},
): PushEvent {
  const full = overrides.ref ?? 'refs/heads/main';
  const type = full.startsWith('refs/tags/') ? 'tag' : 'branch';
  const defaultBranch = overrides.defaultBranch === undefined ? 'main' : overrides.defaultBranch;
  return {
    kind: 'push',
    provider: 'github',
    repo: {
      webURL: overrides.webURL ?? REPO,
      cloneURLs: [],
      ...(defaultBranch === null ? {} : { defaultBranch }),
    },
    ref: { type, name: full.replace(/^refs\/(heads|tags)\//, ''), full },
    before: '0'.repeat(40),
    after: SHA,
    created: false,
    deleted: false,
    changedFiles: overrides.files ?? [],
  };
}

function routed(spec: Omit<AppSpec, 'name'>, event: PushEvent, options?: RouteOptions): boolean {
  return routeEvent(event, [app({ name: 'subject', ...spec })], options).refresh.length === 1;
}

describe('target revision', () => {
  it.each([
    ['main', 'refs/heads/main', true],
    ['main', 'refs/heads/develop', false],
    ['refs/heads/main', 'refs/heads/main', true],
    ['feature/login', 'refs/heads/feature/login', true],
    ['login', 'refs/heads/feature/login', false],
    ['v1.2.0', 'refs/tags/v1.2.0', true],
    ['refs/tags/v1.2.0', 'refs/tags/v1.2.0', true],
    ['v1.2.0', 'refs/tags/v1.2.1', false],
    // Semver constraints and SHAs are resolved by polling (the drift scan), never by a hook.
    ['1.*', 'refs/tags/1.2.0', false],
    [SHA, 'refs/heads/main', false],
  ])('targetRevision %s on a push to %s: %s', (targetRevision, ref, expected) => {
    expect(routed({ repoURL: REPO, targetRevision }, push({ ref }))).toBe(expected);
  });

  it.each(['HEAD', ''])('targetRevision %j follows the default branch only', (targetRevision) => {
    expect(routed({ repoURL: REPO, targetRevision }, push({ ref: 'refs/heads/main' }))).toBe(true);
    expect(routed({ repoURL: REPO, targetRevision }, push({ ref: 'refs/heads/develop' }))).toBe(false);
    expect(routed({ repoURL: REPO, targetRevision }, push({ ref: 'refs/tags/v1.0.0' }))).toBe(false);
  });

  it('asks defaultBranchOf when the payload does not say, and refreshes HEAD apps when nobody knows', () => {
    const noDefault = push({ ref: 'refs/heads/develop', defaultBranch: null });
    expect(routed({ repoURL: REPO }, noDefault, { defaultBranchOf: () => 'main' })).toBe(false);
    expect(routed({ repoURL: REPO }, noDefault, { defaultBranchOf: () => 'develop' })).toBe(true);
    expect(routed({ repoURL: REPO }, noDefault)).toBe(true);
  });
});

describe('repository URL', () => {
  it.each([
    'https://github.com/acme/platform',
    'https://github.com/acme/platform.git',
    'HTTPS://GitHub.com/ACME/Platform.git',
    'http://github.com/acme/platform',
    'git@github.com:acme/platform.git',
    'git@github.com:acme/platform',
    'ssh://git@github.com/acme/platform.git',
    'ssh://git@ssh.github.com:443/acme/platform.git',
    'ssh://git@altssh.github.com:443/acme/platform',
    'https://deploy-bot@github.com/acme/platform.git',
    'github.com/acme/platform',
  ])('%s names the pushed repository', (repoURL) => {
    expect(routed({ repoURL }, push())).toBe(true);
  });

  it.each([
    'https://github.com/acme/platform2',
    'https://github.com/acme/platform/extra',
    'https://github.com/acme/platform.git.bak',
    'https://github.com/other/platform',
    'https://gitlab.com/acme/platform',
    'https://github.com.evil.example/acme/platform',
    'https://evilgithub.com/acme/platform',
  ])('%s does not', (repoURL) => {
    expect(routed({ repoURL }, push())).toBe(false);
  });
});

describe('manifest-generate-paths', () => {
  const web = { repoURL: REPO, path: 'apps/web' };

  it('without the annotation, refreshes whatever the files (Argo CD does not filter by source path)', () => {
    expect(routed(web, push({ files: ['apps/api/deployment.yaml'] }))).toBe(true);
  });

  it('"." is the source path', () => {
    expect(routed({ ...web, paths: '.' }, push({ files: ['apps/web/deployment.yaml'] }))).toBe(true);
    expect(routed({ ...web, paths: '.' }, push({ files: ['apps/web/overlays/prod/patch.yaml'] }))).toBe(true);
    expect(routed({ ...web, paths: '.' }, push({ files: ['apps/api/deployment.yaml'] }))).toBe(false);
    expect(routed({ ...web, paths: '.' }, push({ files: ['apps/web-old/deployment.yaml'] }))).toBe(false);
  });

  it('relative entries are joined to the source path, absolute ones start at the repository root', () => {
    expect(routed({ ...web, paths: 'overlays' }, push({ files: ['apps/web/overlays/a.yaml'] }))).toBe(true);
    expect(routed({ ...web, paths: 'overlays' }, push({ files: ['apps/web/base/a.yaml'] }))).toBe(false);
    expect(routed({ ...web, paths: '../../shared' }, push({ files: ['shared/labels.yaml'] }))).toBe(true);
    expect(routed({ ...web, paths: '/shared' }, push({ files: ['shared/x/labels.yaml'] }))).toBe(true);
    expect(routed({ ...web, paths: '/shared' }, push({ files: ['apps/web/shared/labels.yaml'] }))).toBe(
      false,
    );
  });

  it('takes several entries separated by ";", trimming blanks and skipping empty ones', () => {
    const paths = ' . ; ;/shared ';
    expect(routed({ ...web, paths }, push({ files: ['README.md', 'shared/a.yaml'] }))).toBe(true);
    expect(routed({ ...web, paths }, push({ files: ['apps/web/a.yaml'] }))).toBe(true);
    expect(routed({ ...web, paths }, push({ files: ['README.md', 'apps/api/a.yaml'] }))).toBe(false);
  });

  it('matches a file named exactly and Go filepath.Match globs within one segment', () => {
    expect(routed({ ...web, paths: '/VERSION' }, push({ files: ['VERSION'] }))).toBe(true);
    const glob = { ...web, paths: '/charts/*/values.yaml' };
    expect(routed(glob, push({ files: ['charts/web/values.yaml'] }))).toBe(true);
    expect(routed(glob, push({ files: ['charts/web/sub/values.yaml'] }))).toBe(false);
    expect(routed(glob, push({ files: ['charts/web/Chart.yaml'] }))).toBe(false);
  });

  it('an empty file list means the payload did not say: every matching app is refreshed', () => {
    expect(routed({ ...web, paths: '.' }, push({ files: [] }))).toBe(true);
  });

  it('refreshes an app with several sources once, when any source matches', () => {
    const multi = {
      repoURL: '',
      paths: '.',
      sources: [
        { repoURL: 'https://charts.example.com', targetRevision: '1.0.0' },
        { repoURL: 'git@github.com:acme/platform.git', targetRevision: 'main', path: 'values/web' },
        { repoURL: REPO, targetRevision: 'main', path: 'apps/web' },
      ],
    };
    const route = routeEvent(push({ files: ['values/web/prod.yaml', 'apps/web/a.yaml'] }), [
      app({ name: 'multi', ...multi }),
    ]);
    expect(route.refresh.map((target) => target.app)).toEqual(['multi']);
    expect(routed(multi, push({ files: ['apps/api/a.yaml'] }))).toBe(false);
  });
});

describe('configuration repository', () => {
  const configSource = {
    repoURL: 'git@github.com:acme/platform.git',
    path: 'argocd',
    targetRevision: 'HEAD',
  };

  it('reloads when a push to its branch touches its path', () => {
    expect(routeEvent(push({ files: ['argocd/apps/web.yaml'] }), [], { configSource }).reloadConfig).toBe(
      true,
    );
    expect(routeEvent(push({ files: ['apps/web/a.yaml'] }), [], { configSource }).reloadConfig).toBe(false);
    expect(routeEvent(push({ files: [] }), [], { configSource }).reloadConfig).toBe(true);
    expect(routeEvent(push({ ref: 'refs/heads/develop' }), [], { configSource }).reloadConfig).toBe(false);
    expect(
      routeEvent(push({ webURL: 'https://github.com/acme/other' }), [], { configSource }).reloadConfig,
    ).toBe(false);
  });

  it('a configuration at the repository root reloads on any push to its branch', () => {
    const root = { repoURL: REPO };
    expect(routeEvent(push({ files: ['anything.txt'] }), [], { configSource: root }).reloadConfig).toBe(true);
  });
});

describe('events that route nothing', () => {
  it('pull requests refresh no Application even when an app tracks the head branch', () => {
    const route = routeEvent(
      {
        kind: 'pull-request',
        provider: 'github',
        repo: { webURL: REPO, cloneURLs: [] },
        action: 'synchronize',
        providerAction: 'synchronize',
        number: 7,
        title: 't',
        author: 'a',
        head: { ref: 'feature', sha: SHA },
        base: { ref: 'main' },
        labels: [],
      },
      [app({ name: 'feature', repoURL: REPO, targetRevision: 'feature' })],
    );
    expect(route).toEqual({ refresh: [], reloadConfig: false });
  });
});

describe('a monorepo of 1,000 Applications', () => {
  const apps = Array.from({ length: 1000 }, (_, index) =>
    app({
      name: `app-${index}`,
      repoURL: `${REPO}.git`,
      targetRevision: 'main',
      path: `apps/app-${index}`,
      paths: '.',
    }),
  );

  it('refreshes exactly the app whose directory a push touched', () => {
    const route = routeEvent(push({ files: ['apps/app-417/deployment.yaml', 'README.md'] }), apps);
    expect(route.refresh.map((target) => target.app)).toEqual(['app-417']);
  });
});
