import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseImageArgument } from '../../../shared/image/index.js';

const example = (name: string) => fileURLToPath(new URL(`../../../examples/ci/${name}`, import.meta.url));

async function load(name: string): Promise<Record<string, unknown>> {
  const doc = parseDocument(await readFile(example(name), 'utf8'));
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  return doc.toJS() as Record<string, unknown>;
}

/** Every shell line of a pipeline, whatever the nesting. */
function commands(node: unknown): string[] {
  if (typeof node === 'string') return node.split('\n');
  if (Array.isArray(node)) return node.flatMap(commands);
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([key, value]) =>
      key === 'run' || key === 'script' ? commands(value) : typeof value === 'object' ? commands(value) : [],
    );
  }
  return [];
}

function imageSetStep(lines: readonly string[]): { dir: string; image: string } {
  const line = lines.find((l) => l.includes('driftless image set'));
  if (!line) throw new Error('no driftless image set step');
  const m = /driftless image set (\S+) "([^"]+)"/.exec(line);
  if (!m) throw new Error(`cannot read: ${line}`);
  return { dir: m[1]!, image: m[2]! };
}

describe('examples/ci', () => {
  it('github-actions.yml is a workflow whose config job runs driftless image set, then commits and pushes', async () => {
    const workflow = await load('github-actions.yml');
    const jobs = workflow.jobs as Record<string, { needs?: string; steps: unknown[] }>;
    expect(Object.keys(jobs)).toEqual(['build', 'update-config']);
    expect(jobs['update-config']?.needs).toBe('build');
    const lines = commands(jobs['update-config']);
    const step = imageSetStep(lines);
    expect(step.dir).toBe('apps/web/overlays/dev');
    // With the variables substituted it is an argument kustomize would accept.
    const parsed = parseImageArgument(
      step.image
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the workflow's shell variables are literal text here
        .replace('${IMAGE}', 'ghcr.io/driftless-dev/web')
        // biome-ignore lint/suspicious/noTemplateCurlyInString: as above
        .replace('${GITHUB_SHA}', 'abc123'),
    );
    expect(parsed).toEqual({ name: 'ghcr.io/driftless-dev/web', newName: '', newTag: 'abc123', digest: '' });
    expect(lines.some((l) => l.includes('git push'))).toBe(true);
  });

  it('gitlab-ci.yml has a build and a deploy job, the latter running driftless image set and pushing', async () => {
    const pipeline = await load('gitlab-ci.yml');
    expect(pipeline.stages).toEqual(['build', 'deploy']);
    const job = pipeline['update-config'] as { stage: string; needs: string[] };
    expect(job.stage).toBe('deploy');
    expect(job.needs).toEqual(['build']);
    const lines = commands(job);
    const step = imageSetStep(lines);
    expect(step.dir).toBe('apps/web/overlays/dev');
    expect(
      parseImageArgument(
        step.image.replace('$IMAGE', 'registry.gitlab.com/x/web').replace('$CI_COMMIT_SHA', 'abc'),
      ).newTag,
    ).toBe('abc');
    expect(lines.some((l) => l.includes('git push'))).toBe(true);
  });
});
