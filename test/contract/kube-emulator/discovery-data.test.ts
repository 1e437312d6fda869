/**
 * The emulator serves discovery documents bundled in the repository; they must stay byte-equal to
 * the conformance data recorded from a real kube-apiserver (../shared/conformance/kube-api).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_DISCOVERY_DIR } from '../../support/kube-emulator/index.js';

const CONFORMANCE = resolve('..', 'shared', 'conformance', 'kube-api', 'discovery');

describe('bundled discovery documents', () => {
  it.skipIf(!existsSync(CONFORMANCE))('equal the conformance data file for file', () => {
    const expected = readdirSync(CONFORMANCE).sort();
    expect(readdirSync(BUNDLED_DISCOVERY_DIR).sort()).toEqual(expected);
    for (const file of expected) {
      expect(readFileSync(join(BUNDLED_DISCOVERY_DIR, file), 'utf8'), file).toBe(
        readFileSync(join(CONFORMANCE, file), 'utf8'),
      );
    }
  });
});
