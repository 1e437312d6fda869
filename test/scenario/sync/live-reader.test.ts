/**
 * readLive on the emulator: groups of three or more objects of a kind in a namespace are LISTed,
 * smaller ones are GETs, and every object is found under the key its target asked with.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ResourceKey } from '../../../shared/model/kube-object.js';
import { keyString } from '../../../shared/model/kube-object.js';
import { readLive } from '../../../shared/sync/live-reader.js';
import { type Cluster, startCluster } from './sync-harness.js';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  const { client } = cluster;
  await client.apply(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'reads' } },
    { fieldManager: 't' },
  );
  for (const name of ['a', 'b', 'c', 'lone']) {
    const kind = name === 'lone' ? 'Secret' : 'ConfigMap';
    await client.apply(
      { apiVersion: 'v1', kind, metadata: { name, namespace: 'reads' } },
      { fieldManager: 't' },
    );
  }
});

afterAll(async () => {
  await cluster?.stop();
});

const key = (kind: string, namespace: string, name: string): ResourceKey => ({
  group: '',
  kind,
  namespace,
  name,
});

it('lists groups, gets the rest, and answers under the keys it was asked with', async () => {
  // A cluster-scoped Namespace asked for with a namespace, as for an object of unknown scope.
  const namespaceAskedInNamespace = key('Namespace', 'reads', 'reads');
  const targets = [
    ...['a', 'b', 'c', 'gone'].map((name) => ({ apiVersion: 'v1', key: key('ConfigMap', 'reads', name) })),
    { apiVersion: 'v1', key: key('Secret', 'reads', 'lone') },
    { apiVersion: 'v1', key: namespaceAskedInNamespace },
    { apiVersion: 'v1', key: key('Namespace', '', 'reads') },
  ];
  cluster.emulator.resetRequests();
  const read = await readLive({ kube: cluster.client, targets });
  expect([...read.objects.keys()].sort()).toEqual(
    [
      key('ConfigMap', 'reads', 'a'),
      key('ConfigMap', 'reads', 'b'),
      key('ConfigMap', 'reads', 'c'),
      key('Secret', 'reads', 'lone'),
      namespaceAskedInNamespace,
      key('Namespace', '', 'reads'),
    ]
      .map(keyString)
      .sort(),
  );
  expect(read.objects.get(keyString(namespaceAskedInNamespace))?.metadata.name).toBe('reads');
  expect({ lists: read.lists, gets: read.gets }).toEqual({ lists: 1, gets: 2 });
  const verbs = cluster.emulator.requests.filter((r) => r.verb === 'get' || r.verb === 'list');
  expect(verbs.map((r) => `${r.verb} ${r.resource}`).sort()).toEqual([
    'get namespaces',
    'get secrets',
    'list configmaps',
  ]);
});
