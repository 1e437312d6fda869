/**
 * `driftless app` against an IAM-protected API: a loopback server stands in for API Gateway and
 * checks each request's SigV4 signature by computing it again from the bytes it received, with
 * node:crypto alone, then answers as the application API does. Which hosts are signed, and in
 * which region, is checked on the URL alone, since AWS itself is out of reach.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { planSigning } from '../../../cli/app-client/index.js';
import { run as app } from '../../../cli/commands/app.js';
import { captureIO } from '../../../cli/io.js';

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'session-token-example',
};

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
  /** The verifier's verdict, or why it refused. */
  readonly verdict: 'unsigned' | 'valid' | string;
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 as the AWS reference describes it, checked against the received request. */
function verify(req: IncomingMessage, body: string, secret: string): string {
  const authorization = req.headers.authorization;
  if (authorization === undefined) return 'unsigned';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (match === null) return `malformed Authorization: ${authorization}`;
  const [, accessKey, day, region, service, signedHeaderList, signature] = match as unknown as string[];
  if (accessKey !== CREDENTIALS.AWS_ACCESS_KEY_ID) return `access key ${accessKey}`;
  if (region !== 'eu-west-1' || service !== 'execute-api') return `scope ${region}/${service}`;
  const amzDate = String(req.headers['x-amz-date']);
  if (!amzDate.startsWith(day as string)) return `x-amz-date ${amzDate} outside ${day}`;
  const signedHeaders = (signedHeaderList as string).split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-security-token']) {
    if (!signedHeaders.includes(required)) return `${required} is not signed`;
  }
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const canonicalUri = url.pathname
    .split('/')
    .map((segment) => rfc3986(segment))
    .join('/');
  const canonicalQuery = [...url.searchParams]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = signedHeaders
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalRequest = [
    req.method,
    canonicalUri,
    canonicalQuery,
    canonicalHeaders,
    signedHeaderList,
    sha256(body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secret}`, day as string), region as string), service as string),
    'aws4_request',
  );
  const expected = hmac(key, stringToSign);
  return timingSafeEqual(expected, Buffer.from(signature as string, 'hex')) ? 'valid' : 'signature mismatch';
}

describe('driftless app with SigV4', () => {
  let server: Server;
  let url: string;
  let seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const verdict = verify(req, body, CREDENTIALS.AWS_SECRET_ACCESS_KEY);
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          body,
          verdict,
        });
        const send = (status: number, answer: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer));
        };
        // API Gateway's own refusals, before the function runs.
        if (verdict === 'unsigned') return send(403, { message: 'Forbidden' });
        if (verdict !== 'valid')
          return send(403, { message: `The request signature we calculated does not match: ${verdict}` });
        if (req.url === '/api/v1/applications?limit=100') {
          return send(200, { items: [], metadata: {} });
        }
        if (req.url === '/api/v1/applications/web-dev/sync?appNamespace=team-a' && req.method === 'POST') {
          const options = JSON.parse(body) as { revision?: string };
          return send(202, { operationId: 'op-7', message: `sync of web-dev to ${options.revision} queued` });
        }
        return send(404, { error: 'application not found' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(() => {
    seen = [];
    vi.unstubAllEnvs();
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('signs a GET with a query that the server verifies', async () => {
    const io = captureIO();
    const code = await app(
      ['list', '-o', 'json', '--sigv4', '--region', 'eu-west-1', '--server', url],
      io,
      CREDENTIALS,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual([]);
    expect(seen.map((s) => s.verdict)).toEqual(['valid']);
  });

  it('signs a POST body and a namespaced app, with the region from AWS_REGION', async () => {
    const io = captureIO();
    const code = await app(
      ['sync', 'team-a/web-dev', '--revision', 'v1.2.0', '--sigv4', '--server', url],
      io,
      {
        ...CREDENTIALS,
        AWS_REGION: 'eu-west-1',
      },
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    expect(io.stdout()).toBe('Operation op-7 started: sync of web-dev to v1.2.0 queued\n');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.verdict).toBe('valid');
  });

  it('is refused when signed with another secret', async () => {
    const io = captureIO();
    const code = await app(['list', '--sigv4', '--region', 'eu-west-1', '--server', url], io, {
      ...CREDENTIALS,
      AWS_SECRET_ACCESS_KEY: 'not-the-secret',
    });
    expect(code).toBe(1);
    expect(io.stderr()).toContain('403 Forbidden: The request signature we calculated does not match');
  });

  it('sends no Authorization header to a loopback server without --sigv4', async () => {
    const io = captureIO();
    expect(await app(['list', '--server', url], io, { ...CREDENTIALS, AWS_REGION: 'eu-west-1' })).toBe(1);
    expect(seen).toEqual([expect.objectContaining({ authorization: undefined, verdict: 'unsigned' })]);
    expect(io.stderr()).toBe(
      `driftless app list: GET ${url}/api/v1/applications?limit=100: 403 Forbidden: Forbidden\n`,
    );
  });

  it('names the half of a key pair that is missing, before sending anything', async () => {
    const io = captureIO();
    const code = await app(['list', '--sigv4', '--region', 'eu-west-1', '--server', url], io, {
      AWS_ACCESS_KEY_ID: CREDENTIALS.AWS_ACCESS_KEY_ID,
    });
    expect(code).toBe(1);
    expect(io.stderr()).toBe(
      `driftless app list: cannot sign requests to ${new URL(url).host} with SigV4: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not\n`,
    );
    expect(seen).toEqual([]);
  });

  it('says no credentials were found when the default chain has none', async () => {
    // The SDK's chain reads the process environment and the shared files: point it at nothing.
    const empty = join(mkdtempSync(join(tmpdir(), 'driftless-aws-')), 'absent');
    for (const name of [
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
      'AWS_PROFILE',
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ]) {
      vi.stubEnv(name, '');
    }
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', empty);
    vi.stubEnv('AWS_CONFIG_FILE', empty);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const io = captureIO();
    const code = await app(['list', '--sigv4', '--region', 'eu-west-1', '--server', url], io, {});
    expect(code).toBe(1);
    expect(io.stderr()).toContain(
      `driftless app list: cannot sign requests to ${new URL(url).host} with SigV4: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with a role)`,
    );
    expect(seen).toEqual([]);
  });

  it('asks for a region when neither the host nor the options name one', async () => {
    const io = captureIO();
    expect(await app(['list', '--sigv4', '--server', url], io, CREDENTIALS)).toBe(1);
    expect(io.stderr()).toContain('needs a region: the host names none; give --region or set AWS_REGION');
    expect(seen).toEqual([]);
  });

  it.each([
    [
      'https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com',
      {},
      { kind: 'sigv4', region: 'eu-central-1', service: 'execute-api' },
    ],
    [
      'https://a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn/',
      {},
      { kind: 'sigv4', region: 'cn-north-1', service: 'execute-api' },
    ],
    [
      'https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com',
      { region: 'us-east-1' },
      { kind: 'sigv4', region: 'us-east-1', service: 'execute-api' },
    ],
    ['https://gitops.example.com', {}, { kind: 'none' }],
    [
      'https://gitops.example.com',
      { sigv4: true },
      { kind: 'sigv4', region: 'eu-west-1', service: 'execute-api' },
    ],
    ['http://localhost:8080', {}, { kind: 'none' }],
    ['http://127.0.0.1:8080', {}, { kind: 'none' }],
  ] as const)('plans signing for %s %j', (server, options, plan) => {
    expect(planSigning({ server, sigv4: false, env: { AWS_REGION: 'eu-west-1' }, ...options })).toEqual(plan);
  });
});
