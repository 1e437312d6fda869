import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDocuments } from '../../../shared/model/index.js';
import {
  bearerToken,
  DEFAULT_MAX_PAYLOAD_BYTES,
  findArgoCdSecret,
  maxPayloadBytesFromSettings,
  parseWebhookSecrets,
  verifyGitHubSignature,
  verifyToken,
} from '../../../shared/webhook/index.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('argocd-secret', () => {
  const yaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: argocd-cm}
data: {url: https://argocd.example.com}
---
apiVersion: v1
kind: Secret
metadata: {name: argocd-secret, namespace: argocd}
type: Opaque
data:
  admin.password: ${b64('$2a$10$hash')}
  webhook.github.secret: ${b64('from-data')}
  webhook.gitlab.secret: ${b64('gitlab-token')}
stringData:
  webhook.github.secret: from-string-data
  webhook.refresh.token: ci-token
`;

  it('reads the webhook keys, stringData over base64 data, and nothing else', () => {
    const docs = parseDocuments({ text: yaml, file: 'argocd/secrets.yaml' });
    const doc = findArgoCdSecret(docs);
    expect(doc?.index).toBe(1);
    const parsed = parseWebhookSecrets(doc!);
    expect(parsed).toMatchObject({
      kind: 'valid',
      value: { github: 'from-string-data', gitlab: 'gitlab-token', refreshToken: 'ci-token' },
    });
  });

  it('leaves unset and empty keys out, so those providers are refused', () => {
    const [doc] = parseDocuments({
      text: 'apiVersion: v1\nkind: Secret\nmetadata: {name: argocd-secret}\nstringData: {webhook.github.secret: ""}\n',
      file: 's.yaml',
    });
    expect(parseWebhookSecrets(doc!)).toMatchObject({ kind: 'valid', value: {} });
  });

  it('names the field at fault without printing a value', () => {
    const [doc] = parseDocuments({
      text: 'apiVersion: v1\nkind: Secret\nmetadata: {name: other}\ndata: {webhook.github.secret: "not base64!"}\n',
      file: 'bad.yaml',
    });
    const parsed = parseWebhookSecrets(doc!);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind !== 'invalid') return;
    expect(parsed.problems.map((p) => `${p.file}#${p.index}: ${p.path}: ${p.message}`)).toEqual([
      'bad.yaml#0: metadata.name: must be argocd-secret, not "other"',
      'bad.yaml#0: data["webhook.github.secret"]: is not valid base64',
    ]);
  });
});

describe('signatures and tokens', () => {
  const body = new TextEncoder().encode('{"zen":"Design for failure."}');
  const hex = createHmac('sha256', 's3cret').update(body).digest('hex');

  it('accepts the HMAC of the raw body with or without the sha256= prefix', () => {
    expect(verifyGitHubSignature({ secret: 's3cret', rawBody: body, header: `sha256=${hex}` })).toEqual({
      ok: true,
    });
    expect(verifyGitHubSignature({ secret: 's3cret', rawBody: body, header: hex })).toEqual({ ok: true });
  });

  it('refuses one flipped byte of body or signature, and signatures of the wrong length', () => {
    const flipped = Uint8Array.from(body);
    flipped[3] = (flipped[3] ?? 0) ^ 1;
    expect(verifyGitHubSignature({ secret: 's3cret', rawBody: flipped, header: `sha256=${hex}` }).ok).toBe(
      false,
    );
    const other = `${hex.slice(0, 63)}${hex.endsWith('0') ? '1' : '0'}`;
    expect(verifyGitHubSignature({ secret: 's3cret', rawBody: body, header: `sha256=${other}` }).ok).toBe(
      false,
    );
    expect(verifyGitHubSignature({ secret: 's3cret', rawBody: body, header: `sha256=${hex}00` }).ok).toBe(
      false,
    );
    expect(
      verifyGitHubSignature({ secret: 's3cret', rawBody: body, header: `sha1=${hex.slice(0, 40)}` }).ok,
    ).toBe(false);
  });

  it('compares tokens of any length without throwing', () => {
    expect(verifyToken({ expected: 'abc', presented: 'abc', header: 'X' })).toEqual({ ok: true });
    expect(verifyToken({ expected: 'abc', presented: 'abcdef', header: 'X' })).toEqual({
      ok: false,
      reason: 'X does not match',
    });
    expect(verifyToken({ expected: 'abc', presented: '', header: 'X' })).toEqual({
      ok: false,
      reason: 'missing X',
    });
  });

  it('reads bearer tokens', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('BEARER  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});

describe('payload limit from argocd-cm', () => {
  it('honours a smaller webhook.maxPayloadSizeMB and caps larger ones at the Lambda limit', () => {
    expect(maxPayloadBytesFromSettings({ raw: {} })).toBe(DEFAULT_MAX_PAYLOAD_BYTES);
    expect(maxPayloadBytesFromSettings({ raw: { 'webhook.maxPayloadSizeMB': '2' } })).toBe(2 * 1024 * 1024);
    expect(maxPayloadBytesFromSettings({ raw: { 'webhook.maxPayloadSizeMB': '50' } })).toBe(
      DEFAULT_MAX_PAYLOAD_BYTES,
    );
    expect(() => maxPayloadBytesFromSettings({ raw: { 'webhook.maxPayloadSizeMB': 'lots' } })).toThrow(
      'argocd-cm: data.webhook.maxPayloadSizeMB: must be a positive whole number of megabytes, not "lots"',
    );
  });
});
