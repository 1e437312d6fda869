/**
 * `driftless app`: usage errors, which server it talks to, what it says when the server is down
 * or answers an error, and the tables it prints for Applications in Argo CD's status shape.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  run as app,
  appSetListTable,
  describeApp,
  describeAppSet,
  historyTable,
  listTable,
} from '../../../cli/commands/app.js';
import { captureIO } from '../../../cli/io.js';
import type { ApplicationSetView, ApplicationView } from '../../../shared/pipeline/index.js';

const WEB: ApplicationView = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'web-dev', namespace: 'argocd' },
  spec: {
    project: 'apps',
    source: {
      repoURL: 'https://github.com/driftless-dev/gitops-config.git',
      targetRevision: 'main',
      path: 'apps/web/overlays/dev',
    },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'web-dev' },
    syncPolicy: { automated: { prune: true, selfHeal: true } },
  },
  status: {
    sync: { status: 'Synced', revision: 'aaa14f137681c94bce802bbf44d70d0d1f9f9129' },
    health: { status: 'Healthy' },
    operationState: {
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: '2026-11-26T08:00:00.000Z',
      finishedAt: '2026-11-26T08:00:02.000Z',
      operation: { initiatedBy: { automated: true } },
      syncResult: { revision: 'aaa14f137681c94bce802bbf44d70d0d1f9f9129', resources: [] },
    },
    history: [
      {
        id: 1,
        revision: '1111111111111111111111111111111111111111',
        deployedAt: '2026-11-25T10:00:00.000Z',
        deployStartedAt: '2026-11-25T09:59:58.000Z',
      },
      {
        id: 2,
        revision: 'aaa14f137681c94bce802bbf44d70d0d1f9f9129',
        deployedAt: '2026-11-26T08:00:02.000Z',
        deployStartedAt: '2026-11-26T08:00:00.000Z',
      },
    ],
    resources: [
      {
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        namespace: 'web-dev',
        name: 'dev-web',
        status: 'Synced',
        health: { status: 'Healthy' },
      },
    ],
  },
};

const PROD: ApplicationView = {
  ...WEB,
  metadata: { name: 'web-prod', namespace: 'argocd' },
  spec: {
    ...WEB.spec,
    source: { ...WEB.spec.source!, targetRevision: 'v1.0.0', path: 'apps/web/overlays/prod' },
    destination: { server: 'https://kubernetes.default.svc', namespace: 'web-prod' },
    syncPolicy: {},
  },
  status: { sync: { status: 'OutOfSync' }, health: { status: 'Missing' }, history: [], resources: [] },
};

const WEB_ENVS: ApplicationSetView = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'web-envs', namespace: 'argocd' },
  spec: {
    generators: [{ list: { elements: [{ env: 'dev' }, { env: 'prod' }] } }],
    template: { metadata: { name: 'web-{{env}}' }, spec: { project: 'apps' } },
    syncPolicy: { applicationsSync: 'create-update' },
  },
  status: {
    conditions: [
      {
        type: 'ErrorOccurred',
        status: 'False',
        reason: 'ApplicationSetUpToDate',
        message: 'All applications have been generated successfully',
        lastTransitionTime: '2026-11-26T08:00:00.000Z',
      },
      {
        type: 'ResourcesUpToDate',
        status: 'True',
        reason: 'ApplicationSetUpToDate',
        message: 'All applications have been generated successfully',
        lastTransitionTime: '2026-11-26T08:00:00.000Z',
      },
    ],
    resources: [
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Application',
        namespace: 'argocd',
        name: 'web-dev',
        status: 'Synced',
        health: { status: 'Healthy' },
      },
      {
        group: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Application',
        namespace: 'argocd',
        name: 'web-prod',
        status: 'OutOfSync',
        health: { status: 'Missing' },
      },
    ],
    reconciledAt: '2026-11-26T08:00:00.000Z',
  },
};

const PREVIEWS: ApplicationSetView = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name: 'previews' },
  spec: { generators: [], template: { spec: { project: '{{.project}}' } } },
  status: { conditions: [], resources: [], reconciledAt: '2026-11-26T09:00:00.000Z' },
};

describe('driftless app', () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];

  beforeAll(async () => {
    // A stand-in API server: it answers as the platform's API does for the paths the tests use.
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/api/v1/applications?limit=100')
        return send(200, { items: [WEB, PROD], metadata: {} });
      if (req.url === '/api/v1/applications/web-dev') return send(200, WEB);
      if (req.url === '/api/v1/applications/web-dev?appNamespace=team-a') return send(200, WEB);
      if (req.url === '/api/v1/applications/web-prod/sync' && req.method === 'POST') {
        return send(202, { operationId: 'op-1', message: 'sync of web-prod queued' });
      }
      if (req.url === '/api/v1/applicationsets')
        return send(200, { items: [WEB_ENVS, PREVIEWS], metadata: {} });
      if (req.url === '/api/v1/applicationsets/web-envs') return send(200, WEB_ENVS);
      if (req.url === '/api/v1/applicationsets/gone') {
        return send(404, { error: 'applicationset "gone" not found' });
      }
      if (req.url === '/api/v1/applications/broken') return send(500, { error: 'state table unavailable' });
      return send(404, { error: `application not found` });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    [[], 'name a subcommand'],
    [['frobnicate'], 'unknown subcommand "frobnicate"'],
    [['get'], "app get needs the app's NAME"],
    [['list', 'extra'], 'unexpected argument extra'],
    [['appset'], "app appset needs the ApplicationSet's NAME"],
    [['appsets', 'web-envs'], 'unexpected argument web-envs'],
    [['appset', 'web-envs', '--dry-run'], '--prune, --dry-run and --revision belong to app sync'],
    [['list', '--prune'], '--prune, --dry-run and --revision belong to app sync'],
    [['list', '-o', 'xml'], '-o xml: use json or yaml'],
  ])('refuses %j with exit 2', async (args, message) => {
    const io = captureIO();
    expect(await app(args, io, {})).toBe(2);
    expect(io.stderr()).toContain(message);
  });

  it('talks to $DRIFTLESS_SERVER when no --server is given', async () => {
    const io = captureIO();
    expect(await app(['get', 'web-dev', '-o', 'json'], io, { DRIFTLESS_SERVER: url })).toBe(0);
    expect((JSON.parse(io.stdout()) as ApplicationView).status.sync.status).toBe('Synced');
  });

  it('selects an app outside the control namespace with NAMESPACE/NAME', async () => {
    const io = captureIO();
    expect(await app(['get', 'team-a/web-dev', '-o', 'yaml', '--server', url], io, {})).toBe(0);
    expect(io.stdout()).toContain('name: web-dev');
    expect(requests).toContain('GET /api/v1/applications/web-dev?appNamespace=team-a');
  });

  it('prints the operation a sync started', async () => {
    const io = captureIO();
    expect(await app(['sync', 'web-prod', '--server', url], io, {})).toBe(0);
    expect(io.stdout()).toBe('Operation op-1 started: sync of web-prod queued\n');
  });

  it('names the server, the request and the status of an error answer', async () => {
    const io = captureIO();
    expect(await app(['get', 'broken', '--server', url], io, {})).toBe(1);
    expect(io.stderr()).toBe(
      `driftless app get: GET ${url}/api/v1/applications/broken: 500 Internal Server Error: state table unavailable\n`,
    );
  });

  it('says which server it could not reach', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const io = captureIO();
    expect(await app(['list', '--server', `http://127.0.0.1:${port}`], io, {})).toBe(1);
    expect(io.stderr()).toContain(`GET http://127.0.0.1:${port}/api/v1/applications?limit=100: `);
    expect(io.stderr()).toContain('is driftless serve running there?');
  });

  it('prints tables shaped like argocd app list, get and history', () => {
    expect(
      listTable([WEB, PROD]),
    ).toBe(`NAME              CLUSTER                          NAMESPACE   PROJECT   STATUS      HEALTH    SYNCPOLICY   REPO                                                 PATH                     TARGET
argocd/web-dev    https://kubernetes.default.svc   web-dev     apps      Synced      Healthy   Auto-Prune   https://github.com/driftless-dev/gitops-config.git   apps/web/overlays/dev    main
argocd/web-prod   https://kubernetes.default.svc   web-prod    apps      OutOfSync   Missing   Manual       https://github.com/driftless-dev/gitops-config.git   apps/web/overlays/prod   v1.0.0
`);
    expect(describeApp(WEB)).toBe(`Name:               argocd/web-dev
Project:            apps
Server:             https://kubernetes.default.svc
Namespace:          web-dev
Repo:               https://github.com/driftless-dev/gitops-config.git
Target:             main
Path:               apps/web/overlays/dev
Sync Policy:        Auto-Prune
Sync Status:        Synced to main (aaa14f1)
Health Status:      Healthy

Operation:          Sync
Sync Revision:      aaa14f137681c94bce802bbf44d70d0d1f9f9129
Phase:              Succeeded
Start:              2026-11-26T08:00:00.000Z
Finished:           2026-11-26T08:00:02.000Z
Message:            successfully synced (all tasks run)

GROUP   KIND         NAMESPACE   NAME      STATUS   HEALTH
apps    Deployment   web-dev     dev-web   Synced   Healthy
`);
    expect(historyTable(WEB)).toBe(`ID   DATE                       REVISION
1    2026-11-25T10:00:00.000Z   1111111111111111111111111111111111111111
2    2026-11-26T08:00:02.000Z   aaa14f137681c94bce802bbf44d70d0d1f9f9129
`);
  });

  it('lists ApplicationSets as argocd appset list does, and -o json gives the API items', async () => {
    const io = captureIO();
    expect(await app(['appsets', '--server', url], io, {})).toBe(0);
    expect(io.stdout()).toBe(`NAME       NAMESPACE   PROJECT        SYNCPOLICY      CONDITIONS
web-envs   argocd      apps           create-update   ErrorOccurred=False,ResourcesUpToDate=True
previews   argocd      {{.project}}   sync
`);
    const json = captureIO();
    expect(await app(['appsets', '-o', 'json', '--server', url], json, {})).toBe(0);
    const items = (JSON.parse(json.stdout()) as { items: ApplicationSetView[] }).items;
    expect(items.map((s) => s.metadata.name)).toEqual(['web-envs', 'previews']);
  });

  it('shows one ApplicationSet with its conditions and generated apps', async () => {
    const io = captureIO();
    expect(await app(['appset', 'web-envs', '--server', url], io, {})).toBe(0);
    expect(io.stdout()).toBe(describeAppSet(WEB_ENVS));
    const yaml = captureIO();
    expect(await app(['appset', 'web-envs', '-o', 'yaml', '--server', url], yaml, {})).toBe(0);
    expect(yaml.stdout()).toContain('applicationsSync: create-update');
    expect(yaml.stdout()).toContain('name: web-prod');
  });

  it('says which ApplicationSet the server does not know', async () => {
    const io = captureIO();
    expect(await app(['appset', 'gone', '--server', url], io, {})).toBe(1);
    expect(io.stderr()).toBe(
      `driftless app appset: GET ${url}/api/v1/applicationsets/gone: 404 Not Found: applicationset "gone" not found\n`,
    );
  });

  it('prints ApplicationSet tables shaped like argocd appset list and get', () => {
    expect(appSetListTable([WEB_ENVS])).toBe(`NAME       NAMESPACE   PROJECT   SYNCPOLICY      CONDITIONS
web-envs   argocd      apps      create-update   ErrorOccurred=False,ResourcesUpToDate=True
`);
    expect(describeAppSet(WEB_ENVS)).toBe(`Name:               argocd/web-envs
Project:            apps
Sync Policy:        create-update
Reconciled:         2026-11-26T08:00:00.000Z

CONDITION           STATUS   REASON                   MESSAGE
ErrorOccurred       False    ApplicationSetUpToDate   All applications have been generated successfully
ResourcesUpToDate   True     ApplicationSetUpToDate   All applications have been generated successfully

NAMESPACE   NAME       STATUS      HEALTH
argocd      web-dev    Synced      Healthy
argocd      web-prod   OutOfSync   Missing
`);
  });
});
