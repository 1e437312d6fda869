/**
 * Golden generations: each ApplicationSet under cases/ is generated against the fixture sources
 * and the Applications (or the error) are written to __golden__/<case>.yaml.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateApplications } from '../../../shared/appset/index.js';
import { loadFile, parseApplicationSet } from '../../../shared/model/index.js';
import { objectsToYaml } from '../../../shared/render/index.js';
import { here, sources } from './fixtures.js';

const cases = readdirSync(join(here, 'cases'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

async function generateCase(file: string): Promise<string> {
  const [doc] = await loadFile(join(here, 'cases', file));
  if (!doc) throw new Error(`${file}: no document`);
  const parsed = parseApplicationSet(doc);
  if (parsed.kind === 'invalid') throw new Error(`${file}: ${JSON.stringify(parsed.problems)}`);
  const result = await generateApplications({ appSet: parsed.value, sources: sources() });
  if (result.kind === 'error') {
    return `# error ${result.error.code} in ${result.generator}\n${result.error.message}\n`;
  }
  return objectsToYaml(result.applications);
}

describe('ApplicationSet golden generations', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(15);
  });
  for (const file of cases) {
    it(file.replace(/\.yaml$/, ''), async () => {
      await expect(await generateCase(file)).toMatchFileSnapshot(join(here, '__golden__', file));
    });
  }
});
