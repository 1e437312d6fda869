/**
 * The bundled example config repository rendered through the CLI, as a user would: every
 * Application in examples/argocd against examples/config. Golden files pin the output of the real
 * kustomize and helm, so a change in rendering shows up as a diff here.
 */
import { describe, expect, it } from 'vitest';
import { run as render } from '../../../cli/commands/render.js';
import { captureIO } from '../../../cli/io.js';

const REPO = 'https://github.com/driftless-dev/gitops-config.git=examples/config';

describe('examples rendered through driftless render', () => {
  it.each([
    ['web.yaml', 'web'],
    ['api.yaml', 'api'],
    ['infrastructure.yaml', 'infrastructure'],
    ['platform.yaml', 'platform'],
  ])('%s', async (file, golden) => {
    const io = captureIO();
    const code = await render([`examples/argocd/${file}`, '--repo', REPO], io);
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    await expect(io.stdout()).toMatchFileSnapshot(`__golden__/${golden}.yaml`);
  });

  it('the seed overlays differ only where each environment says so', async () => {
    const io = captureIO();
    expect(await render(['examples/argocd/web.yaml', '--repo', REPO, '-o', 'json'], io)).toBe(0);
    const objects = JSON.parse(io.stdout()) as Array<{
      kind: string;
      metadata: { name: string; namespace?: string };
      spec?: { replicas?: number };
      data?: Record<string, string>;
    }>;
    const deployments = objects.filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => [d.metadata.namespace, d.metadata.name, d.spec?.replicas])).toEqual([
      ['web-dev', 'dev-web', 1],
      ['web-staging', 'staging-web', 2],
      ['web-prod', 'prod-web', 3],
    ]);
    const configs = objects.filter((o) => o.kind === 'ConfigMap');
    // configMapGenerator from files: merged over the base literals, hashed names per content.
    expect(configs.map((c) => c.data?.LOG_LEVEL)).toEqual(['debug', 'info', 'warn']);
    expect(configs[2]?.data?.['app.properties']).toContain('environment=prod');
    expect(new Set(configs.map((c) => c.metadata.name)).size).toBe(3);
  });
});
