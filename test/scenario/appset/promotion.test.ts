/**
 * Automated promotion on a config repository served by the git server: dev carries
 * `driftless.dev/promote-to: svc-staging`; once dev is Synced and Healthy at v1.1.0 a commit
 * bumps staging's targetRevision, the configuration reloads and staging syncs v1.1.0. A later
 * tick commits nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refOfName } from '../../../shared/pipeline/index.js';
import {
  ARGOCD_SECRET,
  configMapYaml,
  type Environment,
  liveObject,
  startEnvironment,
} from '../pipeline/pipeline-harness.js';
import { type AppSetPipeline, startConfigRepoAppSetPipeline } from './appset-harness.js';

function appYaml(options: {
  name: string;
  repoURL: string;
  revision: string;
  namespace: string;
  promoteTo?: string;
}): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${options.name}
  namespace: argocd
${options.promoteTo ? `  annotations:\n    driftless.dev/promote-to: ${options.promoteTo}\n` : ''}spec:
  project: default
  source:
    repoURL: ${options.repoURL}
    targetRevision: ${options.revision}
    path: deploy
  destination:
    server: https://kubernetes.default.svc
    namespace: ${options.namespace}
  syncPolicy:
    automated: {}
    syncOptions: [CreateNamespace=true]
`;
}

describe('automated promotion', () => {
  let env: Environment;
  let pipeline: AppSetPipeline;
  const commits = () => env.git.git('config', ['rev-list', '--count', 'main']);

  beforeAll(async () => {
    env = await startEnvironment();
    const v1 = await env.git.createRepo('svc', {
      files: { 'deploy/cm.yaml': configMapYaml('svc', { version: '1.0.0' }) },
    });
    await env.git.tag('svc', { name: 'v1.0.0', target: v1 });
    const v11 = await env.git.commit('svc', {
      branch: 'main',
      files: { 'deploy/cm.yaml': configMapYaml('svc', { version: '1.1.0' }) },
    });
    await env.git.tag('svc', { name: 'v1.1.0', target: v11 });
    const svc = env.git.url('svc');
    await env.git.createRepo('config', {
      files: {
        'argocd/secret.yaml': ARGOCD_SECRET,
        'argocd/dev.yaml': appYaml({
          name: 'svc-dev',
          repoURL: svc,
          revision: 'v1.1.0',
          namespace: 'dev',
          promoteTo: 'svc-staging',
        }),
        'argocd/staging.yaml': appYaml({
          name: 'svc-staging',
          repoURL: svc,
          revision: 'v1.0.0',
          namespace: 'staging',
        }),
      },
    });
    pipeline = await startConfigRepoAppSetPipeline({ env });
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
    await env?.stop();
  });

  it('bumps staging by a commit once dev is Synced and Healthy, and staging syncs it', async () => {
    const dev = await pipeline.state.getApplication(refOfName('svc-dev'));
    expect(dev?.status.sync?.status).toBe('Synced');
    expect(dev?.status.health?.status).toBe('Healthy');
    const message = await env.git.git('config', ['log', '-1', '--format=%an <%ae>%n%s', 'main']);
    expect(message).toBe(
      'Promoter <promoter@example.com>\npromote svc-staging: targetRevision -> v1.1.0 (svc-dev is Synced and Healthy at ' +
        (await env.git.git('svc', ['rev-parse', 'v1.1.0^{commit}'])).slice(0, 7) +
        ')',
    );
    expect(await env.git.git('config', ['show', 'main:argocd/staging.yaml'])).toContain(
      'targetRevision: v1.1.0',
    );
    const staging = await pipeline.state.getApplication(refOfName('svc-staging'));
    expect(staging?.application.spec.source?.targetRevision).toBe('v1.1.0');
    expect(liveObject(env, 'ConfigMap', 'staging', 'svc')?.data).toEqual({ version: '1.1.0' });
  });

  it('commits nothing more when staging is already there', async () => {
    const before = await commits();
    pipeline.clock.skip(200_000);
    await pipeline.platform.scanDrift();
    await pipeline.drain();
    expect(await commits()).toBe(before);
  });
});

function deploymentYaml(): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: web}]
`;
}

function overlay(tag: string): string {
  return `# kept as written: only images changes
resources:
  - deployment.yaml
images:
- name: web
  newName: ghcr.io/acme/web
  newTag: ${tag}
`;
}

describe('automated image promotion', () => {
  let env: Environment;
  let pipeline: AppSetPipeline;
  let first: string;
  const commits = () => env.git.git('apps', ['rev-list', '--count', 'main']);
  const liveImage = (namespace: string) =>
    (
      env.emulator.getObject('apps/v1', 'Deployment', namespace, 'web') as
        | { spec: { template: { spec: { containers: { image: string }[] } } } }
        | undefined
    )?.spec.template.spec.containers[0]?.image;

  function imageApp(name: string, namespace: string, annotations: string): string {
    return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
${annotations}spec:
  project: default
  source:
    repoURL: ${env.git.url('apps')}
    targetRevision: main
    path: ${namespace}
  destination:
    server: https://kubernetes.default.svc
    namespace: ${namespace}
  syncPolicy:
    automated: {}
    syncOptions: [CreateNamespace=true]
`;
  }

  beforeAll(async () => {
    env = await startEnvironment();
    first = await env.git.createRepo('apps', {
      files: {
        'dev/deployment.yaml': deploymentYaml(),
        'dev/kustomization.yaml': overlay('1.1.0'),
        'staging/deployment.yaml': deploymentYaml(),
        'staging/kustomization.yaml': overlay('1.0.0'),
      },
    });
    await env.git.createRepo('config', {
      files: {
        'argocd/secret.yaml': ARGOCD_SECRET,
        'argocd/dev.yaml': imageApp(
          'web-dev',
          'dev',
          '  annotations:\n    driftless.dev/promote-to: web-staging\n    driftless.dev/promote-field: image\n',
        ),
        'argocd/staging.yaml': imageApp('web-staging', 'staging', ''),
      },
    });
    pipeline = await startConfigRepoAppSetPipeline({ env });
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
    await env?.stop();
  });

  it("sets staging's image tag to dev's by one commit, and staging runs it", async () => {
    const dev = await pipeline.state.getApplication(refOfName('web-dev'));
    expect(dev?.status.health?.status).toBe('Healthy');
    expect(liveImage('dev')).toBe('ghcr.io/acme/web:1.1.0');
    expect(await commits()).toBe('2');
    expect(await env.git.git('apps', ['log', '-1', '--format=%an%n%s', 'main'])).toBe(
      `Promoter\npromote web-staging: image -> web:1.1.0 (web-dev is Synced and Healthy at ${first.slice(0, 7)})`,
    );
    expect(await env.git.git('apps', ['show', 'main:staging/kustomization.yaml'])).toBe(
      overlay('1.1.0').trimEnd(),
    );
    expect(await env.git.git('apps', ['diff', '--stat', `${first}`, 'main'])).toContain(
      'staging/kustomization.yaml | 2 +-',
    );
    expect(liveImage('staging')).toBe('ghcr.io/acme/web:1.1.0');
    const staging = await pipeline.state.getApplication(refOfName('web-staging'));
    expect(staging?.status.sync?.revision).toBe(await env.git.git('apps', ['rev-parse', 'main']));
  });

  it('commits again only when dev runs a new tag', async () => {
    pipeline.clock.skip(200_000);
    await pipeline.platform.scanDrift();
    await pipeline.drain();
    expect(await commits()).toBe('2');

    await env.git.commit('apps', { branch: 'main', files: { 'dev/kustomization.yaml': overlay('1.2.0') } });
    pipeline.clock.skip(200_000);
    await pipeline.platform.scanDrift();
    await pipeline.drain();
    expect(await commits()).toBe('4');
    expect(await env.git.git('apps', ['show', 'main:staging/kustomization.yaml'])).toContain('newTag: 1.2.0');
    expect(liveImage('staging')).toBe('ghcr.io/acme/web:1.2.0');
  });
});
