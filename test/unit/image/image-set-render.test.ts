import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { captureIO } from '../../../cli/io.js';
import { main } from '../../../cli/main.js';
import { ProcessToolRunner } from '../../../shared/tools/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const exampleWeb = fileURLToPath(new URL('../../../examples/config/apps/web', import.meta.url));
const NEW_IMAGE = 'ghcr.io/driftless-dev/web:3f9c2e1';

let work: string;
const runner = new ProcessToolRunner();

async function render(dir: string): Promise<string> {
  const result = await runner.run({
    tool: 'kubectl',
    args: ['kustomize', dir],
    cwd: work,
    timeoutMs: 30_000,
    maxOutputBytes: 4 * 1024 * 1024,
  });
  if (result.exitCode !== 0) throw new Error(`kubectl kustomize ${dir}: ${result.stderr}`);
  return result.stdout;
}

function containerImages(manifests: string): string[] {
  return parseAllDocuments(manifests)
    .map(
      (d) =>
        d.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: { image: string }[] } } } },
    )
    .filter((o) => o.kind === 'Deployment')
    .flatMap((o) => o.spec?.template?.spec?.containers?.map((c) => c.image) ?? []);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'driftless-image-set-'));
  await cp(exampleWeb, join(work, 'web'), { recursive: true });
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('driftless image set on the seed dev overlay', () => {
  it('edits only images:, and kubectl kustomize renders the new image', async () => {
    const overlay = join(work, 'web/overlays/dev');
    const before = await render(overlay);
    expect(containerImages(before)).toEqual(['ghcr.io/driftless-dev/web:1.0.0']);

    const io = captureIO();
    expect(await main(['image', 'set', overlay, NEW_IMAGE], io)).toBe(0);
    const edited = await readFile(join(overlay, 'kustomization.yaml'), 'utf8');
    await expect(edited).toMatchFileSnapshot(join(here, 'golden/web-dev-kustomization.yaml.golden'));

    const after = await render(overlay);
    expect(containerImages(after)).toEqual([NEW_IMAGE]);
    // Nothing but the image changed in the rendered output.
    expect(after.replaceAll(NEW_IMAGE, 'ghcr.io/driftless-dev/web:1.0.0')).toBe(before);
  });

  it('renders exactly what the file kustomize would have written renders', async () => {
    // What `kustomize edit set image ghcr.io/driftless-dev/web:3f9c2e1` writes for this overlay:
    // every field re-marshalled (sorted keys, unindented lists), the same images entry.
    const kustomizeWritten = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: web-dev',
      'namePrefix: dev-',
      'resources:',
      '- ../../base',
      'patchesStrategicMerge:',
      '- replicas.yaml',
      'configMapGenerator:',
      '- behavior: merge',
      '  files:',
      '  - app.properties',
      '  literals:',
      '  - LOG_LEVEL=debug',
      '  name: web-config',
      'images:',
      '- name: ghcr.io/driftless-dev/web',
      '  newTag: 3f9c2e1',
      '',
    ].join('\n');
    const reference = join(work, 'web/overlays/reference');
    await cp(join(work, 'web/overlays/dev'), reference, { recursive: true });
    await writeFile(join(reference, 'kustomization.yaml'), kustomizeWritten);
    const ours = join(work, 'web/overlays/dev');
    expect(await render(ours)).toBe(await render(reference));
  });

  it('--dry-run prints the edited file and leaves it alone', async () => {
    const overlay = join(work, 'web/overlays/staging');
    const original = await readFile(join(overlay, 'kustomization.yaml'), 'utf8');
    const io = captureIO();
    expect(await main(['image', 'set', '--dry-run', overlay, 'ghcr.io/driftless-dev/web:2.0.0'], io)).toBe(0);
    expect(io.stdout()).toContain('newTag: 2.0.0');
    expect(await readFile(join(overlay, 'kustomization.yaml'), 'utf8')).toBe(original);
  });

  it('a directory without a kustomization is an error naming it', async () => {
    const io = captureIO();
    expect(await main(['image', 'set', work, 'web:1'], io)).toBe(1);
    expect(io.stderr()).toContain(`${work}: no kustomization file`);
  });

  it('a malformed image argument is a usage error naming it', async () => {
    const io = captureIO();
    expect(await main(['image', 'set', join(work, 'web/overlays/prod'), 'web'], io)).toBe(2);
    expect(io.stderr()).toContain('image "web"');
  });
});
