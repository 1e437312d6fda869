import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { type AttributeValue, DynamoDBClient, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Application } from '../../../shared/model/argo-types.js';
import type { KubeObject } from '../../../shared/model/kube-object.js';
import {
  type AppRef,
  DynamoStateStore,
  type OperationSummary,
  type ResourceState,
  SECRET_MASK,
} from '../../../shared/state/index.js';
import {
  clientFor,
  createTestTable,
  type DynamoEndpoint,
  startDynalite,
  startDynamoLocal,
} from '../../support/dynamo/index.js';
import { FakeClock } from '../../support/fake-clock.js';
import { app as argoApplication } from '../../unit/sync/fixtures.js';

interface TestOperation extends OperationSummary {
  readonly step: number;
}

function application(name: string, repoURLs: readonly string[]): Application {
  const [first, ...rest] = repoURLs;
  return argoApplication(
    {
      ...(rest.length === 0
        ? { source: { repoURL: first ?? '', path: `apps/${name}`, targetRevision: 'HEAD' } }
        : {
            sources: repoURLs.map((repoURL) => ({ repoURL, path: `apps/${name}`, targetRevision: 'HEAD' })),
          }),
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
    },
    name,
  );
}

function operation(revision: string, phase = 'Running', step = 0): TestOperation {
  return { phase, revision, startedAt: '2026-01-01T00:00:00Z', step };
}

function configMap(name: string, payload: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'web' }, data: { payload } };
}

function resource(obj: KubeObject, syncStatus: ResourceState['syncStatus'] = 'Synced'): ResourceState {
  return {
    key: {
      group: '',
      kind: obj.kind,
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
    },
    desired: obj,
    live: obj,
    syncStatus,
    health: { status: 'Healthy' },
  };
}

/** Every attribute of every item, binary attributes gunzipped where they are gzip. */
async function rawTableText(client: DynamoDBClient, tableName: string): Promise<string> {
  const texts: string[] = [];
  const binaries: Uint8Array[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) {
      for (const value of Object.values(item)) {
        if (value.B) binaries.push(value.B);
        else texts.push(JSON.stringify(value));
      }
    }
    start = out.LastEvaluatedKey;
  } while (start);
  for (const bytes of binaries) {
    texts.push(Buffer.from(bytes).toString('latin1'));
    try {
      texts.push(gunzipSync(bytes).toString('utf8'));
    } catch {
      // a chunk in the middle of a gzip stream; the whole stream is checked below
    }
  }
  try {
    texts.push(gunzipSync(Buffer.concat(binaries)).toString('utf8'));
  } catch {
    // not one stream; individual items were decoded above
  }
  return texts.join('\n');
}

const backends: readonly [string, () => Promise<DynamoEndpoint>][] = [
  ['DynamoDB Local', startDynamoLocal],
  ['dynalite', () => startDynalite()],
];

describe.each(backends)('DynamoStateStore on %s', (_name, start) => {
  let server: DynamoEndpoint;
  let client: DynamoDBClient;
  let tableName: string;
  let clock: FakeClock;
  let store: DynamoStateStore;
  let counter = 0;
  const ref = (name: string): AppRef => ({ namespace: 'argocd', name });
  const uniqueName = (base: string) => `${base}-${++counter}`;

  beforeAll(async () => {
    server = await start();
    client = clientFor(server);
    tableName = await createTestTable(client);
    clock = new FakeClock({ start: '2026-01-01T00:00:00Z' });
    store = new DynamoStateStore({ client, tableName, clock });
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('creates, reads, updates with versions, lists in pages and deletes applications', async () => {
    const name = uniqueName('crud');
    const created = await store.putApplication({
      application: application(name, ['https://github.com/org/a']),
    });
    expect(created.version).toBe(1);
    expect((await store.getApplication(ref(name)))?.application.spec.source?.path).toBe(`apps/${name}`);

    await expect(
      store.putApplication({ application: application(name, ['https://github.com/org/a']) }),
    ).rejects.toMatchObject({ code: 'STATE_CONFLICT' });

    const renamed = application(name, ['https://github.com/org/b']);
    const second = await store.putApplication({ application: renamed, expectedVersion: 1 });
    expect(second.version).toBe(2);
    await expect(store.putApplication({ application: renamed, expectedVersion: 1 })).rejects.toMatchObject({
      code: 'STATE_CONFLICT',
    });

    const withStatus = await store.updateStatus({
      ref: ref(name),
      expectedVersion: 2,
      status: { sync: { status: 'OutOfSync', revision: 'abc' }, health: { status: 'Healthy' } },
    });
    expect(withStatus.version).toBe(3);
    await expect(
      store.updateStatus({ ref: ref(name), expectedVersion: 2, status: {} }),
    ).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    expect((await store.getApplication(ref(name)))?.status.sync?.status).toBe('OutOfSync');

    const listed = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.listApplications({ limit: 2, cursor });
      for (const app of page.items) listed.add(app.ref.name);
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 100);
    expect(listed.has(name)).toBe(true);

    const op = await store.beginOperation({
      app: ref(name),
      operation: operation('r1'),
      owner: 'w',
      leaseMs: 1000,
    });
    await store.finishOperation({ lease: op.lease, operation: operation('r1', 'Succeeded') });
    await store.putResources({ app: ref(name), resources: [resource(configMap('cm', 'x'))] });

    await store.deleteApplication({ ref: ref(name) });
    expect(await store.getApplication(ref(name))).toBeUndefined();
    expect(await store.getOperation(ref(name))).toBeUndefined();
    expect(await store.listHistory(ref(name))).toEqual([]);
    expect((await store.getResources(ref(name))).resources).toEqual([]);
    expect(await store.listByRepo('https://github.com/org/b')).not.toContainEqual(
      expect.objectContaining({ ref: ref(name) }),
    );
  });

  it('lists the apps of a repository whatever the URL form, following repoURL changes', async () => {
    const n = ++counter;
    const repo = `github.com/org/routing-${n}`;
    const a = uniqueName('route-a');
    const b = uniqueName('route-b');
    const multi = uniqueName('route-multi');
    const other = uniqueName('route-other');
    await store.putApplication({ application: application(a, [`https://GitHub.com/Org/routing-${n}.git`]) });
    await store.putApplication({ application: application(b, [`git@github.com:org/routing-${n}`]) });
    await store.putApplication({
      application: application(multi, [
        'https://charts.example.com/x',
        `ssh://git@github.com/${repo.slice(11)}.git`,
      ]),
    });
    await store.putApplication({ application: application(other, ['https://github.com/org/elsewhere']) });

    const names = async () => (await store.listByRepo(`https://${repo}`)).map((app) => app.ref.name);
    expect(await names()).toEqual([a, b, multi].sort());

    await store.putApplication({
      application: application(a, ['https://github.com/org/elsewhere']),
      expectedVersion: 1,
    });
    expect(await names()).toEqual([b, multi].sort());
    const links = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :r)',
        ExpressionAttributeValues: { ':pk': { S: `APP#argocd/${a}` }, ':r': { S: 'REPO#' } },
      }),
    );
    expect(links.Items?.map((item) => item.sk?.S)).toEqual(['REPO#github.com/org/elsewhere']);
    expect(
      (await store.listByRepo('https://github.com/org/elsewhere/')).map((app) => app.ref.name).sort(),
    ).toEqual([a, other].sort());
  });

  it('lets exactly one of ten concurrent operations begin', async () => {
    const app = ref(uniqueName('race'));
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        store.beginOperation({
          app,
          operation: operation(`rev-${i}`),
          owner: `worker-${i}`,
          leaseMs: 60_000,
        }),
      ),
    );
    const winners = attempts.filter((a) => a.status === 'fulfilled');
    const losers = attempts.filter((a) => a.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers.map((l) => (l.reason as { code?: string }).code)).toEqual(Array(9).fill('STATE_CONFLICT'));
    const winner = attempts.indexOf(winners[0]!);
    const stored = await store.getOperation<TestOperation>(app);
    expect(stored?.owner).toBe(`worker-${winner}`);
    expect(stored?.operation.revision).toBe(`rev-${winner}`);
  });

  it('hands an expired lease to the next worker and shuts the old holder out', async () => {
    const app = ref(uniqueName('lease'));
    const first = await store.beginOperation({
      app,
      operation: operation('r1'),
      owner: 'w1',
      leaseMs: 60_000,
    });
    expect(first.kind).toBe('started');
    await clock.advance(30_000);
    await expect(
      store.beginOperation({ app, operation: operation('r2'), owner: 'w2', leaseMs: 60_000 }),
    ).rejects.toMatchObject({ code: 'STATE_CONFLICT', retryable: true });

    const renewed = await store.updateOperation({
      lease: first.lease,
      operation: operation('r1', 'Running', 1),
      leaseMs: 60_000,
    });
    await clock.advance(59_000);
    await expect(
      store.beginOperation({ app, operation: operation('r2'), owner: 'w2', leaseMs: 60_000 }),
    ).rejects.toMatchObject({ code: 'STATE_CONFLICT' });

    await clock.advance(2_000);
    const second = await store.beginOperation({
      app,
      operation: operation('r2'),
      owner: 'w2',
      leaseMs: 60_000,
    });
    expect(second.kind).toBe('took-over');
    if (second.kind === 'took-over') {
      expect(second.abandoned.operation).toMatchObject({ revision: 'r1', step: 1 });
    }
    await expect(
      store.updateOperation({ lease: renewed, operation: operation('r1', 'Running', 2) }),
    ).rejects.toMatchObject({ code: 'STATE_CONFLICT', retryable: false });
    await store.updateOperation({ lease: second.lease, operation: operation('r2', 'Running', 1) });
    expect((await store.getOperation<TestOperation>(app))?.operation).toMatchObject({
      revision: 'r2',
      step: 1,
    });
  });

  it('refuses an update that presents a stale version of its own lease', async () => {
    const app = ref(uniqueName('stale'));
    const { lease } = await store.beginOperation({
      app,
      operation: operation('r1'),
      owner: 'w',
      leaseMs: 60_000,
    });
    const next = await store.updateOperation({ lease, operation: operation('r1', 'Running', 1) });
    expect(next.version).toBe(lease.version + 1);
    await expect(
      store.updateOperation({ lease, operation: operation('r1', 'Running', 9) }),
    ).rejects.toMatchObject({
      code: 'STATE_CONFLICT',
    });
    await expect(
      store.finishOperation({ lease, operation: operation('r1', 'Succeeded') }),
    ).rejects.toMatchObject({
      code: 'STATE_CONFLICT',
    });
    expect((await store.getOperation<TestOperation>(app))?.operation.step).toBe(1);
  });

  it('parks a released operation so only resume, not a new begin, picks it up', async () => {
    const app = ref(uniqueName('resume'));
    const { lease } = await store.beginOperation({
      app,
      operation: operation('r1'),
      owner: 'w1',
      leaseMs: 60_000,
    });
    await store.updateOperation({
      lease,
      operation: operation('r1', 'Running', 3),
      release: true,
      leaseMs: 120_000,
    });
    await expect(
      store.beginOperation({ app, operation: operation('r2'), owner: 'w2', leaseMs: 60_000 }),
    ).rejects.toMatchObject({ code: 'STATE_CONFLICT' });
    const resumed = await store.resumeOperation<TestOperation>({ app, owner: 'w2', leaseMs: 60_000 });
    expect(resumed.operation).toMatchObject({ revision: 'r1', step: 3 });
    await expect(store.resumeOperation({ app, owner: 'w3', leaseMs: 60_000 })).rejects.toMatchObject({
      code: 'STATE_CONFLICT',
    });
    const entry = await store.finishOperation({
      lease: resumed.lease,
      operation: operation('r1', 'Succeeded', 4),
    });
    expect(entry).toMatchObject({ id: 1, revision: 'r1', phase: 'Succeeded' });
  });

  it('keeps history newest first and trims it to the limit', async () => {
    const app = ref(uniqueName('history'));
    for (let i = 1; i <= 5; i++) {
      const { lease } = await store.beginOperation({
        app,
        operation: operation(`r${i}`),
        owner: 'w',
        leaseMs: 1000,
      });
      const done = {
        ...operation(`r${i}`, i === 3 ? 'Failed' : 'Succeeded'),
        finishedAt: '2026-01-01T00:01:00Z',
      };
      await store.finishOperation({ lease, operation: done, historyLimit: 3 });
    }
    const history = await store.listHistory<TestOperation>(app);
    expect(history.map((h) => [h.id, h.revision, h.phase])).toEqual([
      [5, 'r5', 'Succeeded'],
      [4, 'r4', 'Succeeded'],
      [3, 'r3', 'Failed'],
    ]);
    const current = await store.getOperation(app);
    expect(current?.operation.phase).toBe('Succeeded');
    expect(current?.owner).toBeUndefined();
  });

  it('writes only the resources that changed', async () => {
    const app = ref(uniqueName('delta'));
    const resources = Array.from({ length: 40 }, (_, i) => resource(configMap(`cm-${i}`, `v${i}`)));
    const before = store.counters().itemsWritten;
    const first = await store.putResources({ app, resources });
    expect(first).toMatchObject({ version: 1, written: 40, deleted: 0 });
    expect(store.counters().itemsWritten - before).toBe(41);

    const again = store.counters().itemsWritten;
    expect(await store.putResources({ app, resources })).toMatchObject({
      version: 1,
      written: 0,
      unchanged: 40,
    });
    expect(store.counters().itemsWritten).toBe(again);

    const edited = resources
      .slice(0, 39)
      .map((r, i) => (i === 7 ? resource(configMap('cm-7', 'changed'), 'OutOfSync') : r));
    const third = store.counters().itemsWritten;
    expect(await store.putResources({ app, resources: edited })).toMatchObject({
      version: 2,
      written: 1,
      deleted: 1,
    });
    expect(store.counters().itemsWritten - third).toBe(3);

    const stored = await store.getResources(app);
    expect(stored.version).toBe(2);
    expect(stored.resources).toHaveLength(39);
    const cm7 = stored.resources.find((r) => r.key.name === 'cm-7');
    expect(cm7?.syncStatus).toBe('OutOfSync');
    expect(cm7?.desired?.data).toEqual({ payload: 'changed' });

    await expect(store.putResources({ app, resources, expectedVersion: 1 })).rejects.toMatchObject({
      code: 'STATE_CONFLICT',
    });
  });

  it('round-trips an app of 5,000 resources', async () => {
    const app = ref(uniqueName('big-app'));
    const resources = Array.from({ length: 5000 }, (_, i) => ({
      ...resource(configMap(`cm-${String(i).padStart(4, '0')}`, `value ${i}`)),
      driftedFields: i % 100 === 0 ? ['.data.payload'] : undefined,
    }));
    const result = await store.putResources({ app, resources });
    expect(result.written).toBe(5000);
    const stored = await store.getResources(app);
    expect(stored.resources).toHaveLength(5000);
    const byName = new Map(stored.resources.map((r) => [r.key.name, r]));
    expect(byName.get('cm-4999')?.live).toEqual(configMap('cm-4999', 'value 4999'));
    expect(byName.get('cm-0100')?.driftedFields).toEqual(['.data.payload']);
    expect(await store.putResources({ app, resources })).toMatchObject({ written: 0, unchanged: 5000 });
  });

  it('splits a 1 MB manifest across chunk items and drops them when it shrinks', async () => {
    const app = ref(uniqueName('huge'));
    const payload = randomBytes(768 * 1024).toString('base64');
    expect(payload.length).toBeGreaterThan(1_000_000);
    const big = configMap('huge', payload);
    await store.putResources({ app, resources: [resource(big)] });
    const [stored] = (await store.getResources(app)).resources;
    expect(stored?.desired).toEqual(big);
    expect(stored?.live).toEqual(big);

    const chunkCount = async () => {
      let count = 0;
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
            ExpressionAttributeValues: { ':pk': { S: `APP#argocd/${app.name}` }, ':c': { S: 'CHUNK#' } },
            ProjectionExpression: 'sk',
            ExclusiveStartKey: startKey,
          }),
        );
        count += out.Items?.length ?? 0;
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return count;
    };
    expect(await chunkCount()).toBeGreaterThanOrEqual(6);
    const beforeHealthChange = store.counters().itemsWritten;
    await store.putResources({ app, resources: [{ ...resource(big), health: { status: 'Progressing' } }] });
    expect(store.counters().itemsWritten - beforeHealthChange).toBe(2);
    expect((await store.getResources(app)).resources[0]?.health?.status).toBe('Progressing');
    await store.putResources({ app, resources: [resource(configMap('huge', 'small now'))] });
    expect(await chunkCount()).toBe(0);
    expect((await store.getResources(app)).resources[0]?.desired?.data).toEqual({ payload: 'small now' });
  });

  it('never stores Secret values, only a hash that still detects their change', async () => {
    const app = ref(uniqueName('secret'));
    const plain = 'hunter2-correct-horse-battery';
    const secret = (value: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'web',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            stringData: { password: value },
          }),
        },
      },
      type: 'Opaque',
      data: { password: Buffer.from(value).toString('base64') },
      stringData: { token: value },
    });
    await store.putResources({ app, resources: [resource(secret(plain))] });
    const raw = await rawTableText(client, tableName);
    expect(raw).toContain('Secret');
    expect(raw).not.toContain(plain);
    expect(raw).not.toContain(Buffer.from(plain).toString('base64'));

    const [stored] = (await store.getResources(app)).resources;
    expect(stored?.desired?.data).toEqual({ password: SECRET_MASK });
    expect(stored?.secretHash?.desired).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.putResources({ app, resources: [resource(secret(plain))] })).toMatchObject({
      written: 0,
    });
    expect(await store.putResources({ app, resources: [resource(secret('rotated'))] })).toMatchObject({
      written: 1,
    });
  });

  it('reaches the server through AWS_ENDPOINT_URL when the client names no endpoint', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: server.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const envClient = new DynamoDBClient({});
    try {
      const envStore = new DynamoStateStore({ client: envClient, tableName, clock });
      const id = `gitlab:${uniqueName('env')}`;
      expect(await envStore.recordDelivery({ id })).toBe('new');
      expect(await store.recordDelivery({ id })).toBe('duplicate');
    } finally {
      envClient.destroy();
      process.env = saved;
    }
  });

  it('recognises a webhook delivery seen within its TTL', async () => {
    const id = `github:${uniqueName('delivery')}`;
    expect(await store.recordDelivery({ id })).toBe('new');
    expect(await store.recordDelivery({ id })).toBe('duplicate');
    await clock.advance(24 * 60 * 60 * 1000 + 1000);
    expect(await store.recordDelivery({ id })).toBe('new');
    expect(await store.recordDelivery({ id: `${id}-other`, ttlSeconds: 60 })).toBe('new');
  });
});
