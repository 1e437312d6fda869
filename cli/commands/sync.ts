/**
 * `driftless sync APP.yaml... [--repo URL=PATH]... [--kubeconfig K] [--context C] [--app NAME]...
 * [--dry-run] [--prune] [--timeout S]`: renders each Application and runs a manual sync operation
 * to the end, step after step as the worker would (waiting in between), printing each resource's
 * progress as it changes and a summary per app. Exit 0 when every operation Succeeded, 1 when one
 * Failed, Errored or timed out, 2 on usage, configuration, render or cluster errors.
 *
 * The worker keeps an inventory of what each app applied; the CLI keeps nothing, so it recovers the
 * inventory from tracking ids in the cluster (the kinds the app renders), which also adopts what
 * Argo CD applied before.
 */
import {
  compareApp,
  ignoreDifferencesFor,
  MemoryPredictedCache,
  scanOwnedInventory,
  settingsIgnoreDifferences,
  syncedKeys,
} from '../../shared/compare/index.js';
import { renderApplication } from '../../shared/desired/index.js';
import type { IgnoreDifferences } from '../../shared/diff/index.js';
import { messageOf } from '../../shared/errors/index.js';
import type { Application } from '../../shared/model/argo-types.js';
import type { KubeObject, ResourceKey } from '../../shared/model/kube-object.js';
import { systemClock } from '../../shared/ports/clock.js';
import {
  appInstanceName,
  beginOperation,
  operationSyncSettings,
  type SyncStepResult,
  syncStep,
  type TaskState,
} from '../../shared/sync/index.js';
import { openAppWorkspace } from '../app-workspace.js';
import { type ParsedArgs, single, UsageError } from '../args.js';
import { parseCommandArgs, usageError } from '../command-args.js';
import type { CliIO } from '../io.js';
import type { KubeTarget } from '../kube-target.js';

const USAGE = `Usage: driftless sync APP.yaml... [--repo URL=PATH]... [--kubeconfig K] [--context C] [--app NAME]...
                     [--dry-run] [--prune] [--timeout S] [--poll S] [--wave-delay S]

Renders each Application in APP.yaml and syncs it to its cluster as a manual Argo CD sync does:
PreSync, Sync and PostSync phases, waves in order, hooks, sync options, retries. Prints each
resource as its state changes (kind/name, action, result, health) and a summary per app.
Exit 0 when every sync Succeeded, 1 when one failed or timed out, 2 on usage or render errors.

  --repo URL=PATH   map a repoURL to a local git repository or plain directory (repeatable)
  --kubeconfig K    kubeconfig file (default $KUBECONFIG, else ~/.kube/config)
  --context C       kubeconfig context for https://kubernetes.default.svc (default: current)
  --app NAME        only the Application with this name (repeatable)
  --dry-run         server-side dry run: nothing is changed
  --prune           delete what the app owns and no longer renders (as argocd app sync --prune)
  --timeout S       give up after S seconds (default: wait for the operation to end)
  --poll S          seconds between looks at running resources and hooks (default 1)
  --wave-delay S    pause between waves, as ARGOCD_SYNC_WAVE_DELAY (default 2)

What the app owns (the input to pruning) is found by its tracking ids in the cluster; the
deployed pipeline keeps a stored inventory instead.
`;

interface SyncFlags {
  readonly dryRun: boolean;
  readonly prune: boolean;
  readonly timeoutSeconds?: number;
  readonly pollSeconds: number;
  readonly waveDelaySeconds: number;
}

export async function run(args: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs({
    command: 'sync',
    usage: USAGE,
    args,
    io,
    spec: {
      values: ['repo', 'kubeconfig', 'context', 'app', 'timeout', 'poll', 'wave-delay'],
      repeatable: ['repo', 'app'],
      flags: ['dry-run', 'prune'],
    },
    requires: 'APP.yaml',
  });
  if (typeof parsed === 'number') return parsed;
  let flags: SyncFlags;
  try {
    const timeout = seconds(parsed, 'timeout');
    flags = {
      dryRun: parsed.flags.has('dry-run'),
      prune: parsed.flags.has('prune'),
      ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
      pollSeconds: seconds(parsed, 'poll') ?? 1,
      waveDelaySeconds: seconds(parsed, 'wave-delay') ?? 2,
    };
  } catch (e) {
    if (e instanceof UsageError) return usageError(io, 'sync', e.message, USAGE);
    throw e;
  }
  try {
    const workspace = await openAppWorkspace('sync', parsed, io);
    if (typeof workspace === 'number') return workspace;
    const { apps, git, tools, renderCache, settings, targets } = workspace;
    let code = 0;
    for (const app of apps) {
      const rendered = await renderApplication({ app, git, tools, cache: renderCache });
      const target = await targets.forApp(app);
      const ignore = ignoreDifferencesFor({ app, ...(settings === undefined ? {} : { settings }) });
      const phase = await syncOne({
        app,
        revision: rendered.revisions[0] ?? '',
        desired: rendered.objects,
        target,
        ignore,
        flags,
        io,
      });
      if (phase !== 'Succeeded') code = 1;
    }
    return code;
  } catch (e) {
    io.err(`driftless sync: ${messageOf(e)}\n`);
    return 2;
  }
}

function seconds(parsed: ParsedArgs, name: string): number | undefined {
  const raw = single(parsed, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`--${name} takes a number of seconds, not "${raw}"`);
  }
  return value;
}

interface SyncOneOptions {
  readonly app: Application;
  readonly revision: string;
  readonly desired: readonly KubeObject[];
  readonly target: KubeTarget;
  readonly ignore: IgnoreDifferences;
  readonly flags: SyncFlags;
  readonly io: CliIO;
}

/** One operation, from begin to done (or timeout); returns its final phase. */
async function syncOne(options: SyncOneOptions): Promise<string> {
  const { app, target, flags, io } = options;
  const { kube } = target;
  const clock = systemClock;
  const started = clock.now().getTime();
  const before = kube.total();
  const name = app.metadata.name;
  const inventory = await scanOwnedInventory({ kube, appName: appInstanceName(app), kinds: options.desired });

  let operation = beginOperation({
    app,
    revision: options.revision,
    clock,
    initiatedBy: 'manual',
    prune: flags.prune,
    dryRun: flags.dryRun,
  });
  let isSynced: ((key: ResourceKey) => boolean) | undefined;
  if (operationSyncSettings(operation.syncOptions).applyOutOfSyncOnly) {
    const comparison = await compareApp({
      app,
      desired: options.desired,
      kube,
      inventory,
      ignore: options.ignore,
      predictedCache: new MemoryPredictedCache(),
    });
    isSynced = syncedKeys(comparison);
  }
  io.out(
    `${name}: syncing ${options.revision.slice(0, 12) || '(no revision)'} to ${target.cluster.name} (${target.cluster.server})${flags.dryRun ? ', dry run' : ''}${flags.prune ? ', prune' : ''}\n`,
  );

  const printed = new Map<string, string>();
  const deadline = flags.timeoutSeconds === undefined ? undefined : started + flags.timeoutSeconds * 1000;
  let last: SyncStepResult | undefined;
  for (;;) {
    last = await syncStep({
      app,
      operation,
      desired: options.desired,
      inventory,
      kube,
      clock,
      ...(isSynced === undefined ? {} : { isSynced }),
      ignoreDifferences: settingsIgnoreDifferences(options.ignore),
      options: { pollSeconds: flags.pollSeconds, waveDelaySeconds: flags.waveDelaySeconds },
    });
    operation = last.operation;
    printProgress(operation.tasks, printed, io);
    if (last.outcome.kind === 'done') break;
    const waitMs = last.outcome.afterSeconds * 1000;
    if (deadline !== undefined && clock.now().getTime() + waitMs > deadline) break;
    await clock.sleep(waitMs);
  }

  const elapsed = ((clock.now().getTime() - started) / 1000).toFixed(1);
  const counts = Object.entries(kube.counts()).map(([verb, n]) => `${verb} ${n}`);
  const requests = `${kube.total() - before} API requests (${counts.join(', ')}, counted across this run)`;
  const phase = last.outcome.kind === 'done' ? last.outcome.phase : 'Timeout';
  const message =
    last.outcome.kind === 'done'
      ? last.outcome.message
      : `timed out after ${flags.timeoutSeconds}s: ${operation.message}`;
  io.out(`${name}: ${phase}: ${message} (${elapsed}s, ${requests})\n`);
  return phase;
}

/** One line per task, printed when it first has something to say and whenever that changes. */
function printProgress(tasks: readonly TaskState[], printed: Map<string, string>, io: CliIO): void {
  const ordered = [...tasks]
    .filter((t) => t.order !== undefined || t.skipped === true)
    .sort((a, b) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER));
  for (const task of ordered) {
    const line = progressLine(task);
    if (printed.get(task.id) === line) continue;
    printed.set(task.id, line);
    io.out(`${line}\n`);
  }
}

function progressLine(task: TaskState): string {
  const action = task.kind === 'hook' ? `${task.phase}-hook` : task.kind;
  const result = task.skipped ? 'Skipped' : (task.result ?? 'Pending');
  const health = task.health?.status ?? (task.kind === 'hook' ? (task.operation ?? '-') : '-');
  const failed =
    task.result === 'SyncFailed' ||
    task.result === 'PruneSkipped' ||
    task.operation === 'Failed' ||
    task.operation === 'Error';
  const cells = [
    `${task.key.kind}/${task.key.name}`.padEnd(40),
    action.padEnd(14),
    result.padEnd(12),
    health,
  ];
  return `${cells.join(' ')}${failed && task.message ? `  ${task.message}` : ''}`.trimEnd();
}
