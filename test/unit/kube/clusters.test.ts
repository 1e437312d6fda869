import { describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import { clusterFromSecret, regionOfEksServer } from '../../../shared/kube/argocd-cluster-secret.js';
import type { Cluster } from '../../../shared/kube/cluster.js';
import { ClusterRegistry } from '../../../shared/kube/cluster-registry.js';
import type { KubeObject } from '../../../shared/model/kube-object.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function clusterSecret(name: string, values: Record<string, string>, asStringData = false): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
    type: 'Opaque',
    ...(asStringData
      ? { stringData: values }
      : { data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, b64(v)])) }),
  };
}

function expectError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isDriftlessError(e)).toBe(true);
    if (isDriftlessError(e)) {
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
    }
    return;
  }
  expect.fail('expected an error');
}

describe('Argo CD cluster Secret', () => {
  it('reads a bearer-token cluster with TLS material, namespaces and cluster resources', () => {
    const config = {
      bearerToken: 'tok',
      tlsClientConfig: { insecure: false, caData: b64('CA PEM'), serverName: 'api.internal' },
    };
    const cluster = clusterFromSecret(
      clusterSecret('staging', {
        name: 'staging',
        server: 'https://staging.example.com:6443/',
        namespaces: 'web, jobs ,',
        clusterResources: 'true',
        project: 'platform',
        config: JSON.stringify(config),
      }),
    );
    expect(cluster).toEqual({
      name: 'staging',
      server: 'https://staging.example.com:6443',
      namespaces: ['web', 'jobs'],
      clusterResources: true,
      project: 'platform',
      connect: { kind: 'bearer', bearerToken: 'tok', tls: config.tlsClientConfig },
    });
  });

  it('reads stringData as written in git', () => {
    const cluster = clusterFromSecret(
      clusterSecret(
        'dev',
        { name: 'dev', server: 'https://dev.example.com', config: '{"bearerToken":"x"}' },
        true,
      ),
    );
    expect(cluster.connect).toEqual({ kind: 'bearer', bearerToken: 'x', tls: {} });
  });

  it('turns awsAuthConfig into an EKS connect with the region taken from the endpoint', () => {
    const server = 'https://0123456789ABCDEF.gr7.eu-central-1.eks.amazonaws.com';
    const cluster = clusterFromSecret(
      clusterSecret('prod', {
        name: 'prod',
        server,
        config: JSON.stringify({
          awsAuthConfig: { clusterName: 'prod-eks', roleARN: 'arn:aws:iam::111122223333:role/deployer' },
          tlsClientConfig: { caData: b64('CA') },
        }),
      }),
    );
    expect(cluster.connect).toEqual({
      kind: 'eks',
      clusterName: 'prod-eks',
      region: 'eu-central-1',
      roleArn: 'arn:aws:iam::111122223333:role/deployer',
      tls: { caData: b64('CA') },
    });
    expect(regionOfEksServer('https://ABC.yl4.cn-north-1.eks.amazonaws.com.cn')).toBe('cn-north-1');
    expect(regionOfEksServer('https://kubernetes.default.svc')).toBeUndefined();
  });

  it('names the Secret and field at fault', () => {
    expectError(
      () => clusterFromSecret(clusterSecret('broken', { name: 'x' })),
      'INVALID_MANIFEST',
      /Secret argocd\/broken: data\.server is required/,
    );
    expectError(
      () => clusterFromSecret(clusterSecret('badjson', { server: 'https://a', config: '{nope' })),
      'INVALID_MANIFEST',
      /Secret argocd\/badjson: data\.config is not valid JSON/,
    );
    expectError(
      () =>
        clusterFromSecret(
          clusterSecret('noregion', {
            server: 'https://private.example',
            config: '{"awsAuthConfig":{"clusterName":"c"}}',
          }),
        ),
      'INVALID_MANIFEST',
      /Secret argocd\/noregion: cannot tell the AWS region/,
    );
    const unlabelled = {
      ...clusterSecret('plain', { server: 'https://a' }),
      metadata: { name: 'plain', namespace: 'argocd' },
    };
    expectError(
      () => clusterFromSecret(unlabelled),
      'INVALID_MANIFEST',
      /not labelled argocd\.argoproj\.io\/secret-type: cluster/,
    );
  });
});

describe('ClusterRegistry', () => {
  const bearer = { kind: 'bearer', bearerToken: 't', tls: {} } as const;
  const east: Cluster = { name: 'east', server: 'https://east.example.com', connect: bearer };
  const west: Cluster = { name: 'west', server: 'https://west.example.com/', connect: bearer };

  it('resolves by server (trailing slash ignored) and by name, with in-cluster by default', () => {
    const registry = new ClusterRegistry({ clusters: [east, west] });
    expect(registry.resolve({ server: 'https://east.example.com/' }).name).toBe('east');
    expect(registry.resolve({ name: 'west' }).server).toBe('https://west.example.com');
    expect(registry.resolve({ name: 'in-cluster' }).server).toBe('https://kubernetes.default.svc');
    expect(registry.resolve({ server: 'https://kubernetes.default.svc' }).connect).toEqual({
      kind: 'service-account',
    });
  });

  it('lets a configured cluster replace in-cluster, or in-cluster be disabled', () => {
    const home: Cluster = { name: 'home', server: 'https://kubernetes.default.svc', connect: bearer };
    const replaced = new ClusterRegistry({ clusters: [home] });
    expect(replaced.resolve({ server: 'https://kubernetes.default.svc' }).name).toBe('home');
    expectError(
      () => replaced.resolve({ name: 'in-cluster' }),
      'CLUSTER_NOT_FOUND',
      /"in-cluster": there are no clusters/,
    );
    const disabled = new ClusterRegistry({ clusters: [east], inCluster: false });
    expectError(
      () => disabled.resolve({ server: 'https://kubernetes.default.svc' }),
      'CLUSTER_NOT_FOUND',
      /destination server "https:\/\/kubernetes\.default\.svc"/,
    );
  });

  it('follows Argo CD on ambiguous and unknown destinations', () => {
    const twin: Cluster = { name: 'east', server: 'https://east-2.example.com', connect: bearer };
    const registry = new ClusterRegistry({ clusters: [east, west, twin] });
    expectError(
      () => registry.resolve({ name: 'east' }),
      'CLUSTER_NOT_FOUND',
      /there are 2 clusters with this name/,
    );
    expectError(
      () => registry.resolve({ name: 'nowhere' }),
      'CLUSTER_NOT_FOUND',
      /destination name "nowhere"/,
    );
    expectError(
      () => registry.resolve({ server: 'https://gone.example.com' }),
      'CLUSTER_NOT_FOUND',
      /gone\.example\.com/,
    );
    expectError(
      () => registry.resolve({ name: 'east', server: east.server }),
      'INVALID_MANIFEST',
      /both name and server/,
    );
    expectError(() => registry.resolve({}), 'INVALID_MANIFEST', /either server or name/);
  });

  it('refuses two clusters declaring the same server', () => {
    const copy: Cluster = { ...east, name: 'east-copy' };
    expectError(
      () => new ClusterRegistry({ clusters: [east, copy] }),
      'INVALID_MANIFEST',
      /"east" and "east-copy" both declare/,
    );
  });
});
