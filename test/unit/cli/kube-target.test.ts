/**
 * The CLI's cluster targets for EKS cluster Secrets, with the real AWS SDK wiring. AWS itself is
 * not reachable here: credentials come from the SDK's default chain fed by environment variables
 * or a shared credentials file, the IAM token is signed locally, and the "cluster" and the EKS API
 * (through AWS_ENDPOINT_URL) are loopback servers that record what reached them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KubeTargets } from '../../../cli/kube-target.js';
import type { Application, ClusterSecret } from '../../../shared/model/argo-types.js';

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

interface Loopback {
  readonly url: string;
  readonly requests: Recorded[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 answering every request with `answer(path)` as JSON. */
async function loopback(answer: (path: string) => { status: number; body: unknown }): Promise<Loopback> {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const { status, body } = answer(req.url ?? '');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function eksSecret(server: string, config: Partial<ClusterSecret['config']> = {}): ClusterSecret {
  return {
    secretName: 'cluster-prod',
    name: 'prod',
    server,
    namespaces: [],
    clusterResources: false,
    config: { awsAuthConfig: { clusterName: 'prod-eks' }, tlsClientConfig: { insecure: true }, ...config },
    labels: {},
    annotations: {},
  };
}

function appFor(server: string): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd' },
    spec: { project: 'default', destination: { server, namespace: 'web' } },
  };
}

/** The presigned STS URL inside an EKS bearer token. */
function presignedUrl(authorization: string | undefined): URL {
  const token = /^Bearer k8s-aws-v1\.(.+)$/.exec(authorization ?? '')?.[1];
  if (token === undefined) throw new Error(`not an EKS token: ${authorization}`);
  return new URL(Buffer.from(token, 'base64url').toString('utf8'));
}

const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_EKS',
  'AWS_EC2_METADATA_DISABLED',
];

describe('KubeTargets with EKS cluster Secrets', () => {
  let cluster: Loopback;
  let dir: string;
  const saved = new Map<string, string | undefined>();

  beforeAll(async () => {
    cluster = await loopback((path) =>
      path === '/version'
        ? { status: 200, body: { gitVersion: 'v1.35.2-eks-1' } }
        : { status: 404, body: {} },
    );
  });

  afterAll(async () => {
    await cluster?.close();
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kube-target-'));
    for (const name of AWS_VARIABLES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    // Only what a test sets: no files of this machine, no instance metadata.
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    cluster.requests.length = 0;
  });

  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** No kubeconfig: HOME points at an empty directory. */
  const targetsFor = (secret: ClusterSecret): KubeTargets =>
    new KubeTargets({ clusterSecrets: [secret], env: { HOME: dir, AWS_REGION: 'eu-west-1' } });

  it('connects through EKS with an IAM token signed with the default credential chain', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIADRIFTLESSENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'not-a-real-secret';
    const target = await targetsFor(eksSecret(cluster.url)).forApp(appFor(cluster.url));
    expect(target.cluster.connect).toMatchObject({
      kind: 'eks',
      clusterName: 'prod-eks',
      region: 'eu-west-1',
    });

    expect(await target.kube.version()).toBe('v1.35.2-eks-1');
    const url = presignedUrl(cluster.requests[0]?.headers.authorization);
    expect(url.host).toBe('sts.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIADRIFTLESSENV\/\d{8}\/eu-west-1\/sts\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('x-k8s-aws-id');
  });

  it("signs with the keys of the Secret's awsAuthConfig.profile from the shared credentials file", async () => {
    writeFileSync(
      join(dir, 'credentials'),
      '[default]\naws_access_key_id = AKIADEFAULTPROFILE\naws_secret_access_key = x\n\n' +
        '[platform]\naws_access_key_id = AKIAPLATFORMTEAM\naws_secret_access_key = y\n',
      'utf8',
    );
    const secret = eksSecret(cluster.url, {
      awsAuthConfig: { clusterName: 'prod-eks', profile: 'platform' },
    });
    const target = await targetsFor(secret).forApp(appFor(cluster.url));
    await target.kube.version();
    const url = presignedUrl(cluster.requests[0]?.headers.authorization);
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIAPLATFORMTEAM\//);
  });

  it('takes the CA of a Secret without one from EKS DescribeCluster, at AWS_ENDPOINT_URL', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIADRIFTLESSENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'not-a-real-secret';
    const server = 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com';
    const eks = await loopback((path) =>
      path === '/clusters/prod-eks'
        ? {
            status: 200,
            body: {
              cluster: {
                name: 'prod-eks',
                status: 'ACTIVE',
                endpoint: server,
                certificateAuthority: { data: 'Q0xVU1RFUi1DQQ==' },
              },
            },
          }
        : { status: 404, body: { message: `no cluster at ${path}` } },
    );
    try {
      process.env.AWS_ENDPOINT_URL = eks.url;
      const targets = targetsFor(eksSecret(server, { tlsClientConfig: {} }));
      const target = await targets.forApp(appFor(server));
      expect(target.cluster.connect).toMatchObject({
        kind: 'eks',
        region: 'eu-west-1',
        tls: { caData: 'Q0xVU1RFUi1DQQ==' },
      });
      // A second app on the same cluster reuses the described cluster.
      await targets.forApp({ ...appFor(server), metadata: { name: 'api', namespace: 'argocd' } });
      expect(eks.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /clusters/prod-eks']);
      expect(eks.requests[0]?.headers.authorization).toMatch(
        /Credential=AKIADRIFTLESSENV\/\d{8}\/eu-west-1\/eks\//,
      );
    } finally {
      await eks.close();
    }
  });

  it('refuses a Secret whose server is not where EKS serves the named cluster', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIADRIFTLESSENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'not-a-real-secret';
    const eks = await loopback(() => ({
      status: 200,
      body: {
        cluster: {
          endpoint: 'https://OTHER.gr7.eu-west-1.eks.amazonaws.com',
          certificateAuthority: { data: 'Q0E=' },
        },
      },
    }));
    try {
      process.env.AWS_ENDPOINT_URL = eks.url;
      const server = 'https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com';
      await expect(
        targetsFor(eksSecret(server, { tlsClientConfig: {} })).forApp(appFor(server)),
      ).rejects.toThrow(
        'cluster "prod" (https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com): awsAuthConfig.clusterName "prod-eks" in eu-west-1 is served at https://OTHER.gr7.eu-west-1.eks.amazonaws.com',
      );
    } finally {
      await eks.close();
    }
  });
});
