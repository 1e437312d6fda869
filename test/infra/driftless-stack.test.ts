import type { CfnElement } from 'aws-cdk-lib';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../infra/lib/constructs/function-environment.js';
import { MAX_RECEIVE_COUNT } from '../../infra/lib/constructs/pipeline-queues.js';
import { METRIC_NAMESPACE, MetricName } from '../../shared/observe/metric-names.js';
import { TABLE_DEFINITION, TTL_ATTRIBUTE } from '../../shared/state/schema.js';
import { type Synthesised, synthStack } from './synth-stack.js';

const CROSS_ACCOUNT_ROLE = 'arn:aws:iam::210987654321:role/driftless-deployer';

let s: Synthesised;
let resources: Record<string, { Type: string; Properties: Record<string, unknown>; [k: string]: unknown }>;

beforeAll(() => {
  s = synthStack({
    props: {
      clusters: [
        { eksClusterName: 'prod', access: { kind: 'namespaces', namespaces: ['web', 'payments'] } },
        { name: 'platform', eksClusterName: 'platform-eks', access: { kind: 'cluster-admin' } },
        { name: 'partner', eksClusterName: 'partner-eks', region: 'eu-west-1', roleArn: CROSS_ACCOUNT_ROLE },
      ],
      configRepository: { url: 'https://github.com/acme/gitops.git', revision: 'main', path: 'argocd' },
      webhookSecretName: 'driftless/webhook',
      repositoryCredentialSecretNames: ['driftless/repo-github'],
      commitStatusSecretName: 'driftless/commit-status',
      driftScanInterval: Duration.minutes(3),
      alarms: { email: 'ops@example.com', criticalApps: ['payments'], outOfSyncPeriods: 4 },
    },
  });
  resources = s.template.toJSON().Resources;
});

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

type Statement = { Action: string | string[]; Effect: string; Resource: unknown };

/** Every statement of the policies attached to a role. */
function statementsOf(roleConstruct: IConstruct): Statement[] {
  const role = logicalId(roleConstruct);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => JSON.stringify(r.Properties.Roles).includes(`"${role}"`))
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action])).sort();
}

function resourceOf(type: string, logical: string) {
  const found = resources[logical];
  expect(found?.Type).toBe(type);
  return found!;
}

describe('state table', () => {
  it('has exactly the keys, indexes and TTL attribute of the shared schema', () => {
    const table = resourceOf('AWS::DynamoDB::Table', logicalId(s.stack.driftless.state.table));
    const p = table.Properties;
    expect(p.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
    ]);
    const indexes = (
      p.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[]
    )
      .map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(indexes).toEqual(
      TABLE_DEFINITION.globalSecondaryIndexes.map((i) => ({
        name: i.indexName,
        keys: [
          { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
        ],
        projection: { ProjectionType: 'ALL' },
      })),
    );
    const declared = (p.AttributeDefinitions as { AttributeName: string; AttributeType: string }[]).sort(
      (a, b) => a.AttributeName.localeCompare(b.AttributeName),
    );
    const fromSchema = [
      TABLE_DEFINITION.partitionKey,
      TABLE_DEFINITION.sortKey,
      ...TABLE_DEFINITION.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]
      .map((k) => ({ AttributeName: k.name, AttributeType: k.type }))
      .sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));
    expect(declared).toEqual(fromSchema);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
  });

  it('is on-demand, point-in-time recoverable, KMS encrypted, deletion protected and retained', () => {
    const table = resourceOf('AWS::DynamoDB::Table', logicalId(s.stack.driftless.state.table));
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // SSEEnabled alone selects the AWS managed KMS key (aws/dynamodb) rather than an AWS owned one.
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('queues', () => {
  it('intake is FIFO with sender-given deduplication ids and redrives to a FIFO dead-letter queue', () => {
    const q = s.stack.driftless.queues;
    const intake = resourceOf('AWS::SQS::Queue', logicalId(q.intake));
    const dlq = resourceOf('AWS::SQS::Queue', logicalId(q.intakeDeadLetter));
    expect(intake.Properties).toMatchObject({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
      // Six times the worker's 5-minute timeout.
      VisibilityTimeout: 1800,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(q.intakeDeadLetter), 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      },
    });
    expect(dlq.Properties).toMatchObject({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
  });

  it('continuation is a standard queue (per-message delays) with its own dead-letter queue', () => {
    const q = s.stack.driftless.queues;
    const continuation = resourceOf('AWS::SQS::Queue', logicalId(q.continuation));
    expect(continuation.Properties.FifoQueue).toBeUndefined();
    expect(continuation.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(q.continuationDeadLetter), 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      },
    });
  });

  it('every queue refuses requests without TLS', () => {
    const q = s.stack.driftless.queues;
    for (const queue of [q.intake, q.intakeDeadLetter, q.continuation, q.continuationDeadLetter]) {
      s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(queue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

describe('functions', () => {
  it('run nodejs22.x on x86_64 with X-Ray, source maps and their own log group', () => {
    for (const fn of s.stack.driftless.functions.all) {
      const f = resourceOf('AWS::Lambda::Function', logicalId(fn.function));
      expect(f.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['x86_64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
      });
      expect(resourceOf('AWS::Logs::LogGroup', logicalId(fn.logGroup)).Properties.RetentionInDays).toBe(30);
    }
  });

  it('only the worker carries the kubectl/helm layer, and its concurrency is reserved per cluster', () => {
    const { worker, webhook, driftScan, api } = s.stack.driftless.functions;
    const props = resourceOf('AWS::Lambda::Function', logicalId(worker.function)).Properties;
    const layers = props.Layers as { Ref: string }[];
    expect(layers).toHaveLength(1);
    expect(resourceOf('AWS::Lambda::LayerVersion', layers[0]!.Ref).Properties.Description).toMatch(
      /kubectl.*helm/,
    );
    // 3 clusters x 2 per cluster, for each of the two queues.
    expect(props.ReservedConcurrentExecutions).toBe(12);
    expect(props.EphemeralStorage).toEqual({ Size: 2048 });
    for (const other of [webhook, driftScan, api]) {
      expect(
        resourceOf('AWS::Lambda::Function', logicalId(other.function)).Properties.Layers,
      ).toBeUndefined();
    }
  });

  it('are told the table, the queues, the config repository and the clusters', () => {
    const { worker, webhook } = s.stack.driftless.functions;
    const env = (fn: IConstruct) =>
      (
        resourceOf('AWS::Lambda::Function', logicalId(fn)).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    const q = s.stack.driftless.queues;
    expect(env(webhook.function)).toMatchObject({
      [ENV.tableName]: { Ref: logicalId(s.stack.driftless.state.table) },
      [ENV.intakeQueueUrl]: { Ref: logicalId(q.intake) },
      [ENV.continuationQueueUrl]: { Ref: logicalId(q.continuation) },
      [ENV.maxReceiveCount]: String(MAX_RECEIVE_COUNT),
      [ENV.configRepoUrl]: 'https://github.com/acme/gitops.git',
      [ENV.configRevision]: 'main',
      [ENV.configPath]: 'argocd',
      [ENV.webhookSecretName]: 'driftless/webhook',
      [ENV.repoCredentialSecretNames]: '["driftless/repo-github"]',
      [ENV.driftScanSeconds]: '180',
    });
    // Only the worker posts preview commit statuses, so only it is told the tokens' secret.
    expect(env(worker.function)[ENV.commitStatusSecretName]).toBe('driftless/commit-status');
    expect(env(webhook.function)[ENV.commitStatusSecretName]).toBeUndefined();
    const clusters = s.stack.resolve(env(worker.function)[ENV.clusters]);
    // The stack region is unresolved, so the JSON is joined around { Ref: AWS::Region }.
    const text = JSON.stringify(clusters);
    expect(text).toContain('\\"name\\":\\"prod\\",\\"clusterName\\":\\"prod\\"');
    expect(text).toContain('\\"namespaces\\":[\\"web\\",\\"payments\\"]');
    expect(text).toContain(`\\"roleArn\\":\\"${CROSS_ACCOUNT_ROLE}\\"`);
    expect(text).toContain('\\"region\\":\\"eu-west-1\\"');
  });

  it('the worker consumes both queues with partial batch responses and bounded concurrency', () => {
    const { worker } = s.stack.driftless.functions;
    const q = s.stack.driftless.queues;
    for (const queue of [q.intake, q.continuation]) {
      s.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(worker.function) },
        EventSourceArn: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 5,
        ScalingConfig: { MaximumConcurrency: 6 },
      });
    }
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });
});

describe('IAM', () => {
  const fns = () => s.stack.driftless.functions;

  it('no statement uses "*" as a resource except X-Ray, which has no resource-level permissions', () => {
    for (const fn of fns().all) {
      for (const st of statementsOf(fn.role)) {
        const wildcard = JSON.stringify(st.Resource) === '"*"';
        if (wildcard) expect(actionsOf([st])).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
        expect(actionsOf([st]).some((a) => a.endsWith(':*') || a === '*')).toBe(false);
      }
    }
  });

  it('roles carry no managed policies (not even AWSLambdaBasicExecutionRole)', () => {
    for (const fn of fns().all) {
      expect(resourceOf('AWS::IAM::Role', logicalId(fn.role)).Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('table access names the table and its two indexes; writes only where the function writes; never Scan', () => {
    const table = logicalId(s.stack.driftless.state.table);
    const dynamo = (fn: IConstruct) =>
      statementsOf(fn).filter((st) => actionsOf([st]).some((a) => a.startsWith('dynamodb:')));
    for (const fn of fns().all) {
      const statements = dynamo(fn.role);
      const text = JSON.stringify(statements);
      expect(text).not.toContain('dynamodb:Scan');
      expect(text).not.toContain('index/*');
      for (const index of TABLE_DEFINITION.globalSecondaryIndexes)
        expect(text).toContain(`/index/${index.indexName}`);
      for (const st of statements) expect(JSON.stringify(st.Resource)).toContain(table);
    }
    const writes = (fn: IConstruct) => actionsOf(dynamo(fn)).filter((a) => a === 'dynamodb:PutItem');
    expect(writes(fns().webhook.role)).toEqual(['dynamodb:PutItem']);
    expect(writes(fns().worker.role)).toEqual(['dynamodb:PutItem']);
    expect(writes(fns().driftScan.role)).toEqual([]);
    expect(writes(fns().api.role)).toEqual([]);
  });

  it('queue rights: everyone sends to intake; only the worker receives, and only it uses the continuation queue', () => {
    const q = s.stack.driftless.queues;
    const sqs = (fn: IConstruct) =>
      statementsOf(fn).filter((st) => actionsOf([st]).some((a) => a.startsWith('sqs:')));
    for (const fn of [fns().webhook, fns().driftScan, fns().api]) {
      const statements = sqs(fn.role);
      expect(actionsOf(statements)).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
      expect(statements.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [logicalId(q.intake), 'Arn'] }]);
    }
    const worker = JSON.stringify(sqs(fns().worker.role));
    expect(worker).toContain('sqs:ReceiveMessage');
    expect(worker).toContain(logicalId(q.continuation));
    expect(worker).not.toContain(logicalId(q.intakeDeadLetter));
  });

  it('secrets are readable by name by the two functions that load the configuration, and no other', () => {
    const secrets = (fn: IConstruct) =>
      statementsOf(fn).filter((st) => actionsOf([st]).includes('secretsmanager:GetSecretValue'));
    for (const fn of [fns().webhook, fns().worker]) {
      const text = JSON.stringify(secrets(fn.role));
      expect(text).toContain(':secret:driftless/webhook-??????');
      expect(text).toContain(':secret:driftless/repo-github-??????');
    }
    expect(secrets(fns().driftScan.role)).toEqual([]);
    expect(secrets(fns().api.role)).toEqual([]);
  });

  it('the worker may describe its own-account clusters and assume the cross-account role, nothing more', () => {
    const worker = statementsOf(fns().worker.role);
    const eks = worker.filter((st) => actionsOf([st]).includes('eks:DescribeCluster'));
    expect(eks).toHaveLength(1);
    const eksText = JSON.stringify(eks[0]!.Resource);
    expect(eksText).toContain(':cluster/prod"');
    expect(eksText).toContain(':cluster/platform-eks"');
    expect(eksText).not.toContain('partner-eks');
    const sts = worker.filter((st) => actionsOf([st]).includes('sts:AssumeRole'));
    expect(sts.map((st) => st.Resource)).toEqual([CROSS_ACCOUNT_ROLE]);
    for (const fn of [fns().webhook, fns().driftScan, fns().api]) {
      expect(
        actionsOf(statementsOf(fn.role)).filter((a) => a.startsWith('eks:') || a.startsWith('sts:')),
      ).toEqual([]);
    }
  });
});

describe('HTTP API', () => {
  it('webhook routes are open (verified in code), application routes take IAM authorisation', () => {
    const routes = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType ?? 'NONE'])
      .sort();
    expect(routes).toEqual([
      ['GET /api/v1/applications', 'AWS_IAM'],
      ['GET /api/v1/applications/{proxy+}', 'AWS_IAM'],
      ['GET /api/v1/applicationsets', 'AWS_IAM'],
      ['GET /api/v1/applicationsets/{name}', 'AWS_IAM'],
      ['POST /api/v1/applications/{proxy+}', 'AWS_IAM'],
      ['POST /api/v1/refresh', 'NONE'],
      ['POST /api/webhook', 'NONE'],
    ]);
  });

  it('the stage throttles and writes JSON access logs to a log group with retention', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('"status":"\\$context.status"'),
      },
    });
  });

  it("outputs the webhook URL on Argo CD's path", () => {
    const out = s.template.findOutputs('WebhookUrl');
    expect(JSON.stringify(out.WebhookUrl?.Value)).toContain('/api/webhook');
  });
});

describe('drift schedule', () => {
  it('runs the drift scan every 3 minutes', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(3 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(s.stack.driftless.functions.driftScan.function), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 180 },
        }),
      ],
    });
  });
});

describe('EKS access', () => {
  it('makes an access entry per own-account cluster: namespaces scoped by default, cluster admin when asked', () => {
    const principal = { 'Fn::GetAtt': [logicalId(s.stack.driftless.functions.worker.role), 'Arn'] };
    s.template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    s.template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'prod',
      PrincipalArn: principal,
      Type: 'STANDARD',
      AccessPolicies: [
        {
          PolicyArn: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSAdminPolicy'],
            ],
          },
          AccessScope: { Type: 'namespace', Namespaces: ['web', 'payments'] },
        },
      ],
    });
    s.template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'platform-eks',
      PrincipalArn: principal,
      AccessPolicies: [
        {
          PolicyArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
              ],
            ],
          },
          AccessScope: { Type: 'cluster' },
        },
      ],
    });
  });
});

describe('alarms', () => {
  const topic = () => ({ Ref: logicalId(s.stack.driftless.alarmTopic.topic) });
  const alarmsWhere = (predicate: (p: Record<string, unknown>) => boolean) =>
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties)
      .filter(predicate);

  it('OutOfSyncApplications > 0 for N drift scans, on the fleet-wide gauge without dimensions', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRIC_NAMESPACE,
      MetricName: MetricName.OutOfSyncApplications,
      Dimensions: Match.absent(),
      Statistic: 'Maximum',
      Period: 180,
      EvaluationPeriods: 4,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: [topic()],
      OKActions: [topic()],
    });
  });

  it('per-app drift for each critical app', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: MetricName.DriftedResources,
      Dimensions: Match.arrayEquals([
        { Name: 'App', Value: 'payments' },
        { Name: 'Service', Value: 'sync-worker' },
      ]),
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 4,
      AlarmActions: [topic()],
    });
  });

  it('sync failures summed across apps with a Metrics Insights query', () => {
    const [alarm, ...others] = alarmsWhere((p) =>
      JSON.stringify(p.Metrics ?? '').includes('SUM(SyncFailures)'),
    );
    expect(others).toEqual([]);
    expect(alarm).toMatchObject({
      Metrics: [
        {
          Expression: `SELECT SUM(SyncFailures) FROM SCHEMA("Driftless", App, Service) WHERE Service = 'sync-worker'`,
          Period: 300,
          ReturnData: true,
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('dead-letter queue depth on both DLQs', () => {
    const q = s.stack.driftless.queues;
    for (const dlq of q.deadLetterQueues) {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(dlq), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topic()],
      });
    }
  });

  it('webhook 5xx on any error and 4xx as a share of at least 10 requests', () => {
    const apiId = { Ref: logicalId(s.stack.driftless.api.httpApi) };
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: apiId }],
      Statistic: 'Sum',
      Threshold: 1,
    });
    const [rate] = alarmsWhere((p) => JSON.stringify(p.Metrics ?? '').includes('clientErrors'));
    expect(rate).toMatchObject({ Threshold: 50, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const metrics = rate!.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string } };
    }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe(
      'IF(requests >= 10, 100 * clientErrors / requests, 0)',
    );
    expect(
      metrics
        .filter((m) => m.MetricStat)
        .map((m) => [m.Id, m.MetricStat!.Metric.MetricName])
        .sort(),
    ).toEqual([
      ['clientErrors', '4xx'],
      ['requests', 'Count'],
    ]);
  });

  it('worker errors and throttles', () => {
    const worker = { Ref: logicalId(s.stack.driftless.functions.worker.function) };
    for (const metric of ['Errors', 'Throttles']) {
      s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: worker }],
        Statistic: 'Sum',
        Threshold: 1,
        AlarmActions: [topic()],
      });
    }
    expect(alarmsWhere(() => true)).toHaveLength(9);
  });

  it('notify an SNS topic under a rotating KMS key CloudWatch may use, with the email subscribed', () => {
    const key = logicalId(s.stack.driftless.alarmTopic.node.findChild('Key'));
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    s.template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    s.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: topic(),
    });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('dashboard', () => {
  it('shows sync status, drift, sync duration percentiles, latency, queue depth and the alarms', () => {
    const board = resourceOf('AWS::CloudWatch::Dashboard', logicalId(s.stack.driftless.dashboard.dashboard));
    const body = JSON.stringify(s.stack.resolve(board.Properties.DashboardBody));
    for (const text of [
      'Applications OutOfSync',
      MetricName.OutOfSyncApplications,
      'Applications by sync status',
      'Applications by health status',
      '\\"SyncStatus\\",\\"OutOfSync\\"',
      '\\"HealthStatus\\",\\"Degraded\\"',
      `MAX(${MetricName.DriftedResources})`,
      `MetricName=\\\\\\"${MetricName.SyncDuration}\\\\\\"`,
      "'p50'",
      "'p99'",
      MetricName.WebhookToSyncLatency,
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'alarm',
    ]) {
      expect(body).toContain(text);
    }
  });
});

describe('cdk-nag', () => {
  it('AwsSolutions finds nothing that is not acknowledged with a reason next to it', () => {
    const report = new AwsSolutionsChecks(s.app).validateScope(s.app);
    expect(
      report.violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });
});
