import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import type { DriftlessProps } from '../../infra/lib/constructs/driftless-props.js';
import { resolveDriftlessProps } from '../../infra/lib/constructs/resolve-props.js';
import { propsFromContext } from '../../infra/lib/stacks/context-props.js';
import { isDriftlessError } from '../../shared/errors/index.js';

const base: DriftlessProps = {
  clusters: [{ eksClusterName: 'prod', access: { kind: 'namespaces', namespaces: ['web'] } }],
  configRepository: { url: 'https://github.com/acme/gitops.git' },
};

function failure(props: DriftlessProps, options: { stackRegion?: string } = {}): string {
  try {
    resolveDriftlessProps(props, options);
  } catch (e) {
    if (isDriftlessError(e, 'INVALID_INPUT')) return e.message;
    throw e;
  }
  throw new Error('expected the props to be refused');
}

describe('resolveDriftlessProps', () => {
  it('applies the secure defaults', () => {
    const r = resolveDriftlessProps(base);
    expect(r.clusters).toEqual([
      {
        name: 'prod',
        eksClusterName: 'prod',
        region: undefined,
        roleArn: undefined,
        access: { kind: 'namespaces', namespaces: ['web'] },
      },
    ]);
    expect(r.configRepository).toEqual({
      url: 'https://github.com/acme/gitops.git',
      revision: 'HEAD',
      path: '.',
    });
    expect(r.deletionProtection).toBe(true);
    expect(r.driftScanInterval.toMinutes()).toBe(3);
    expect(r.logRetention).toBe(RetentionDays.ONE_MONTH);
    expect(r.worker).toMatchObject({
      memorySize: 1769,
      concurrency: 2,
      reserveConcurrency: true,
      batchSize: 5,
    });
    expect(r.worker.timeout.toMinutes()).toBe(5);
    expect(r.alarms).toMatchObject({ outOfSyncPeriods: 3, criticalApps: [], webhookClientErrorPercent: 50 });
    expect(r.api).toEqual({ rateLimit: 50, burstLimit: 100 });
  });

  it('sizes worker concurrency by the number of clusters', () => {
    const clusters = ['a', 'b', 'c'].map((n) => ({
      eksClusterName: n,
      access: { kind: 'cluster-admin' as const },
    }));
    expect(
      resolveDriftlessProps({ ...base, clusters, worker: { concurrencyPerCluster: 4 } }).worker.concurrency,
    ).toBe(12);
  });

  it.each<[string, DriftlessProps, RegExp]>([
    ['no clusters', { ...base, clusters: [] }, /clusters: must list at least one EKS cluster/],
    [
      'a bad EKS name',
      { ...base, clusters: [{ eksClusterName: 'has space', access: { kind: 'cluster-admin' } }] },
      /clusters\[0\]\.eksClusterName: "has space" is not a valid EKS cluster name/,
    ],
    [
      'no access for an own-account cluster',
      { ...base, clusters: [{ eksClusterName: 'prod' }] },
      /clusters\[0\]\.access: cluster "prod" is reached with the worker's own role/,
    ],
    [
      'access and a role together',
      {
        ...base,
        clusters: [
          {
            eksClusterName: 'prod',
            roleArn: 'arn:aws:iam::123456789012:role/x',
            access: { kind: 'cluster-admin' },
          },
        ],
      },
      /clusters\[0\]\.access: .*its access entry belongs in the role's account/,
    ],
    [
      'a role that is not a role ARN',
      { ...base, clusters: [{ eksClusterName: 'prod', roleArn: 'arn:aws:iam::123:user/x' }] },
      /clusters\[0\]\.roleArn: "arn:aws:iam::123:user\/x" is not an IAM role ARN/,
    ],
    [
      'an empty namespace list',
      { ...base, clusters: [{ eksClusterName: 'prod', access: { kind: 'namespaces', namespaces: [] } }] },
      /clusters\[0\]\.access\.namespaces: must list at least one namespace/,
    ],
    [
      'a namespace that is not a DNS label',
      {
        ...base,
        clusters: [{ eksClusterName: 'prod', access: { kind: 'namespaces', namespaces: ['Web_1'] } }],
      },
      /clusters\[0\]\.access\.namespaces\[0\]: "Web_1" is not a Kubernetes namespace name/,
    ],
    [
      'an unknown access kind (from untyped context JSON)',
      {
        ...base,
        clusters: [
          { eksClusterName: 'prod', access: { kind: 'everything' } as unknown as { kind: 'cluster-admin' } },
        ],
      },
      /clusters\[0\]\.access\.kind: must be "namespaces" or "cluster-admin", got "everything"/,
    ],
    [
      'two clusters with one name',
      {
        ...base,
        clusters: [
          { eksClusterName: 'a', name: 'prod', access: { kind: 'cluster-admin' } },
          { eksClusterName: 'b', name: 'prod', access: { kind: 'cluster-admin' } },
        ],
      },
      /clusters\[1\]\.name: "prod" is also the name of clusters\[0\]/,
    ],
    [
      'no config repository',
      { ...base, configRepository: undefined as never },
      /configRepository: is required/,
    ],
    [
      'a config repository that is not a git URL',
      { ...base, configRepository: { url: 'ftp://x' } },
      /configRepository\.url: "ftp:\/\/x" is not a git URL/,
    ],
    [
      'a config path leaving the repository',
      { ...base, configRepository: { url: 'https://github.com/a/b.git', path: '../etc' } },
      /configRepository\.path: "\.\.\/etc" must be a relative path inside the repository/,
    ],
    [
      'a drift interval in seconds',
      { ...base, driftScanInterval: Duration.seconds(90) },
      /driftScanInterval: must be whole minutes, got 90 seconds/,
    ],
    [
      'a worker timeout beyond Lambda’s 15 minutes',
      { ...base, worker: { timeout: Duration.minutes(20) } },
      /worker\.timeout \(minutes\): must be an integer from 1 to 15, got 20/,
    ],
    [
      'an alarm looking back more than a day',
      { ...base, driftScanInterval: Duration.minutes(60), alarms: { outOfSyncPeriods: 25 } },
      /alarms\.outOfSyncPeriods: 25 drift scans of 60 minutes exceed the one day/,
    ],
    [
      'a FIFO batch over 10',
      { ...base, worker: { batchSize: 11 } },
      /worker\.batchSize: must be an integer from 1 to 10/,
    ],
    ['a bad email', { ...base, alarms: { email: 'ops' } }, /alarms\.email: "ops" is not an email address/],
    [
      'an app listed twice as critical',
      { ...base, alarms: { criticalApps: ['web', 'web'] } },
      /alarms\.criticalApps: lists an application twice/,
    ],
    [
      'a retention CloudWatch does not offer',
      { ...base, logRetentionDays: 31 },
      /logRetentionDays: CloudWatch Logs keeps logs for one of 1, 3, 5/,
    ],
    [
      'a bad secret name',
      { ...base, webhookSecretName: 'has space' },
      /webhookSecretName: "has space" is not a Secrets Manager secret name/,
    ],
    [
      'a bad commit status secret name',
      { ...base, commitStatusSecretName: 'has space' },
      /commitStatusSecretName: "has space" is not a Secrets Manager secret name/,
    ],
    ['a short table name', { ...base, tableName: 'ab' }, /tableName: "ab" is not a DynamoDB table name/],
  ])('refuses %s, naming the prop', (_, props, message) => {
    expect(failure(props)).toMatch(/^Driftless props: /);
    expect(failure(props)).toMatch(message);
  });

  it('refuses an own-account cluster in another region than a known stack region', () => {
    const props: DriftlessProps = {
      ...base,
      clusters: [{ eksClusterName: 'prod', region: 'eu-west-1', access: { kind: 'cluster-admin' } }],
    };
    expect(failure(props, { stackRegion: 'us-east-1' })).toMatch(
      /clusters\[0\]\.region: cluster "prod" is in eu-west-1 but the stack deploys to us-east-1/,
    );
    expect(resolveDriftlessProps(props, { stackRegion: 'eu-west-1' }).clusters[0]?.region).toBe('eu-west-1');
    // A cluster in another region is fine through a role.
    const viaRole = {
      ...base,
      clusters: [
        { eksClusterName: 'prod', region: 'eu-west-1', roleArn: 'arn:aws:iam::123456789012:role/d' },
      ],
    };
    expect(resolveDriftlessProps(viaRole, { stackRegion: 'us-east-1' }).clusters[0]?.roleArn).toBe(
      'arn:aws:iam::123456789012:role/d',
    );
  });
});

describe('propsFromContext', () => {
  it('reads cdk.json-style settings, durations in minutes', () => {
    const props = propsFromContext({
      clusters: [{ eksClusterName: 'prod', access: { kind: 'cluster-admin' } }],
      configRepository: { url: 'https://github.com/acme/gitops.git', revision: 'main' },
      driftScanMinutes: 5,
      workerTimeoutMinutes: 10,
      alarmEmail: 'ops@example.com',
      criticalApps: ['web'],
      reserveWorkerConcurrency: false,
      deletionProtection: false,
      commitStatusSecretName: 'driftless/commit-status',
    });
    const r = resolveDriftlessProps(props);
    expect(r.commitStatusSecretName).toBe('driftless/commit-status');
    expect(r.driftScanInterval.toMinutes()).toBe(5);
    expect(r.worker.timeout.toMinutes()).toBe(10);
    expect(r.worker.reserveConcurrency).toBe(false);
    expect(r.alarms.email).toBe('ops@example.com');
    expect(r.alarms.criticalApps).toEqual(['web']);
    expect(r.deletionProtection).toBe(false);
    expect(r.configRepository.revision).toBe('main');
  });

  it('takes the JSON text `-c driftless=...` passes', () => {
    const text = JSON.stringify({
      clusters: [{ eksClusterName: 'prod', access: { kind: 'cluster-admin' } }],
      configRepository: { url: 'git@github.com:acme/gitops.git' },
    });
    expect(resolveDriftlessProps(propsFromContext(text)).configRepository.url).toBe(
      'git@github.com:acme/gitops.git',
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['nothing', undefined, /context "driftless": missing: set it in cdk\.json/],
    ['bad JSON', '{clusters', /context "driftless": not valid JSON/],
    ['an array', [], /context "driftless": must be an object/],
    ['a typo', { cluster: [] }, /context "driftless": unknown setting "cluster"; known: clusters, /],
    [
      'a string for a number',
      { driftScanMinutes: '3' },
      /context "driftless": driftScanMinutes must be a number, got "3"/,
    ],
  ])('refuses %s', (_, raw, message) => {
    expect(() => propsFromContext(raw)).toThrow(message);
  });
});
