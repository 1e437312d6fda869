/**
 * Argo CD's own health fixtures (gitops-engine/pkg/health/testdata) and the statuses its tests
 * assert, from ../shared/conformance/health. Every assertion is checked unchanged; the full
 * results (with messages) are kept as a golden file so any change in wording shows up in review.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  APPLICATION_OVERRIDE_KEY,
  applicationHealthOverride,
  assessWorkflow,
  type HealthStatus,
  overrideRegistry,
  resourceHealth,
} from '../../../shared/health/index.js';
import type { KubeObject } from '../../../shared/model/index.js';

const CONFORMANCE = path.resolve('..', 'shared', 'conformance', 'health');

interface ExpectedEntry {
  readonly file: string;
  readonly kind: string;
  readonly apiVersion: string;
  readonly status: string | null;
  readonly message: string | null;
}

interface InlineCase {
  readonly name: string;
  readonly status: string;
  readonly message: string;
  readonly object: Record<string, unknown>;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(path.join(CONFORMANCE, file), 'utf8')) as T;
}

// statefulset-ondelete.yaml repeats spec.updateStrategy; Go's YAML decoder accepts duplicate keys.
function fixture(file: string): KubeObject {
  return parse(readFileSync(path.join(CONFORMANCE, file), 'utf8'), { uniqueKeys: false }) as KubeObject;
}

const expected = readJson<ExpectedEntry[]>('expected.json');
const inline = readJson<InlineCase[]>('inline-cases.json');

describe('Argo CD health fixtures', () => {
  it('covers every fixture the conformance set lists', () => {
    expect(expected).toHaveLength(50);
    expect(inline).toHaveLength(3);
  });

  it.each(expected.map((e) => [e.file, e] as const))('%s', (_file, entry) => {
    const obj = fixture(entry.file);
    expect(obj.kind).toBe(entry.kind);
    expect(obj.apiVersion).toBe(entry.apiVersion);
    const health = resourceHealth(obj);
    if (entry.status === null) {
      expect(health).toBeUndefined();
    } else {
      expect(health?.status).toBe(entry.status);
    }
    if (entry.message !== null) expect(health?.message ?? '').toBe(entry.message);
  });

  it.each(inline.map((c) => [c.name, c] as const))('inline %s', (_name, testCase) => {
    const direct = assessWorkflow(testCase.object);
    expect(direct.status).toBe(testCase.status);
    expect(direct.message ?? '').toBe(testCase.message);
    const dispatched = resourceHealth({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: testCase.name },
      ...testCase.object,
    });
    expect(dispatched).toEqual(direct);
  });

  it('gives a child Application its own status only with the opt-in override', () => {
    const override = overrideRegistry({ [APPLICATION_OVERRIDE_KEY]: applicationHealthOverride });
    expect(resourceHealth(fixture('application-healthy.yaml'), { override })?.status).toBe('Healthy');
    expect(resourceHealth(fixture('application-degraded.yaml'), { override })?.status).toBe('Degraded');
  });

  it('matches the golden results, messages included', async () => {
    const results: Record<string, HealthStatus | null> = {};
    for (const entry of expected) results[entry.file] = resourceHealth(fixture(entry.file)) ?? null;
    await expect(`${JSON.stringify(results, null, 2)}\n`).toMatchFileSnapshot('./argo-fixtures.golden.json');
  });
});
