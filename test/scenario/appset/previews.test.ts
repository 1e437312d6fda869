/**
 * Pull-request previews end to end: GitHub's own pull_request payloads, signed, into the
 * pipeline; the preview app syncs `refs/pull/N/head` into `pr-N`, its Sync hook Job runs, and the
 * result is posted as a commit status to a local HTTP server standing in for the GitHub API.
 * Closing removes the app, its resources and its namespace; a lost close event is made good by
 * the TTL on a drift tick.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refOfName } from '../../../shared/pipeline/index.js';
import {
  ARGOCD_SECRET,
  configMapYaml,
  type Environment,
  liveObject,
  startEnvironment,
  TextConfig,
} from '../pipeline/pipeline-harness.js';
import {
  type AppSetPipeline,
  githubRequest,
  type RecordingServer,
  startAppSetPipeline,
  startRecordingServer,
} from './appset-harness.js';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as readonly {
  readonly name: string;
  readonly examples: readonly Record<string, unknown>[];
}[];

function previewsYaml(repoURL: string): string {
  return `${ARGOCD_SECRET}apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: previews
  namespace: argocd
  annotations:
    driftless.dev/preview-ttl: 72h
spec:
  generators:
    - pullRequest:
        github: {owner: acme, repo: web}
  template:
    metadata:
      name: 'web-pr-{{number}}'
      finalizers: [resources-finalizer.argocd.argoproj.io]
    spec:
      project: default
      source:
        repoURL: ${repoURL}
        targetRevision: 'refs/pull/{{number}}/head'
        path: deploy
      destination:
        server: https://kubernetes.default.svc
        namespace: 'pr-{{number}}'
      syncPolicy:
        automated: {prune: true}
        syncOptions: [CreateNamespace=true]
`;
}

const SMOKE_JOB = JSON.stringify({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'smoke', annotations: { 'argocd.argoproj.io/hook': 'Sync' } },
  spec: {
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'smoke', image: 'curlimages/curl', args: ['-f', 'http://web'] }],
      },
    },
  },
});

describe('pull-request previews', () => {
  let env: Environment;
  let pipeline: AppSetPipeline;
  let api: RecordingServer;
  let repoURL: string;
  const heads = new Map<number, string>();

  function pullRequest(action: 'opened' | 'closed', number: number) {
    const example = examples
      .find((e) => e.name === 'pull_request')
      ?.examples.find((e) => e.action === action);
    if (example === undefined) throw new Error(`no pull_request ${action} example`);
    const pr = example.pull_request as Record<string, unknown>;
    const payload = {
      ...example,
      number,
      pull_request: {
        ...pr,
        number,
        head: { ...(pr.head as object), ref: `feature-${number}`, sha: heads.get(number) },
        base: { ...(pr.base as object), ref: 'main' },
      },
      repository: {
        ...(example.repository as object),
        full_name: 'acme/web',
        html_url: 'https://github.com/acme/web',
      },
    };
    return githubRequest('pull_request', payload, pipeline.clock.now());
  }

  async function open(number: number): Promise<void> {
    const sha = await env.git.commit('web', {
      branch: `feature-${number}`,
      files: {
        'deploy/cm.yaml': configMapYaml('web', { pr: String(number) }),
        'deploy/smoke.yaml': SMOKE_JOB,
      },
    });
    await env.git.setRef('web', { ref: `refs/pull/${number}/head`, target: sha });
    heads.set(number, sha);
    const answer = await pipeline.platform.acceptWebhook(pullRequest('opened', number));
    expect(answer).toMatchObject({ status: 202, applicationSets: ['previews'] });
    await pipeline.drain();
  }

  beforeAll(async () => {
    env = await startEnvironment();
    api = await startRecordingServer();
    await env.git.createRepo('web', { files: { 'deploy/cm.yaml': configMapYaml('web', { pr: 'none' }) } });
    repoURL = env.git.url('web');
    pipeline = await startAppSetPipeline({
      env,
      config: new TextConfig(previewsYaml(repoURL)),
      statusServer: api,
    });
    await pipeline.platform.reloadConfig();
    await pipeline.drain();
  }, 60_000);

  afterAll(async () => {
    await pipeline?.stop();
    await api?.stop();
    await env?.stop();
  });

  it('an opened pull request becomes a synced preview in pr-N, its hook Job runs and the status is posted', async () => {
    await open(7);
    const app = await pipeline.state.getApplication(refOfName('web-pr-7'));
    expect(app?.application.spec.source?.targetRevision).toBe('refs/pull/7/head');
    expect(app?.status.sync).toEqual({ status: 'Synced', revision: heads.get(7) });
    expect(liveObject(env, 'ConfigMap', 'pr-7', 'web')?.data).toEqual({ pr: '7' });
    expect(env.emulator.getObject('v1', 'Namespace', '', 'pr-7')).toBeDefined();
    const job = env.emulator.getObject('batch/v1', 'Job', 'pr-7', 'smoke') as {
      status?: { succeeded?: number };
    };
    expect(job?.status?.succeeded).toBe(1);
    const posted = api.requests.filter((r) => r.url === `/repos/acme/web/statuses/${heads.get(7)}`);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.method).toBe('POST');
    expect(posted[0]?.headers.authorization).toBe('Bearer status-token');
    expect(posted[0]?.body).toMatchObject({ state: 'success', context: 'driftless/preview' });
  });

  it('a closed pull request removes the app, its resources and its namespace', async () => {
    await pipeline.platform.acceptWebhook(pullRequest('closed', 7));
    await pipeline.drain();
    expect(await pipeline.state.getApplication(refOfName('web-pr-7'))).toBeUndefined();
    expect(liveObject(env, 'ConfigMap', 'pr-7', 'web')).toBeUndefined();
    expect(env.emulator.getObject('v1', 'Namespace', '', 'pr-7')).toBeUndefined();
  });

  it('a preview whose close event was lost goes on the drift tick after its TTL', async () => {
    await open(8);
    expect(await pipeline.state.getApplication(refOfName('web-pr-8'))).toBeDefined();
    pipeline.clock.skip(60 * 3600 * 1000);
    await pipeline.platform.scanDrift();
    await pipeline.drain();
    expect(await pipeline.state.getApplication(refOfName('web-pr-8'))).toBeDefined();
    pipeline.clock.skip(13 * 3600 * 1000);
    await pipeline.platform.scanDrift();
    await pipeline.drain();
    expect(await pipeline.state.getApplication(refOfName('web-pr-8'))).toBeUndefined();
    expect(liveObject(env, 'ConfigMap', 'pr-8', 'web')).toBeUndefined();
  });
});
