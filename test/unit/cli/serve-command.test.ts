import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run as serve } from '../../../cli/commands/serve.js';
import { captureIO } from '../../../cli/io.js';

describe('driftless serve on embedded defaults', () => {
  const previous = process.env.DRIFTLESS_CACHE_DIR;
  afterEach(() => {
    if (previous === undefined) delete process.env.DRIFTLESS_CACHE_DIR;
    else process.env.DRIFTLESS_CACHE_DIR = previous;
  });

  it('renders every bundled Application from a real git repository and says what it did', async () => {
    process.env.DRIFTLESS_CACHE_DIR = await mkdtemp(join(tmpdir(), 'driftless-serve-'));
    const io = captureIO();
    const code = await serve([], io);
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    const out = io.stdout();
    expect(out).toContain('Using the bundled example');
    for (const app of ['web-dev', 'web-staging', 'web-prod', 'api-dev', 'infrastructure', 'metrics-agent']) {
      expect(out).toMatch(new RegExp(`^${app}\\s`, 'm'));
    }
    // web-prod is pinned to the tag, the others follow main/HEAD: both resolve in the example repo.
    expect(out).toMatch(/web-prod\s+kustomize\s+apps\/web\/overlays\/prod@v1\.0\.0\s+[0-9a-f]{7}\s+4\s/);
    expect(out).toMatch(/metrics-agent\s+helm\s+platform\/metrics-agent@HEAD\s+[0-9a-f]{7}\s+2\s/);
    expect(out).toMatch(/Rendered 6 of 6 Applications \(25 objects\)/);
  });
});
