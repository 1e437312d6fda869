/**
 * ApplicationSet status items on dynalite: created once, replaced only at the version read,
 * listed without touching Application items, deleted, and read back by a second store on the
 * same table (what a cold Lambda sees).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppSetStatusRecord, DynamoStateStore } from '../../../shared/state/index.js';
import {
  clientFor,
  createTestTable,
  type DynamoEndpoint,
  startDynalite,
} from '../../support/dynamo/index.js';
import { FakeClock } from '../../support/fake-clock.js';
import { app as argoApplication } from '../../unit/sync/fixtures.js';

function statusOf(error: boolean, applications: readonly string[], at: string): AppSetStatusRecord {
  return {
    conditions: [
      {
        type: 'ErrorOccurred',
        status: error ? 'True' : 'False',
        reason: error ? 'ApplicationParamsGenerationError' : 'ApplicationSetUpToDate',
        message: error ? 'git generator: repository not found' : 'ok',
        lastTransitionTime: at,
      },
    ],
    applications,
    reconciledAt: at,
  };
}

const manifest = (name: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'ApplicationSet',
  metadata: { name, namespace: 'argocd' },
  spec: { generators: [{ list: { elements: [{ env: 'dev' }] } }] },
});

describe('ApplicationSet status items', () => {
  let server: DynamoEndpoint;
  let client: DynamoDBClient;
  let tableName: string;
  let store: DynamoStateStore;

  beforeAll(async () => {
    server = await startDynalite();
    client = clientFor(server);
    tableName = await createTestTable(client);
    store = new DynamoStateStore({
      client,
      tableName,
      clock: new FakeClock({ start: '2026-01-01T00:00:00Z' }),
    });
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('creates once, updates at the version read, and a second store reads the same status', async () => {
    const first = await store.putAppSetStatus({
      name: 'envs',
      applicationSet: manifest('envs'),
      status: statusOf(false, ['envs-dev'], '2026-01-01T00:00:00.000Z'),
    });
    expect(first.version).toBe(1);
    await expect(
      store.putAppSetStatus({ name: 'envs', applicationSet: manifest('envs'), status: first.status }),
    ).rejects.toMatchObject({ code: 'STATE_CONFLICT' });

    const second = await store.putAppSetStatus({
      name: 'envs',
      applicationSet: manifest('envs'),
      status: statusOf(true, ['envs-dev'], '2026-01-01T00:05:00.000Z'),
      expectedVersion: first.version,
    });
    expect(second.version).toBe(2);
    await expect(
      store.putAppSetStatus({
        name: 'envs',
        applicationSet: manifest('envs'),
        status: first.status,
        expectedVersion: first.version,
      }),
    ).rejects.toThrow(/applicationset envs: status was changed since version 1/);

    const cold = new DynamoStateStore({ client, tableName });
    const read = await cold.getAppSetStatus('envs');
    expect(read?.version).toBe(2);
    expect(read?.status.conditions[0]).toMatchObject({
      status: 'True',
      reason: 'ApplicationParamsGenerationError',
    });
    expect(read?.applicationSet).toEqual(manifest('envs'));
  });

  it('lists ApplicationSets apart from Applications, and deletes one', async () => {
    await store.putApplication({ application: argoApplication() });
    await store.putAppSetStatus({
      name: 'previews',
      applicationSet: manifest('previews'),
      status: statusOf(false, [], '2026-01-01T00:00:00.000Z'),
    });
    expect((await store.listAppSetStatuses()).map((s) => s.name)).toEqual(['envs', 'previews']);
    await store.deleteAppSetStatus({ name: 'previews' });
    expect(await store.getAppSetStatus('previews')).toBeUndefined();
    expect((await store.listAppSetStatuses()).map((s) => s.name)).toEqual(['envs']);
    expect((await store.listApplications()).items).toHaveLength(1);
  });
});
