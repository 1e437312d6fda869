import { describe, expect, it } from 'vitest';
import { eksTokenPrefix } from '../../../shared/kube/eks-token.js';
import { EksTokenSource } from '../../../shared/kube/eks-token-source.js';
import { FakeClock } from '../../support/fake-clock.js';

function signedAt(token: string): string | null {
  const url = new URL(Buffer.from(token.slice(eksTokenPrefix.length), 'base64url').toString('utf8'));
  return url.searchParams.get('X-Amz-Date');
}

describe('EksTokenSource', () => {
  const credentials = async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' });

  it('reuses a token for 10 minutes and re-signs it afterwards', async () => {
    const clock = new FakeClock({ start: '2026-11-26T10:00:00Z' });
    const source = new EksTokenSource({ clusterName: 'prod', region: 'us-east-1', credentials, clock });
    const first = await source.token();
    expect(signedAt(first)).toBe('20261126T100000Z');

    await clock.advance(10 * 60_000 - 1);
    expect(await source.token()).toBe(first);

    await clock.advance(1);
    const renewed = await source.token();
    expect(renewed).not.toBe(first);
    expect(signedAt(renewed)).toBe('20261126T101000Z');
  });

  it('honours a custom renewal interval and signs once for concurrent callers', async () => {
    const clock = new FakeClock({ start: '2026-11-26T10:00:00Z' });
    const source = new EksTokenSource({
      clusterName: 'prod',
      region: 'us-east-1',
      credentials,
      clock,
      renewAfterMs: 60_000,
    });
    const [a, b] = await Promise.all([source.token(), source.token()]);
    expect(b).toBe(a);
    await clock.advance(60_000);
    expect(signedAt(await source.token())).toBe('20261126T100100Z');
  });

  it('picks up rotated credentials at renewal', async () => {
    const clock = new FakeClock({ start: '2026-11-26T10:00:00Z' });
    let key = 'AKIDFIRST';
    const source = new EksTokenSource({
      clusterName: 'prod',
      region: 'us-east-1',
      credentials: async () => ({ accessKeyId: key, secretAccessKey: 'secret' }),
      clock,
    });
    const credentialOf = async () =>
      new URL(
        Buffer.from((await source.token()).slice(eksTokenPrefix.length), 'base64url').toString(),
      ).searchParams.get('X-Amz-Credential');
    expect(await credentialOf()).toMatch(/^AKIDFIRST\//);
    key = 'AKIDSECOND';
    expect(await credentialOf()).toMatch(/^AKIDFIRST\//);
    await clock.advance(10 * 60_000);
    expect(await credentialOf()).toMatch(/^AKIDSECOND\//);
  });
});
