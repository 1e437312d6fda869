import type { CfnElement } from 'aws-cdk-lib';
import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { Driftless } from '../../infra/lib/constructs/driftless.js';
import { ENV } from '../../infra/lib/constructs/function-environment.js';
import type { Synthesised } from './synth-stack.js';
import { synthStack } from './synth-stack.js';

const TOPIC_ARN = 'arn:aws:sns:eu-central-1:123456789012:platform-alarms';

let s: Synthesised;

// The other choices an operator makes: an existing topic, no reserved concurrency, a table that
// may be deleted, a known account and region, no secrets, a slower drift scan.
beforeAll(() => {
  const topic = Topic.fromTopicArn(new Stack(), 'Alarms', TOPIC_ARN);
  s = synthStack({
    env: { account: '123456789012', region: 'eu-central-1' },
    props: {
      clusters: [{ eksClusterName: 'prod', access: { kind: 'cluster-admin' } }],
      configRepository: { url: 'https://gitlab.example.com/platform/gitops.git' },
      alarms: { topic },
      worker: { reserveConcurrency: false },
      deletionProtection: false,
      driftScanInterval: Duration.minutes(10),
      tableName: 'driftless-prod-state',
      logRetentionDays: 90,
    },
  });
});

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return s.stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

describe('Driftless with operator choices', () => {
  it('sends alarms to the given topic and creates no topic or key of its own', () => {
    s.template.resourceCountIs('AWS::SNS::Topic', 0);
    s.template.resourceCountIs('AWS::KMS::Key', 0);
    const alarms = s.template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms).length).toBeGreaterThan(0);
    for (const alarm of Object.values(alarms)) expect(alarm.Properties.AlarmActions).toEqual([TOPIC_ARN]);
  });

  it('leaves worker concurrency unreserved but still bounds each event source', () => {
    const worker = s.template.toJSON().Resources[logicalId(s.stack.driftless.functions.worker.function)];
    expect(worker.Properties.ReservedConcurrentExecutions).toBeUndefined();
    s.template.allResourcesProperties('AWS::Lambda::EventSourceMapping', {
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('lets the table be deleted with the stack when protection is off', () => {
    const table = s.template.toJSON().Resources[logicalId(s.stack.driftless.state.table)];
    expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    expect(table.Properties.TableName).toBe('driftless-prod-state');
    expect(table.DeletionPolicy).toBe('Delete');
  });

  it('grants no secret and sets no secret name when none is configured', () => {
    const text = JSON.stringify(s.template.findResources('AWS::IAM::Policy'));
    expect(text).not.toContain('secretsmanager:');
    const webhook = s.template.toJSON().Resources[logicalId(s.stack.driftless.functions.webhook.function)];
    expect(webhook.Properties.Environment.Variables[ENV.webhookSecretName]).toBeUndefined();
    expect(webhook.Properties.Environment.Variables[ENV.repoCredentialSecretNames]).toBe('[]');
  });

  it('uses the known region in cluster ARNs and the worker environment', () => {
    const statements = Object.values(s.template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[],
    );
    expect(statements.filter((st) => st.Action === 'eks:DescribeCluster').map((st) => st.Resource)).toEqual([
      {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks:eu-central-1:123456789012:cluster/prod']],
      },
    ]);
    const worker = s.template.toJSON().Resources[logicalId(s.stack.driftless.functions.worker.function)];
    expect(JSON.parse(worker.Properties.Environment.Variables[ENV.clusters])).toEqual([
      { name: 'prod', clusterName: 'prod', region: 'eu-central-1' },
    ]);
  });

  it('schedules the drift scan at the chosen interval and keeps logs as long as asked', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(10 minutes)' });
    s.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('refuses a same-account cluster in another region than the stack, before creating anything', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Elsewhere', { env: { region: 'us-east-1' } });
    expect(
      () =>
        new Driftless(stack, 'Driftless', {
          clusters: [{ eksClusterName: 'prod', region: 'eu-west-1', access: { kind: 'cluster-admin' } }],
          configRepository: { url: 'https://github.com/acme/gitops.git' },
        }),
    ).toThrow(/clusters\[0\]\.region: cluster "prod" is in eu-west-1 but the stack deploys to us-east-1/);
    expect(stack.node.findAll().filter((c) => c instanceof CfnResource)).toEqual([]);
  });
});
