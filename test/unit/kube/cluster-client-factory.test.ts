import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DescribeClusterCommand, ResourceNotFoundException } from '@aws-sdk/client-eks';
import type { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDriftlessError } from '../../../shared/errors/index.js';
import * as k from '../../../shared/kube/index.js';
import { FakeClock } from '../../support/fake-clock.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A self-signed certificate for 127.0.0.1, so EKS connections run over real TLS with caData. */
function selfSignedCertificate(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kube-tls-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1']
        .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1'])
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1']),
      { stdio: 'ignore' },
    );
    return {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface VersionServers {
  readonly http: Server;
  readonly https: Server;
  /** Plain HTTP endpoint (clients must set insecure). */
  readonly url: string;
  /** TLS endpoint signed by `caPem`. */
  readonly tlsUrl: string;
  readonly caPem: string;
  readonly authorizations: string[];
}

/** Loopback API servers that answer /version and remember each Authorization header. */
async function startVersionServers(): Promise<VersionServers> {
  const authorizations: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    authorizations.push(req.headers.authorization ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ major: '1', minor: '35', gitVersion: 'v1.35.2-eks-1a2b3c' }));
  };
  const { cert, key } = selfSignedCertificate();
  const http = createServer(handler).listen(0, '127.0.0.1');
  const https = createHttpsServer({ cert, key }, handler).listen(0, '127.0.0.1');
  await Promise.all([once(http, 'listening'), once(https, 'listening')]);
  return {
    http,
    https,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    tlsUrl: `https://127.0.0.1:${(https.address() as AddressInfo).port}`,
    caPem: cert,
    authorizations,
  };
}

function decodeToken(authorization: string | undefined): URLSearchParams {
  const token = (authorization ?? '').replace(/^Bearer /, '');
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  return new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString()).searchParams;
}

describe('ClusterClientFactory', () => {
  let api: VersionServers;

  beforeAll(async () => {
    api = await startVersionServers();
  });
  afterAll(() => {
    api.http.close();
    api.https.close();
  });

  // AWS cannot run here: these two objects stand in for the SDK clients behind the same `send`.
  const eks = {
    async send(command: DescribeClusterCommand) {
      if (command.input.name !== 'prod') {
        throw new ResourceNotFoundException({
          message: `No cluster found for name: ${command.input.name}.`,
          $metadata: { httpStatusCode: 404 },
        });
      }
      return {
        $metadata: {},
        cluster: {
          name: 'prod',
          status: 'ACTIVE' as const,
          endpoint: api.tlsUrl,
          certificateAuthority: { data: b64(api.caPem) },
        },
      };
    },
  };

  it('connects to an EKS cluster found by DescribeCluster with a renewing IAM token', async () => {
    const clock = new FakeClock({ start: '2026-11-26T09:00:00Z' });
    const sts = {
      async send(command: AssumeRoleCommand) {
        expect(command.input.RoleArn).toBe('arn:aws:iam::111122223333:role/deployer');
        return {
          $metadata: {},
          Credentials: {
            AccessKeyId: 'ASIAROLE',
            SecretAccessKey: 'role-secret',
            SessionToken: 'role-session',
            Expiration: new Date(clock.now().getTime() + 3_600_000),
          },
        };
      },
    };
    const cluster = await k.eksCluster({
      eks,
      clusterName: 'prod',
      region: 'us-west-2',
      roleArn: 'arn:aws:iam::111122223333:role/deployer',
    });
    const registry = new k.ClusterRegistry({ clusters: [cluster] });
    const factory = new k.ClusterClientFactory({
      clock,
      aws: {
        credentials: async () => ({ accessKeyId: 'AKIDOWN', secretAccessKey: 'own' }),
        stsFor: () => sts,
      },
    });
    const client = await factory.clientFor(registry.resolve({ server: api.tlsUrl }));
    expect(await factory.clientFor(registry.resolve({ name: 'prod' }))).toBe(client);

    api.authorizations.length = 0;
    expect(await client.version()).toBe('v1.35.2-eks-1a2b3c');
    const first = decodeToken(api.authorizations[0]);
    expect(first.get('X-Amz-Credential')).toBe('ASIAROLE/20261126/us-west-2/sts/aws4_request');
    expect(first.get('X-Amz-Security-Token')).toBe('role-session');
    expect(first.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(first.get('X-Amz-Date')).toBe('20261126T090000Z');

    await clock.advance(9 * 60_000);
    await client.version();
    expect(api.authorizations[1]).toBe(api.authorizations[0]);

    await clock.advance(60_000);
    await client.version();
    expect(api.authorizations[2]).not.toBe(api.authorizations[0]);
    expect(decodeToken(api.authorizations[2]).get('X-Amz-Date')).toBe('20261126T091000Z');
  });

  it('reports an EKS cluster that does not exist, and EKS without AWS access', async () => {
    const plain = await new k.ClusterClientFactory({
      clock: new FakeClock({ start: '2026-11-26T09:00:00Z' }),
    })
      .clientFor({
        name: 'plain-http',
        server: api.url,
        connect: { kind: 'bearer', bearerToken: 't', tls: {} },
      })
      .then((c) => c.version())
      .catch((e: unknown) => e);
    // client-node refuses plain HTTP unless TLS verification is explicitly off; no retry will fix that.
    expect(isDriftlessError(plain, 'KUBE_API') && !plain.retryable).toBe(true);

    const missing = await k
      .eksCluster({ eks, clusterName: 'nope', region: 'us-west-2' })
      .catch((e: unknown) => e);
    expect(isDriftlessError(missing, 'CLUSTER_NOT_FOUND')).toBe(true);
    expect((missing as Error).message).toMatch(/EKS cluster "nope" in us-west-2: No cluster found/);

    const cluster = await k.eksCluster({ eks, clusterName: 'prod', region: 'us-west-2' });
    const factory = new k.ClusterClientFactory({ clock: new FakeClock({ start: '2026-11-26T09:00:00Z' }) });
    const error = await factory.clientFor(cluster).catch((e: unknown) => e);
    expect(isDriftlessError(error, 'CLUSTER_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(/connects through EKS but no AWS access is configured/);
  });

  it('sends the bearer token of an Argo CD cluster Secret and renews the client when it rotates', async () => {
    const secret = (token: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'c1', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      stringData: {
        name: 'c1',
        server: api.url,
        config: JSON.stringify({ bearerToken: token, tlsClientConfig: { insecure: true } }),
      },
    });
    const factory = new k.ClusterClientFactory({ clock: new FakeClock({ start: '2026-11-26T09:00:00Z' }) });
    api.authorizations.length = 0;
    const first = await factory.clientFor(k.clusterFromSecret(secret('first-token')));
    await first.version();
    const rotated = await factory.clientFor(k.clusterFromSecret(secret('second-token')));
    await rotated.version();
    expect(rotated).not.toBe(first);
    expect(api.authorizations).toEqual(['Bearer first-token', 'Bearer second-token']);
  });

  it('maps a refused connection to a retryable KUBE_API error naming the call', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const factory = new k.ClusterClientFactory({ clock: new FakeClock({ start: '2026-11-26T09:00:00Z' }) });
    const client = await factory.clientFor({
      name: 'down',
      server: `http://127.0.0.1:${port}`,
      connect: { kind: 'bearer', bearerToken: 't', tls: { insecure: true } },
    });
    const error = await client
      .get('v1', { group: '', kind: 'ConfigMap', namespace: 'web', name: 'settings' })
      .catch((e: unknown) => e);
    expect(isDriftlessError(error, 'KUBE_API')).toBe(true);
    if (isDriftlessError(error)) {
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/^get ConfigMap web\/settings: discover \/api\/v1: .*ECONNREFUSED/);
    }
  });
});
