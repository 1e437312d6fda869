/**
 * The bearer token EKS accepts (the aws-iam-authenticator format): `k8s-aws-v1.` followed by the
 * unpadded base64url of a presigned STS GetCallerIdentity URL whose signed headers include
 * `x-k8s-aws-id: <cluster name>`. EKS replays the URL against STS to learn who is calling, and
 * accepts it for 15 minutes after X-Amz-Date whatever X-Amz-Expires says.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';

export const eksTokenPrefix = 'k8s-aws-v1.';
/** How long EKS honours a token after it was signed. */
export const eksTokenLifetimeMs = 15 * 60_000;

export interface EksTokenRequest {
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity;
  readonly signingDate: Date;
}

/** Regional STS host; the China partition has its own domain. */
export function stsHost(region: string): string {
  return region.startsWith('cn-') ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}

/** RFC 3986 encoding, as SigV4 canonicalises query strings. */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export async function presignEksToken(request: EksTokenRequest): Promise<string> {
  const hostname = stsHost(request.region);
  const signer = new SignatureV4({
    credentials: request.credentials,
    region: request.region,
    service: 'sts',
    sha256: Sha256,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': request.clusterName },
    },
    { expiresIn: 60, signingDate: request.signingDate },
  );
  const query = Object.entries(presigned.query ?? {})
    .flatMap(([name, value]) =>
      Array.isArray(value) ? value.map((v) => [name, v] as const) : [[name, value] as const],
    )
    .filter((pair): pair is readonly [string, string] => typeof pair[1] === 'string')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  return eksTokenPrefix + Buffer.from(url, 'utf8').toString('base64url');
}
