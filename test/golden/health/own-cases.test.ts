/**
 * Cases no upstream fixture covers (README of ../shared/conformance/health lists them), written
 * from Argo CD's rules: YAML objects in cases/, expected status and message in cases/expected.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  APPLICATION_OVERRIDE_KEY,
  applicationHealthOverride,
  type HealthOverride,
  overrideRegistry,
  resourceHealth,
} from '../../../shared/health/index.js';
import type { KubeObject } from '../../../shared/model/index.js';

const CASES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');

interface Case {
  readonly file: string;
  readonly override?: 'application';
  readonly status: string | null;
  readonly message?: string | null;
  readonly messageStartsWith?: string;
}

const cases = JSON.parse(readFileSync(path.join(CASES, 'expected.json'), 'utf8')) as Case[];

const OVERRIDES: Record<NonNullable<Case['override']>, HealthOverride> = {
  application: overrideRegistry({ [APPLICATION_OVERRIDE_KEY]: applicationHealthOverride }),
};

describe('health cases beyond the upstream fixtures', () => {
  it.each(cases.map((c) => [`${c.file}${c.override ? ` (override ${c.override})` : ''}`, c] as const))(
    '%s',
    (_name, c) => {
      const obj = parse(readFileSync(path.join(CASES, c.file), 'utf8')) as KubeObject;
      const health = resourceHealth(obj, c.override ? { override: OVERRIDES[c.override] } : {});
      if (c.status === null) {
        expect(health).toBeUndefined();
        return;
      }
      expect(health?.status).toBe(c.status);
      if (typeof c.message === 'string') expect(health?.message ?? '').toBe(c.message);
      if (c.messageStartsWith !== undefined) {
        expect((health?.message ?? '').slice(0, c.messageStartsWith.length)).toBe(c.messageStartsWith);
      }
    },
  );
});
