/**
 * What the serve scenarios share: polling for the asynchronous platform, the example's files and
 * Argo CD objects pointed at a git server, posting a webhook over HTTP, and a local platform
 * (`startLocalPlatform`, sandbox emulator) whose config repository lives on a real git server.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { EXAMPLE_CONFIG_DIR, EXAMPLE_REPO_URL } from '../../../cli/example-repo.js';
import { type LocalPlatform, startLocalPlatform } from '../../../cli/serve/index.js';
import type { ApplicationView } from '../../../shared/pipeline/index.js';
import type { WebhookRequest } from '../../../shared/webhook/index.js';
import { type GitServer, startGitServer } from '../../support/git-server.js';
import { GITHUB_SECRET } from '../pipeline/pipeline-harness.js';

export const REPO = 'gitops-config';

/** Fast enough for the example's apps to settle in well under a second. */
export const TUNING = {
  step: { pollSeconds: 0.05, waveDelaySeconds: 0, transientDelaySeconds: 0.05 },
  sandboxStepMs: 10,
};

/** Polls until `check` returns a value; a check that throws is retried and its error reported on timeout. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

/** Every file under `dir`, keyed by `prefix` plus its slash-separated relative path. */
export async function filesUnder(dir: string, prefix = ''): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[`${prefix}${relative(dir, path).split('\\').join('/')}`] = await readFile(path, 'utf8');
  }
  return files;
}

/** An environment with no usable kubeconfig, so serve starts its sandbox. */
export function sandboxEnv(dir: string): Record<string, string | undefined> {
  return { ...process.env, KUBECONFIG: join(dir, 'no-such-kubeconfig'), HOME: dir };
}

/** One of the example's Argo CD files with its repository URL pointed at `repoURL`. */
export async function exampleArgo(file: string, repoURL: string): Promise<string> {
  return (await readFile(join(EXAMPLE_CONFIG_DIR, file), 'utf8')).replaceAll(EXAMPLE_REPO_URL, repoURL);
}

/** web-dev and web-staging from the example, web-dev promoting its image to web-staging. */
export async function promotingWebYaml(repoURL: string): Promise<string> {
  const web = (await exampleArgo('web.yaml', repoURL)).split(/^---$/m).slice(0, 2).join('---');
  return web.replace(
    '    env: dev\n',
    '    env: dev\n  annotations:\n    driftless.dev/promote-to: web-staging\n    driftless.dev/promote-field: image\n',
  );
}

/** The argocd-secret with the webhook secret, plus any further `stringData` lines. */
export function argocdSecretYaml(extra = ''): string {
  return `apiVersion: v1
kind: Secret
metadata: {name: argocd-secret, namespace: argocd}
stringData:
  webhook.github.secret: ${GITHUB_SECRET}
${extra}`;
}

/** Posts a webhook to a serving platform's own endpoint, as GitHub delivers it. */
export function postWebhook(url: string, request: WebhookRequest): Promise<Response> {
  return fetch(`${url}/api/webhook`, {
    method: 'POST',
    headers: Object.fromEntries(
      Object.entries(request.headers).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
    body: request.rawBody,
  });
}

export interface ConfigRepoPlatform {
  readonly dir: string;
  readonly server: GitServer;
  readonly local: LocalPlatform;
  readonly url: string;
  /** Runs git in the config repository; returns trimmed stdout. */
  git(...args: string[]): Promise<string>;
  app(name: string): Promise<ApplicationView | undefined>;
  post(request: WebhookRequest): Promise<Response>;
  /** Waits for `name` to be Synced and Healthy at `revision` after a successful operation. */
  syncedAt(name: string, revision: string): Promise<ApplicationView>;
  /** A live object in the sandbox cluster, or undefined. */
  liveObject(apiVersion: string, kind: string, namespace: string, name: string): Promise<unknown>;
  stop(): Promise<void>;
}

export interface ConfigRepoPlatformOptions {
  readonly tempPrefix: string;
  readonly sandboxStepMs: number;
  /** The config repository's first commit, given the URL it is served at. */
  readonly files: (repoURL: string) => Promise<Record<string, string>>;
  readonly tags?: readonly string[];
  /** How long `syncedAt` waits; 20 s unless given. */
  readonly waitMs?: number;
}

/**
 * Creates the config repository (Argo CD objects under argocd/) on a new git server, starts the
 * local platform on it and waits until web-dev and web-staging are Synced at main.
 */
export async function startConfigRepoPlatform(
  options: ConfigRepoPlatformOptions,
): Promise<ConfigRepoPlatform> {
  const dir = await mkdtemp(join(tmpdir(), options.tempPrefix));
  const server = await startGitServer();
  const repoURL = server.url(REPO);
  await server.createRepo(REPO, { files: await options.files(repoURL) });
  for (const name of options.tags ?? []) await server.tag(REPO, { name, target: 'main' });
  const local = await startLocalPlatform({
    configRepo: { repoURL, targetRevision: 'main', path: 'argocd' },
    repoMappings: [],
    stateDir: join(dir, 'state'),
    port: 0,
    allowUnsigned: false,
    env: sandboxEnv(dir),
    step: TUNING.step,
    sandboxStepMs: options.sandboxStepMs,
  });
  const url = local.url ?? '';
  const git = (...args: string[]) => server.git(REPO, args);
  const app = (name: string) => local.platform.getApp(name);
  const syncedAt = (name: string, revision: string) =>
    eventually(
      `${name} Synced and Healthy at ${revision.slice(0, 7)}`,
      async () => {
        const view = await app(name);
        return view?.status.sync.revision === revision &&
          view.status.sync.status === 'Synced' &&
          view.status.health.status === 'Healthy' &&
          view.status.operationState?.phase === 'Succeeded'
          ? view
          : undefined;
      },
      options.waitMs,
    );
  const liveObject = async (apiVersion: string, kind: string, namespace: string, name: string) => {
    const kube = await local.platform.runtime.kubeFor({
      metadata: { name: 'probe' },
      spec: { destination: { server: 'https://kubernetes.default.svc' } },
    } as never);
    const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
    return kube.get(apiVersion, { group, kind, namespace, name });
  };
  const stop = async () => {
    await local.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await local.start();
    const main = await git('rev-parse', 'main');
    await Promise.all([syncedAt('web-dev', main), syncedAt('web-staging', main)]);
  } catch (e) {
    // The caller gets no handle to stop what did start.
    await stop();
    throw e;
  }
  return {
    dir,
    server,
    local,
    url,
    git,
    app,
    post: (request) => postWebhook(url, request),
    syncedAt,
    liveObject,
    stop,
  };
}
