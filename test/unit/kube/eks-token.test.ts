import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eksTokenPrefix, presignEksToken } from '../../../shared/kube/eks-token.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session/token+with=odd&chars',
};
const signingDate = new Date('2026-11-26T12:34:56Z');

function decode(token: string): URL {
  expect(token.startsWith(eksTokenPrefix)).toBe(true);
  const body = token.slice(eksTokenPrefix.length);
  // base64url without padding, as aws-iam-authenticator emits it.
  expect(body).toMatch(/^[A-Za-z0-9_-]+$/);
  return new URL(Buffer.from(body, 'base64url').toString('utf8'));
}

const rfc3986 = (v: string) =>
  encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** Recomputes the SigV4 query signature from the URL alone, independently of the signer we use. */
function expectedSignature(url: URL, clusterName: string, region: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.host}\nx-k8s-aws-id:${clusterName}\n`,
    'host;x-k8s-aws-id',
    createHash('sha256').update('').digest('hex'),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/sts/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), 'sts'),
    'aws4_request',
  );
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('EKS token', () => {
  it('is a presigned GetCallerIdentity URL signed for the cluster name', async () => {
    const token = await presignEksToken({
      clusterName: 'prod-eu',
      region: 'eu-west-1',
      credentials,
      signingDate,
    });
    const url = decode(token);
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261126/eu-west-1/sts/aws4_request');
    expect(q.get('X-Amz-Date')).toBe('20261126T123456Z');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(q.get('X-Amz-Security-Token')).toBe(credentials.sessionToken);
    expect(q.get('X-Amz-Signature')).toBe(expectedSignature(url, 'prod-eu', 'eu-west-1'));
  });

  it('is stable for fixed credentials and time, and differs per cluster', async () => {
    const a = await presignEksToken({
      clusterName: 'prod-eu',
      region: 'eu-west-1',
      credentials,
      signingDate,
    });
    const b = await presignEksToken({
      clusterName: 'prod-eu',
      region: 'eu-west-1',
      credentials,
      signingDate,
    });
    const other = await presignEksToken({
      clusterName: 'staging',
      region: 'eu-west-1',
      credentials,
      signingDate,
    });
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    await expect(a).toMatchFileSnapshot('__snapshots__/eks-token.txt');
  });

  it('omits the security token for long-term keys and uses the China STS domain there', async () => {
    const { sessionToken: _omit, ...longTerm } = credentials;
    const token = await presignEksToken({
      clusterName: 'c1',
      region: 'cn-north-1',
      credentials: longTerm,
      signingDate,
    });
    const url = decode(token);
    expect(url.host).toBe('sts.cn-north-1.amazonaws.com.cn');
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
  });
});
