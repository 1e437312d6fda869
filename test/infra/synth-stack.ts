import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DriftlessProps } from '../../infra/lib/constructs/driftless-props.js';
import { DriftlessStack } from '../../infra/lib/stacks/driftless-stack.js';

export interface SynthOptions {
  readonly props: DriftlessProps;
  /** Run esbuild for real; otherwise the stack is synthesised with bundling skipped, as `cdk ls` does. */
  readonly bundle?: boolean;
  readonly env?: { readonly account?: string; readonly region?: string };
}

export interface Synthesised {
  readonly app: App;
  readonly stack: DriftlessStack;
  readonly template: Template;
  readonly outdir: string;
}

/** The feature flags of cdk.json, so tests see the template `cdk synth` makes. */
function featureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return Object.fromEntries(Object.entries(cdkJson.context).filter(([key]) => key.startsWith('@aws-cdk/')));
}

/** Builds the real stack into a fresh temporary cloud assembly. */
export function synthStack(options: SynthOptions): Synthesised {
  const outdir = mkdtempSync(join(tmpdir(), 'driftless-cdk-'));
  const app = new App({
    outdir,
    context: {
      ...featureFlags(),
      ...(options.bundle
        ? // Records each asset's directory on its resource, as the CLI does.
          { 'aws:cdk:enable-asset-metadata': true }
        : // An empty list skips asset bundling for every stack.
          { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = new DriftlessStack(app, 'Driftless', {
    driftless: options.props,
    ...(options.env ? { env: options.env } : {}),
  });
  return { app, stack, template: Template.fromStack(stack), outdir };
}
