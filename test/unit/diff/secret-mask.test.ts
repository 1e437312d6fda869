import { describe, expect, it } from 'vitest';
import { maskSecretPair } from '../../../shared/diff/index.js';
import type { KubeObject } from '../../../shared/model/index.js';
import { deepFreeze } from './fixtures.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function secret(fields: {
  data?: Record<string, string | null>;
  stringData?: Record<string, string>;
}): KubeObject {
  return deepFreeze({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, ...fields });
}

function dataOf(obj: KubeObject | undefined): Record<string, unknown> {
  return (obj as { data?: Record<string, unknown> } | undefined)?.data ?? {};
}

describe('maskSecretPair', () => {
  it('gives equal values equal masks and different values different lengths, per key', () => {
    const masked = maskSecretPair({
      desired: secret({ data: { a: b64('same'), b: b64('one') } }),
      live: secret({ data: { a: b64('same'), b: b64('two') } }),
    });
    expect(dataOf(masked.desired)).toEqual({ a: '++++++++', b: '++++++++' });
    expect(dataOf(masked.live)).toEqual({ a: '++++++++', b: '++++++++++++' });
  });

  it('folds stringData into data before masking, so plain and encoded forms of a value match', () => {
    const masked = maskSecretPair({
      desired: secret({ stringData: { password: 'hunter2' }, data: { user: b64('x') } }),
      live: secret({ data: { password: b64('hunter2'), user: b64('y') } }),
    });
    expect(masked.desired).not.toHaveProperty('stringData');
    expect(dataOf(masked.desired).password).toBe(dataOf(masked.live).password);
    expect(dataOf(masked.desired).user).not.toBe(dataOf(masked.live).user);
    expect(JSON.stringify(masked)).not.toMatch(/hunter2|aHVudGVyMg|eA==|eQ==/);
  });

  it('treats null values as empty strings and keys on one side only', () => {
    const masked = maskSecretPair({
      desired: secret({ data: { empty: null, onlyDesired: b64('d') } }),
      live: secret({ data: { empty: '', onlyLive: b64('l') } }),
    });
    expect(dataOf(masked.desired)).toEqual({ empty: '++++++++', onlyDesired: '++++++++' });
    expect(dataOf(masked.live)).toEqual({ empty: '++++++++', onlyLive: '++++++++' });
  });

  it('leaves objects that are not core Secrets unchanged and copies them', () => {
    const cm = deepFreeze({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } });
    const sealed = deepFreeze({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'Secret',
      metadata: { name: 'x' },
      data: { k: 'v' },
    });
    const masked = maskSecretPair({ desired: cm, live: sealed });
    expect(masked.desired).toEqual(cm);
    expect(masked.desired).not.toBe(cm);
    expect(masked.live).toEqual(sealed);
  });

  it('works with one side missing', () => {
    const masked = maskSecretPair({ live: secret({ data: { a: b64('1'), b: b64('2') } }) });
    expect(masked.desired).toBeUndefined();
    expect(dataOf(masked.live)).toEqual({ a: '++++++++', b: '++++++++' });
  });
});
