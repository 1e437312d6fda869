/**
 * Bundled CRD checks: objects written for each rule of Argo CD's resource_customizations checks,
 * with the status and message that rule gives in expected.json; full results kept as a golden
 * file so any change in wording shows up in review.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  builtInCrdOverrides,
  type HealthStatus,
  overrideKey,
  overrideRegistry,
  resourceHealth,
} from '../../../../shared/health/index.js';
import type { KubeObject } from '../../../../shared/model/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

interface Case {
  readonly file: string;
  readonly status: string;
  readonly message: string;
}

const cases = JSON.parse(readFileSync(path.join(HERE, 'expected.json'), 'utf8')) as Case[];
const override = overrideRegistry(builtInCrdOverrides);

function load(file: string): KubeObject {
  return parse(readFileSync(path.join(HERE, file), 'utf8')) as KubeObject;
}

describe('bundled CRD health checks', () => {
  it('has cases for every bundled check', () => {
    const keys = new Set(cases.map((c) => overrideKey(load(c.file))));
    expect([...keys].sort()).toEqual(Object.keys(builtInCrdOverrides).sort());
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const health = resourceHealth(load(c.file), { override });
    expect(health?.status).toBe(c.status);
    expect(health?.message ?? '').toBe(c.message);
  });

  it('matches the golden results', async () => {
    const results: Record<string, HealthStatus | null> = {};
    for (const c of cases) results[c.file] = resourceHealth(load(c.file), { override }) ?? null;
    await expect(`${JSON.stringify(results, null, 2)}\n`).toMatchFileSnapshot('./crd-cases.golden.json');
  });
});
