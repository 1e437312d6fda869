/**
 * `driftless serve`: the local platform (cli/serve) — the Lambda functions' engine, HTTP API,
 * worker and drift scan in one process on dynalite and in-process queues, deploying to the current
 * kubeconfig context or to a sandbox emulator. The Argo CD objects come from a directory or, with
 * `--config-repo`, from a git repository as in AWS. Runs until SIGINT/SIGTERM; `--once` loads,
 * refreshes and syncs everything, prints a summary and exits 0 when every app is fine, 1 otherwise.
 */
import { relative, resolve, sep } from 'node:path';
import { messageOf } from '../../shared/errors/index.js';
import { sanitizeURL } from '../../shared/git/index.js';
import { appNameOf, type PlatformConfig } from '../../shared/pipeline/index.js';
import type { ConfigSource } from '../../shared/webhook/index.js';
import { parseArgs, single, UsageError } from '../args.js';
import type { CliIO } from '../io.js';
import {
  eventLine,
  type LocalPlatform,
  type LocalPlatformOptions,
  problemOf,
  startLocalPlatform,
  summaryTable,
} from '../serve/index.js';

const USAGE = `Usage: driftless serve [--config DIR | --config-repo URL[#BRANCH[:PATH]]] [--repo URL=PATH]...
                       [--port P] [--kubeconfig K] [--context C] [--state-dir D]
                       [--drift-interval S] [--allow-unsigned] [--once]

Runs the platform locally: the webhook endpoint and Argo CD's application API on 127.0.0.1:P
(default 8080; 0 picks a free port), the worker, the drift scan every S seconds (default 180), and
the state table in dynalite under D (default .driftless). Deploys to the kubeconfig's current
context, or, without one, to a sandbox Kubernetes API emulator it starts. Without --config, runs
the bundled example (examples/argocd, with examples/config as its git repository).

  --config-repo URL[#BRANCH[:PATH]]
                     read the Argo CD objects from a git repository instead of a directory, as
                     the Lambda functions do: every manifest under PATH (default: the whole
                     repository) at the head of BRANCH (default: its default branch). A push
                     webhook for it reloads them, and automated promotion commits to it.
                     Example: --config-repo https://github.com/acme/gitops.git#main:argocd
  --repo URL=PATH    serve repository URL from a local git repository or directory
  --allow-unsigned   accept webhooks from providers with no secret in argocd-secret
  --once             load, refresh and sync every app, print a summary, exit (0 all fine, 1 not)
`;

/** What a test or an embedding program may pass besides the arguments. */
export interface ServeControl {
  /** Stops the server as SIGINT would. */
  readonly signal?: AbortSignal;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called once everything runs and the startup refreshes are queued. */
  readonly onReady?: (platform: LocalPlatform) => void;
  /** Test speed-ups: sync step timings and the sandbox's controller pace. */
  readonly tuning?: Pick<LocalPlatformOptions, 'step' | 'sandboxStepMs'>;
}

const ONCE_TIMEOUT_MS = 10 * 60 * 1000;

export async function run(args: readonly string[], io: CliIO, control: ServeControl = {}): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(args, {
      values: [
        'config',
        'config-repo',
        'repo',
        'port',
        'kubeconfig',
        'context',
        'state-dir',
        'drift-interval',
      ],
      repeatable: ['repo'],
      flags: ['help', 'once', 'allow-unsigned'],
      aliases: { h: 'help' },
    });
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${parsed.positionals[0]}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`driftless serve: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (parsed.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  const once = parsed.flags.has('once');
  const port = numberOption(parsed, 'port', 8080, io);
  const drift = numberOption(parsed, 'drift-interval', 180, io);
  if (port === undefined || drift === undefined) return 2;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`driftless serve: --port ${port}: must be a whole number from 0 to 65535\n`);
    return 2;
  }
  const configDir = single(parsed, 'config');
  const configRepoText = single(parsed, 'config-repo');
  if (configDir !== undefined && configRepoText !== undefined) {
    io.err('driftless serve: --config and --config-repo cannot be used together: choose one\n');
    return 2;
  }
  let configRepo: ConfigSource | undefined;
  try {
    configRepo = configRepoText === undefined ? undefined : parseConfigRepo(configRepoText);
  } catch (e) {
    io.err(`driftless serve: ${messageOf(e)}\n`);
    return 2;
  }
  const kubeconfig = single(parsed, 'kubeconfig');
  const context = single(parsed, 'context');
  const options: LocalPlatformOptions = {
    ...(configDir === undefined ? {} : { configDir }),
    ...(configRepo === undefined ? {} : { configRepo }),
    repoMappings: parsed.values.get('repo') ?? [],
    stateDir: single(parsed, 'state-dir') ?? '.driftless',
    ...(once ? {} : { port, driftIntervalSeconds: drift }),
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(context === undefined ? {} : { context }),
    allowUnsigned: parsed.flags.has('allow-unsigned'),
    env: control.env ?? process.env,
    onHandled: (handled, view) => io.out(`${eventLine({ handled, view, at: new Date() })}\n`),
    ...control.tuning,
  };

  let local: LocalPlatform;
  try {
    local = await startLocalPlatform(options);
  } catch (e) {
    io.err(`driftless serve: ${messageOf(e)}\n`);
    return 1;
  }
  try {
    const started = await local.start();
    io.out(
      banner({
        local,
        ...(configRepo === undefined ? {} : { configRepo }),
        config: started.config,
        once,
        drift,
        allowUnsigned: options.allowUnsigned,
      }),
    );
    control.onReady?.(local);
    if (once) return await finishOnce(local, io);
    await stopRequested(control.signal);
    io.out('Stopping: finishing the messages in hand...\n');
    return 0;
  } catch (e) {
    io.err(`driftless serve: ${messageOf(e)}\n`);
    return 1;
  } finally {
    await local.stop();
    if (!once) io.out('Stopped.\n');
  }
}

async function finishOnce(local: LocalPlatform, io: CliIO): Promise<number> {
  const settled = await local.idle({ timeoutMs: ONCE_TIMEOUT_MS });
  const views = await local.listApps();
  io.out(`\n${summaryTable(views)}`);
  const troubled = views.filter((v) => problemOf(v) !== undefined);
  if (!settled) io.err(`driftless serve --once: work was still queued after ${ONCE_TIMEOUT_MS / 1000} s\n`);
  io.out(
    `${views.length} apps: ${views.filter((v) => v.status.sync.status === 'Synced').length} Synced, ` +
      `${views.filter((v) => v.status.sync.status === 'OutOfSync').length} OutOfSync, ${troubled.length} with problems.\n`,
  );
  return settled && troubled.length === 0 ? 0 : 1;
}

function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      signal?.removeEventListener('abort', finish);
      done();
    };
    if (signal?.aborted) return finish();
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    signal?.addEventListener('abort', finish, { once: true });
  });
}

function numberOption(
  parsed: ReturnType<typeof parseArgs>,
  name: string,
  fallback: number,
  io: CliIO,
): number | undefined {
  const raw = single(parsed, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    io.err(`driftless serve: --${name} ${raw}: must be a number of 0 or more\n`);
    return undefined;
  }
  return value;
}

/**
 * `URL[#BRANCH[:PATH]]`: a URL has no `#` of its own and a branch name cannot hold a `:`, so both
 * separators are unambiguous.
 */
export function parseConfigRepo(text: string): ConfigSource {
  const hash = text.indexOf('#');
  const repoURL = (hash < 0 ? text : text.slice(0, hash)).trim();
  const rest = hash < 0 ? '' : text.slice(hash + 1);
  const colon = rest.indexOf(':');
  const branch = (colon < 0 ? rest : rest.slice(0, colon)).trim();
  const path = (colon < 0 ? '' : rest.slice(colon + 1)).trim();
  if (repoURL === '') {
    throw new UsageError(`--config-repo ${text}: no repository URL; expected URL[#BRANCH[:PATH]]`);
  }
  return {
    repoURL,
    ...(branch === '' ? {} : { targetRevision: branch }),
    ...(path === '' ? {} : { path }),
  };
}

interface BannerOptions {
  readonly local: LocalPlatform;
  readonly configRepo?: ConfigSource;
  readonly config: PlatformConfig;
  readonly once: boolean;
  readonly drift: number;
  readonly allowUnsigned: boolean;
}

function banner({ local, configRepo, config, once, drift, allowUnsigned }: BannerOptions): string {
  const lines: string[] = [
    once ? 'Driftless: one pass over every app (--once)' : 'Driftless is running. Ctrl-C stops it.',
  ];
  const row = (label: string, text: string) => lines.push(`  ${label.padEnd(9)}${text}`);
  if (local.url !== undefined) {
    row('API', `${local.url}/api/v1/applications  (driftless app list --server ${local.url})`);
    row('Webhooks', `${local.url}/api/webhook (GitHub, GitLab), ${local.url}/api/v1/refresh (bearer token)`);
    const secrets = config.webhookSecrets;
    const set = (value: string | undefined) => (value ? 'set' : 'not set');
    row(
      '',
      `secrets from argocd-secret: github ${set(secrets.github)}, gitlab ${set(secrets.gitlab)}, refresh token ${set(secrets.refreshToken)}`,
    );
    row(
      '',
      allowUnsigned
        ? 'unsigned webhooks are ACCEPTED from providers without a secret (--allow-unsigned)'
        : 'unsigned webhooks are refused for providers without a secret; --allow-unsigned accepts them',
    );
  }
  row('Store', `dynalite on disk at ${shown(local.storePath)} (table ${local.tableName})`);
  const { target } = local;
  if (target.kind === 'sandbox') {
    row(
      'Cluster',
      `SANDBOX — no kubeconfig context found, so a local Kubernetes API emulator runs at ${target.url}`,
    );
    row('', `it keeps objects in memory only: they are gone when serve stops, and its state starts afresh`);
    row('', `look at it with: kubectl --kubeconfig ${shown(target.kubeconfig)} get all -A`);
  } else {
    row(
      'Cluster',
      `kubeconfig ${shown(target.kubeconfig)}, context "${target.cluster.name}" (${target.cluster.server})`,
    );
  }
  if (configRepo !== undefined) {
    row(
      'Config',
      `${sanitizeURL(configRepo.repoURL)} at ${configRepo.targetRevision ?? 'its default branch'}, under ${configRepo.path ?? '.'}; its push webhooks reload it`,
    );
  }
  if (local.example !== undefined) {
    row(
      'Config',
      `the bundled example: ${local.example.configDir}, ${local.example.repoURL} served from examples/config`,
    );
  }
  const automated = config.applications.filter((a) => a.spec.syncPolicy?.automated !== undefined);
  row(
    'Apps',
    `${config.applications.length} loaded (${automated.length} automated, ${config.applications.length - automated.length} manual): ${config.applications.map(appNameOf).join(', ')}`,
  );
  if (!once) row('Drift', drift > 0 ? `scan every ${drift} s` : 'no periodic scan (--drift-interval 0)');
  row('Logs', shown(local.logFile));
  return `${lines.join('\n')}\n\n`;
}

/** Paths under the working directory are shown relative to it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) ? rel : path;
}
