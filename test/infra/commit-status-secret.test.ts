/**
 * PipelineFunctions with `commitStatusSecretName`: the worker is told the secret's name and may
 * read it; the webhook, the drift scan and the api are told nothing and may not. Without the prop
 * no function is told a name. A malformed name is refused, naming the prop.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../infra/lib/constructs/function-environment.js';
import { PipelineFunctions } from '../../infra/lib/constructs/pipeline-functions.js';
import { PipelineQueues } from '../../infra/lib/constructs/pipeline-queues.js';
import { resolveDriftlessProps } from '../../infra/lib/constructs/resolve-props.js';
import { StateTable } from '../../infra/lib/constructs/state-table.js';

const SECRET = 'driftless/commit-status';

function build(commitStatusSecretName?: string) {
  // Bundling skipped, as `cdk ls` does: only the template is looked at.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  const settings = resolveDriftlessProps(
    {
      clusters: [{ eksClusterName: 'prod', access: { kind: 'cluster-admin' } }],
      configRepository: { url: 'https://github.com/acme/gitops.git' },
      webhookSecretName: 'driftless/webhook',
    },
    { stackRegion: 'eu-west-1' },
  );
  const state = new StateTable(stack, 'State', { deletionProtection: false });
  const queues = new PipelineQueues(stack, 'Queues', { workerTimeout: settings.worker.timeout });
  const functions = new PipelineFunctions(stack, 'Functions', {
    settings,
    state,
    queues,
    ...(commitStatusSecretName === undefined ? {} : { commitStatusSecretName }),
  });
  const template = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const logicalId = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);
  const variables = (fn: IConstruct): Record<string, unknown> => {
    const environment = template.Resources[logicalId(fn)]?.Properties.Environment as
      | { Variables: Record<string, unknown> }
      | undefined;
    return environment?.Variables ?? {};
  };
  /** The Resource of every statement of the role's policies that allows reading a secret. */
  const readableSecrets = (role: IConstruct): string => {
    const policies = Object.values(template.Resources).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(`"${logicalId(role)}"`),
    );
    const statements = policies.flatMap(
      (p) =>
        (p.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
    );
    return JSON.stringify(
      statements
        .filter((st) => JSON.stringify(st.Action).includes('secretsmanager:GetSecretValue'))
        .map((st) => stack.resolve(st.Resource)),
    );
  };
  return { functions, variables, readableSecrets };
}

describe('the commit status secret', () => {
  it('is named to the worker alone, and only the worker may read it', () => {
    const { functions, variables, readableSecrets } = build(SECRET);
    expect(variables(functions.worker.function)[ENV.commitStatusSecretName]).toBe(SECRET);
    expect(readableSecrets(functions.worker.role)).toContain(`:secret:${SECRET}-??????`);
    for (const fn of [functions.webhook, functions.driftScan, functions.api]) {
      expect(variables(fn.function)[ENV.commitStatusSecretName]).toBeUndefined();
      expect(readableSecrets(fn.role)).not.toContain(SECRET);
    }
    // The worker still reads the configuration's secrets besides.
    expect(readableSecrets(functions.worker.role)).toContain(':secret:driftless/webhook-??????');
  });

  it('is named to no function and readable by none when the prop is unset', () => {
    const { functions, variables, readableSecrets } = build();
    for (const fn of functions.all) {
      expect(variables(fn.function)[ENV.commitStatusSecretName]).toBeUndefined();
      expect(readableSecrets(fn.role)).not.toContain(SECRET);
    }
  });

  it('refuses a name Secrets Manager would not accept, naming the prop', () => {
    expect(() => build('has space')).toThrow(
      /commitStatusSecretName: "has space" is not a Secrets Manager secret name/,
    );
  });
});
