import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as render } from '../../../cli/commands/render.js';
import { captureIO } from '../../../cli/io.js';
import { main } from '../../../cli/main.js';

const REPO = 'https://github.com/driftless-dev/gitops-config.git=examples/config';

async function scratch(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'driftless-cli-'));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('driftless render: usage and errors', () => {
  it('prints usage with exit 2 when no file is named', async () => {
    const io = captureIO();
    expect(await render([], io)).toBe(2);
    expect(io.stderr()).toContain('name at least one APP.yaml');
  });

  it('refuses an unknown output format and an unknown option, naming them', async () => {
    const io = captureIO();
    expect(await render(['examples/argocd/web.yaml', '-o', 'xml'], io)).toBe(2);
    expect(io.stderr()).toContain('-o must be yaml or json, not "xml"');
    const io2 = captureIO();
    expect(await render(['examples/argocd/web.yaml', '--bogus'], io2)).toBe(2);
    expect(io2.stderr()).toContain('unknown option --bogus');
  });

  it('reports a malformed --repo mapping', async () => {
    const io = captureIO();
    expect(await render(['examples/argocd/web.yaml', '--repo', 'no-equals-sign'], io)).toBe(1);
    expect(io.stderr()).toContain('expected URL=PATH');
  });

  it('reports every problem of an invalid Application with file, document and field', async () => {
    const file = await scratch(
      'bad.yaml',
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata: {name: web}',
        'spec:',
        '  destination: {server: https://kubernetes.default.svc, name: in-cluster}',
        '  source: {repoURL: https://example.com/r.git, path: x}',
      ].join('\n'),
    );
    const io = captureIO();
    expect(await render([file], io)).toBe(1);
    expect(io.stderr()).toContain('bad.yaml#0: spec.destination: set either server or name, not both');
  });

  it('names the application and path when a source path does not exist', async () => {
    const file = await scratch(
      'missing.yaml',
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Application',
        'metadata: {name: ghost}',
        'spec:',
        '  destination: {server: https://kubernetes.default.svc, namespace: x}',
        '  source: {repoURL: https://github.com/driftless-dev/gitops-config.git, path: apps/ghost}',
      ].join('\n'),
    );
    const io = captureIO();
    expect(await render([file, '--repo', REPO], io)).toBe(1);
    expect(io.stderr()).toMatch(/render app "ghost".*apps\/ghost/);
  });

  it('renders a revision of a local git repository given with --revision', async () => {
    const { buildExampleRepo } = await import('../../../cli/example-repo.js');
    const repo = await buildExampleRepo(await mkdtemp(join(tmpdir(), 'driftless-example-')));
    const io = captureIO();
    const code = await render(
      [
        'examples/argocd/platform.yaml',
        '--repo',
        `https://github.com/driftless-dev/gitops-config.git=${repo}`,
        '--revision',
        'v1.0.0',
      ],
      io,
    );
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    expect(io.stdout()).toContain('kind: DaemonSet');
    const io2 = captureIO();
    expect(
      await render(
        [
          'examples/argocd/platform.yaml',
          '--repo',
          `https://github.com/driftless-dev/gitops-config.git=${repo}`,
          '--revision',
          'v9.9.9',
        ],
        io2,
      ),
    ).toBe(1);
    expect(io2.stderr()).toContain('v9.9.9');
  });

  it('dispatches from the top-level command and rejects unknown commands', async () => {
    const io = captureIO();
    expect(await main(['nope'], io)).toBe(2);
    expect(io.stderr()).toContain('unknown command "nope"');
  });
});
