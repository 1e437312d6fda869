/**
 * `driftless app list|get|history|sync|appsets|appset`: reads and drives a running platform (`driftless serve`,
 * or the API of a deployed stack) through Argo CD's REST paths, with output shaped like `argocd
 * app ...`. The server is --server, else $DRIFTLESS_SERVER, else http://localhost:8080. Requests
 * to a deployed stack's API (an execute-api host, or any host with --sigv4) are signed with SigV4.
 */
import { stringify } from 'yaml';
import { messageOf } from '../../shared/errors/index.js';
import type { ApplicationSetView, ApplicationView } from '../../shared/pipeline/index.js';
import { AppApiClient, planSigning, resolveAwsCredentials, sigv4Sender } from '../app-client/index.js';
import { parseArgs, single, UsageError } from '../args.js';
import type { CliIO } from '../io.js';
import { formatTable } from '../table.js';

const USAGE = `Usage: driftless app list [SERVER OPTIONS] [-o json|yaml]
       driftless app get NAME [SERVER OPTIONS] [-o json|yaml]
       driftless app history NAME [SERVER OPTIONS] [-o json|yaml]
       driftless app sync NAME [--prune] [--dry-run] [--revision REV] [SERVER OPTIONS] [-o json|yaml]
       driftless app appsets [SERVER OPTIONS] [-o json|yaml]
       driftless app appset NAME [SERVER OPTIONS] [-o json|yaml]

Server options: [--server URL] [--sigv4] [--region REGION]

Reads and drives the platform through its HTTP API (Argo CD's /api/v1/applications and
/api/v1/applicationsets paths).
NAME is the app's name, or NAMESPACE/NAME for an app outside the control namespace.
The server defaults to $DRIFTLESS_SERVER, then http://localhost:8080.
Requests to a deployed stack's API (https://ID.execute-api.REGION.amazonaws.com) are signed with
AWS SigV4 (service execute-api) using the AWS SDK's default credentials; --sigv4 signs for any
other host (a custom domain). The region is --region, else the host's, else $AWS_REGION.
`;

export const DEFAULT_SERVER = 'http://localhost:8080';

type Output = 'table' | 'json' | 'yaml';

export async function run(
  args: readonly string[],
  io: CliIO,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  let output: Output;
  try {
    parsed = parseArgs(args, {
      values: ['server', 'output', 'revision', 'region'],
      flags: ['help', 'prune', 'dry-run', 'sigv4'],
      aliases: { h: 'help', o: 'output' },
    });
    const o = single(parsed, 'output') ?? 'table';
    if (o !== 'table' && o !== 'json' && o !== 'yaml') throw new UsageError(`-o ${o}: use json or yaml`);
    output = o;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`driftless app: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (parsed.flags.has('help')) {
    io.out(USAGE);
    return 0;
  }
  const [verb, name, ...extra] = parsed.positionals;
  const needsName = verb === 'get' || verb === 'history' || verb === 'sync' || verb === 'appset';
  const listing = verb === 'list' || verb === 'appsets';
  const usage = (message: string) => {
    io.err(`driftless app: ${message}\n\n${USAGE}`);
    return 2;
  };
  if (!listing && !needsName)
    return usage(verb === undefined ? 'name a subcommand' : `unknown subcommand "${verb}"`);
  if (needsName && name === undefined)
    return usage(`app ${verb} needs the ${verb === 'appset' ? "ApplicationSet's" : "app's"} NAME`);
  if (extra.length > 0 || (listing && name !== undefined)) {
    return usage(`unexpected argument ${listing ? name : extra[0]}`);
  }
  if (
    verb !== 'sync' &&
    (parsed.flags.has('prune') || parsed.flags.has('dry-run') || parsed.values.has('revision'))
  ) {
    return usage('--prune, --dry-run and --revision belong to app sync');
  }

  const server = single(parsed, 'server') ?? (env.DRIFTLESS_SERVER || DEFAULT_SERVER);
  let client: AppApiClient;
  try {
    client = clientFor({ server, sigv4: parsed.flags.has('sigv4'), region: single(parsed, 'region'), env });
  } catch (e) {
    io.err(`driftless app ${verb}: ${messageOf(e)}\n`);
    return 1;
  }
  const print = (value: unknown, table: () => string) =>
    io.out(
      output === 'json'
        ? `${JSON.stringify(value, null, 2)}\n`
        : output === 'yaml'
          ? stringify(value)
          : table(),
    );
  try {
    switch (verb) {
      case 'list': {
        const apps = await client.listApps();
        print(apps, () => listTable(apps));
        return 0;
      }
      case 'get': {
        const app = await client.getApp(name as string);
        print(app, () => describeApp(app));
        return 0;
      }
      case 'history': {
        const app = await client.getApp(name as string);
        print(app.status.history, () => historyTable(app));
        return 0;
      }
      case 'sync': {
        const revision = single(parsed, 'revision');
        const started = await client.syncApp(name as string, {
          ...(parsed.flags.has('prune') ? { prune: true } : {}),
          ...(parsed.flags.has('dry-run') ? { dryRun: true } : {}),
          ...(revision === undefined ? {} : { revision }),
        });
        print(started, () => `Operation ${started.operationId} started: ${started.message}\n`);
        return 0;
      }
      case 'appsets': {
        const appSets = await client.listAppSets();
        print({ items: appSets }, () => appSetListTable(appSets));
        return 0;
      }
      case 'appset': {
        const appSet = await client.getAppSet(name as string);
        print(appSet, () => describeAppSet(appSet));
        return 0;
      }
    }
  } catch (e) {
    io.err(`driftless app ${verb}: ${messageOf(e)}\n`);
    return 1;
  }
  return 2;
}

function clientFor(options: {
  readonly server: string;
  readonly sigv4: boolean;
  readonly region: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}): AppApiClient {
  const plan = planSigning({
    server: options.server,
    sigv4: options.sigv4,
    env: options.env,
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  if (plan.kind === 'none') return new AppApiClient({ server: options.server });
  const host = new URL(options.server).host;
  return new AppApiClient({
    server: options.server,
    unreachableHint: `is ${host} the stack's ApiUrl?`,
    send: sigv4Sender({
      region: plan.region,
      service: plan.service,
      credentials: () => resolveAwsCredentials({ region: plan.region, host, env: options.env }),
    }),
  });
}

function qualifiedName(app: ApplicationView): string {
  return `${app.metadata.namespace ?? 'argocd'}/${app.metadata.name}`;
}

function sourceOf(app: ApplicationView): { repoURL: string; path: string; targetRevision: string } {
  const source = app.spec.source ?? app.spec.sources?.[0];
  return {
    repoURL: source?.repoURL ?? '',
    path: source?.path ?? source?.chart ?? '',
    targetRevision: source?.targetRevision || 'HEAD',
  };
}

/** Argo CD's SYNCPOLICY column: Manual, Auto, or Auto-Prune. */
function syncPolicyOf(app: ApplicationView): string {
  const automated = app.spec.syncPolicy?.automated;
  if (automated === undefined) return 'Manual';
  return automated.prune ? 'Auto-Prune' : 'Auto';
}

export function listTable(apps: readonly ApplicationView[]): string {
  return formatTable(
    ['NAME', 'CLUSTER', 'NAMESPACE', 'PROJECT', 'STATUS', 'HEALTH', 'SYNCPOLICY', 'REPO', 'PATH', 'TARGET'],
    apps.map((app) => {
      const source = sourceOf(app);
      return [
        qualifiedName(app),
        app.spec.destination.server ?? app.spec.destination.name ?? '',
        app.spec.destination.namespace ?? '',
        app.spec.project,
        app.status.sync.status,
        app.status.health.status,
        syncPolicyOf(app),
        source.repoURL,
        source.path,
        source.targetRevision,
      ];
    }),
  );
}

export function describeApp(app: ApplicationView): string {
  const source = sourceOf(app);
  const { status } = app;
  const fields: [string, string][] = [
    ['Name', qualifiedName(app)],
    ['Project', app.spec.project],
    ['Server', app.spec.destination.server ?? app.spec.destination.name ?? ''],
    ['Namespace', app.spec.destination.namespace ?? ''],
    ['Repo', source.repoURL],
    ['Target', source.targetRevision],
    ['Path', source.path],
    ['Sync Policy', syncPolicyOf(app)],
    [
      'Sync Status',
      `${status.sync.status}${status.sync.revision ? ` to ${source.targetRevision} (${status.sync.revision.slice(0, 7)})` : ''}`,
    ],
    ['Health Status', status.health.status],
  ];
  const op = status.operationState;
  if (op !== undefined) {
    fields.push(
      ['', ''],
      ['Operation', 'Sync'],
      ['Sync Revision', op.syncResult?.revision ?? ''],
      ['Phase', op.phase],
      ['Start', op.startedAt],
      ['Finished', op.finishedAt ?? ''],
      ['Message', op.message],
    );
  }
  if (status.lastError !== undefined) fields.push(['Last Error', status.lastError]);
  for (const condition of status.conditions ?? []) fields.push([condition.type, condition.message]);
  const head = fields.map(([k, v]) => (k === '' ? '' : `${`${k}:`.padEnd(20)}${v}`)).join('\n');
  const resources = formatTable(
    ['GROUP', 'KIND', 'NAMESPACE', 'NAME', 'STATUS', 'HEALTH'],
    status.resources.map((r) => [r.group, r.kind, r.namespace, r.name, r.status, r.health?.status ?? '']),
  );
  return `${head}\n\n${resources}`;
}

export function historyTable(app: ApplicationView): string {
  return formatTable(
    ['ID', 'DATE', 'REVISION'],
    app.status.history.map((h) => [String(h.id), h.deployedAt, h.revision]),
  );
}

interface AppSetSpecFields {
  readonly template?: { readonly spec?: { readonly project?: unknown } };
  readonly syncPolicy?: { readonly applicationsSync?: unknown };
}

function appSetSpecOf(appSet: ApplicationSetView): AppSetSpecFields {
  return (appSet.spec ?? {}) as AppSetSpecFields;
}

function appSetNamespaceOf(appSet: ApplicationSetView): string {
  const namespace = appSet.metadata.namespace;
  return typeof namespace === 'string' && namespace !== '' ? namespace : 'argocd';
}

/** The template's project; a templated project (`{{.project}}`) shows as written. */
function appSetProjectOf(appSet: ApplicationSetView): string {
  const project = appSetSpecOf(appSet).template?.spec?.project;
  return typeof project === 'string' ? project : '';
}

/** `spec.syncPolicy.applicationsSync`; unset lets the controller create, update and delete. */
function applicationsSyncOf(appSet: ApplicationSetView): string {
  const policy = appSetSpecOf(appSet).syncPolicy?.applicationsSync;
  return typeof policy === 'string' && policy !== '' ? policy : 'sync';
}

function conditionsOf(appSet: ApplicationSetView): string {
  return (appSet.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
}

/** Shaped like `argocd appset list`. */
export function appSetListTable(appSets: readonly ApplicationSetView[]): string {
  return formatTable(
    ['NAME', 'NAMESPACE', 'PROJECT', 'SYNCPOLICY', 'CONDITIONS'],
    appSets.map((s) => [
      s.metadata.name,
      appSetNamespaceOf(s),
      appSetProjectOf(s),
      applicationsSyncOf(s),
      conditionsOf(s),
    ]),
  );
}

/** Shaped like `argocd appset get`: the ApplicationSet, its conditions, then its generated apps. */
export function describeAppSet(appSet: ApplicationSetView): string {
  const fields: [string, string][] = [
    ['Name', `${appSetNamespaceOf(appSet)}/${appSet.metadata.name}`],
    ['Project', appSetProjectOf(appSet)],
    ['Sync Policy', applicationsSyncOf(appSet)],
    ['Reconciled', appSet.status?.reconciledAt ?? ''],
  ];
  const head = fields.map(([k, v]) => `${`${k}:`.padEnd(20)}${v}`).join('\n');
  const conditions = formatTable(
    ['CONDITION', 'STATUS', 'REASON', 'MESSAGE'],
    (appSet.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]),
  );
  const apps = formatTable(
    ['NAMESPACE', 'NAME', 'STATUS', 'HEALTH'],
    (appSet.status?.resources ?? []).map((r) => [r.namespace, r.name, r.status, r.health.status]),
  );
  return `${head}\n\n${conditions}\n${apps}`;
}
