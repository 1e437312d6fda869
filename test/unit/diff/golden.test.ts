import { describe, expect, it } from 'vitest';
import {
  applyRespectIgnoreDifferences,
  type DiffResourceOptions,
  type DiffResult,
  diffResource,
  renderYaml,
  unifiedDiff,
} from '../../../shared/diff/index.js';
import type { KubeObject, ResourceKey } from '../../../shared/model/index.js';
import { asDeployment, deepFreeze, deploymentKey, desiredDeployment, liveDeployment } from './fixtures.js';

const golden = (name: string) => `../../golden/diff/${name}.diff`;

/** The golden text: a summary of the result, then the diff as `argocd app diff` would print it. */
function report(result: DiffResult): string {
  return [
    `# status: ${result.status}, change: ${result.change}, modified: ${result.modified}, comparison: ${result.comparison}`,
    `# changedPaths: ${result.changedPaths.length === 0 ? '(none)' : result.changedPaths.join(', ')}`,
    unifiedDiff(result),
  ].join('\n');
}

function run(options: DiffResourceOptions): { result: DiffResult; text: string } {
  const result = diffResource(options);
  return { result, text: report(result) };
}

describe('diffResource golden diffs', () => {
  it('reports no drift when live only adds server defaults and bookkeeping', async () => {
    const desired = desiredDeployment();
    const { result, text } = run({ key: deploymentKey, desired, live: liveDeployment(desired) });
    expect(result.status).toBe('Synced');
    expect(result.changedPaths).toEqual([]);
    expect(unifiedDiff(result)).toBe('');
    await expect(text).toMatchFileSnapshot(golden('in-sync-server-defaults'));
  });

  it('compares the server-side dry-run result with live when given, defaults included', async () => {
    const desired = desiredDeployment();
    const live = liveDeployment(desired);
    const predicted = deepFreeze({
      ...structuredClone(live),
      metadata: { ...live.metadata, resourceVersion: '1' },
    });
    expect(diffResource({ key: deploymentKey, desired, live, predicted }).status).toBe('Synced');
    // Someone changed a defaulted field: invisible to the desired-fields comparison, visible with predicted.
    const tampered = asDeployment(live);
    tampered.spec.template.spec.containers[0]!.imagePullPolicy = 'Always';
    expect(diffResource({ key: deploymentKey, desired, live: deepFreeze(tampered) }).status).toBe('Synced');
    const { result, text } = run({ key: deploymentKey, desired, live: deepFreeze(tampered), predicted });
    expect(result.comparison).toBe('predicted');
    expect(result.changedPaths).toEqual(['spec.template.spec.containers[name=web].imagePullPolicy']);
    await expect(text).toMatchFileSnapshot(golden('predicted-defaulted-field-changed'));
  });

  it('shows a changed image', async () => {
    const live = liveDeployment(desiredDeployment({ image: 'nginx:1.25' }));
    const { result, text } = run({
      key: deploymentKey,
      desired: desiredDeployment({ image: 'nginx:1.27' }),
      live,
    });
    expect(result).toMatchObject({ status: 'OutOfSync', change: 'update', modified: true });
    expect(result.changedPaths).toEqual(['spec.template.spec.containers[name=web].image']);
    await expect(text).toMatchFileSnapshot(golden('changed-image'));
  });

  it('shows an added label and a removed one we applied, not a label another party added', async () => {
    const before = desiredDeployment({ labels: { app: 'web', team: 'a' } });
    const live = liveDeployment(before, { labels: { 'policy.example.com/scanned': 'true' } });
    const desired = desiredDeployment({ labels: { app: 'web', tier: 'frontend' } });
    const { result, text } = run({ key: deploymentKey, desired, live });
    expect(result.changedPaths).toEqual(['metadata.labels.team', 'metadata.labels.tier']);
    await expect(text).toMatchFileSnapshot(golden('labels-added-removed'));
  });

  it('pairs containers by name, ignores an injected one, shows changes inside the list', async () => {
    const containers = [
      { name: 'web', image: 'nginx:1.27', env: [{ name: 'MODE', value: 'prod' }] },
      { name: 'log-shipper', image: 'fluent-bit:3.0', args: ['--level', 'info'] },
    ];
    const applied = desiredDeployment({ containers });
    const live = liveDeployment(applied, {
      containers: [
        { name: 'istio-proxy', image: 'istio/proxyv2:1.24' },
        { name: 'web', image: 'nginx:1.27', env: [{ name: 'MODE', value: 'debug' }] },
        { name: 'log-shipper', image: 'fluent-bit:3.0', args: ['--level', 'info'] },
      ],
    });
    const desired = desiredDeployment({
      containers: [containers[0]!, { ...containers[1]!, args: ['--level', 'warn'] }],
    });
    const { result, text } = run({ key: deploymentKey, desired, live });
    expect(result.changedPaths).toEqual([
      'spec.template.spec.containers[name=web].env[name=MODE].value',
      'spec.template.spec.containers[name=log-shipper].args[1]',
    ]);
    await expect(text).toMatchFileSnapshot(golden('list-map-containers'));
  });

  it('masks Secret values: equal values equal masks, changes visible, nothing revealed', async () => {
    const key: ResourceKey = { group: '', kind: 'Secret', namespace: 'shop', name: 'db' };
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const desired = deepFreeze({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      type: 'Opaque',
      stringData: { username: 'admin-user', password: 'n3w-pa55' },
    });
    const live = deepFreeze({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'shop',
        resourceVersion: '77',
        managedFields: [
          {
            manager: 'argocd-controller',
            operation: 'Apply',
            apiVersion: 'v1',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:data': { 'f:username': {}, 'f:password': {}, 'f:token': {} }, 'f:type': {} },
          },
        ],
      },
      type: 'Opaque',
      data: { username: b64('admin-user'), password: b64('old-pa55'), token: b64('t0ken-value') },
    });
    const { result, text } = run({ key, desired, live });
    expect(result.changedPaths).toEqual(['data.password', 'data.token']);
    for (const secret of ['admin-user', 'n3w-pa55', 'old-pa55', 't0ken-value']) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(b64(secret));
      expect(JSON.stringify(result)).not.toContain(b64(secret));
    }
    type Masked = { data: Record<string, string>; stringData?: unknown };
    const masked = result.normalizedDesired as unknown as Masked;
    const maskedLive = result.normalizedLive as unknown as Masked;
    expect(masked.data.username).toBe(maskedLive.data.username);
    expect(masked.data.password).not.toBe(maskedLive.data.password);
    expect(masked.stringData).toBeUndefined();
    await expect(text).toMatchFileSnapshot(golden('secret-masked'));
  });

  it('ignores fields named by jsonPointers, including ~1 escapes', async () => {
    const desired = desiredDeployment({ replicas: 2, image: 'nginx:1.27' });
    const live = liveDeployment(desiredDeployment({ replicas: 5, image: 'nginx:1.25' }), {
      annotations: { 'example.com/rollout-id': 'r-42' },
    });
    const withAnnotation = desiredDeployment({ annotations: { 'example.com/rollout-id': 'r-1' } });
    const ignore = {
      application: [
        {
          group: 'apps',
          kind: 'Deployment',
          jsonPointers: ['/spec/replicas', '/metadata/annotations/example.com~1rollout-id', '/no/such/field'],
        },
      ],
    };
    const { result, text } = run({
      key: deploymentKey,
      desired: { ...desired, metadata: withAnnotation.metadata },
      live,
      ignore,
    });
    expect(result.changedPaths).toEqual(['spec.template.spec.containers[name=web].image']);
    await expect(text).toMatchFileSnapshot(golden('json-pointers'));
  });

  const jqCases: ReadonlyArray<{
    name: string;
    expression: string;
    build: () => DiffResourceOptions;
    paths: string[];
  }> = [
    {
      name: 'jq-field',
      expression: '.spec.replicas',
      build: () => ({
        key: deploymentKey,
        desired: desiredDeployment({ replicas: 2, image: 'nginx:1.27' }),
        live: liveDeployment(desiredDeployment({ replicas: 7, image: 'nginx:1.25' })),
      }),
      paths: ['spec.template.spec.containers[name=web].image'],
    },
    {
      name: 'jq-quoted-key',
      expression: '.metadata.annotations."foo.bar/x"',
      build: () => ({
        key: deploymentKey,
        desired: desiredDeployment({ annotations: { 'foo.bar/x': 'git', 'foo.bar/y': 'git' } }),
        live: liveDeployment(desiredDeployment(), {
          annotations: { 'foo.bar/x': 'cluster', 'foo.bar/y': 'cluster' },
        }),
      }),
      paths: ['metadata.annotations["foo.bar/y"]'],
    },
    {
      name: 'jq-select-container-image',
      expression: '.spec.template.spec.containers[] | select(.name == "sidecar") | .image',
      build: () => {
        const containers = [
          { name: 'web', image: 'nginx:1.27' },
          { name: 'sidecar', image: 'envoy:1.30' },
        ];
        return {
          key: deploymentKey,
          desired: desiredDeployment({ containers }),
          live: liveDeployment(desiredDeployment({ containers }), {
            containers: [
              { name: 'web', image: 'nginx:1.25' },
              { name: 'sidecar', image: 'envoy:1.31-patched' },
            ],
          }),
        };
      },
      paths: ['spec.template.spec.containers[name=web].image'],
    },
    {
      name: 'jq-optional-env-startswith',
      expression: '.spec.template.spec.containers[].env[]? | select(.name | startswith("X"))',
      build: () => {
        const containers = [
          { name: 'init-free', image: 'busybox:1.36' },
          {
            name: 'web',
            image: 'nginx:1.27',
            env: [
              { name: 'X_BUILD', value: 'git' },
              { name: 'MODE', value: 'prod' },
            ],
          },
        ];
        return {
          key: deploymentKey,
          desired: desiredDeployment({ containers }),
          live: liveDeployment(desiredDeployment({ containers }), {
            containers: [
              { name: 'init-free', image: 'busybox:1.36' },
              {
                name: 'web',
                image: 'nginx:1.27',
                env: [
                  { name: 'X_BUILD', value: 'cluster-123' },
                  { name: 'MODE', value: 'debug' },
                  { name: 'X_INJECTED', value: 'yes' },
                ],
              },
            ],
          }),
        };
      },
      paths: ['spec.template.spec.containers[name=web].env[name=MODE].value'],
    },
    {
      name: 'jq-webhook-ca-bundle',
      expression: '.webhooks[]?.clientConfig.caBundle',
      build: () => {
        const key: ResourceKey = {
          group: 'admissionregistration.k8s.io',
          kind: 'MutatingWebhookConfiguration',
          namespace: '',
          name: 'injector',
        };
        const webhook = (caBundle: string | undefined, timeoutSeconds: number) => ({
          name: 'inject.example.com',
          clientConfig: {
            service: { name: 'injector', namespace: 'mesh', path: '/inject' },
            ...(caBundle ? { caBundle } : {}),
          },
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          timeoutSeconds,
        });
        const make = (caBundle: string | undefined, timeoutSeconds: number): KubeObject =>
          deepFreeze({
            apiVersion: 'admissionregistration.k8s.io/v1',
            kind: 'MutatingWebhookConfiguration',
            metadata: { name: 'injector' },
            webhooks: [webhook(caBundle, timeoutSeconds)],
          });
        return { key, desired: make('Cg==', 10), live: make('LS0tLS1CRUdJTi1DRVJU', 5) };
      },
      paths: ['webhooks[name=inject.example.com].timeoutSeconds'],
    },
    {
      name: 'jq-array-index',
      expression: '.spec.template.spec.containers[0].image',
      build: () => ({
        key: deploymentKey,
        desired: desiredDeployment({ replicas: 3, image: 'nginx:1.27' }),
        live: liveDeployment(desiredDeployment({ replicas: 2, image: 'nginx:1.25' })),
      }),
      paths: ['spec.replicas'],
    },
    {
      name: 'jq-select-and',
      expression:
        '.spec.template.spec.containers[] | select(.name == "web" and .image != "nginx:1.27") | .resources',
      build: () => {
        const containers = [
          { name: 'web', image: 'nginx:1.26', resources: { limits: { cpu: '1' } } },
          { name: 'worker', image: 'nginx:1.27', resources: { limits: { cpu: '1' } } },
        ];
        return {
          key: deploymentKey,
          desired: desiredDeployment({ containers }),
          live: liveDeployment(desiredDeployment({ containers }), {
            containers: [
              { name: 'web', image: 'nginx:1.26', resources: { limits: { cpu: '2' } } },
              { name: 'worker', image: 'nginx:1.27', resources: { limits: { cpu: '2' } } },
            ],
          }),
        };
      },
      paths: ['spec.template.spec.containers[name=worker].resources.limits.cpu'],
    },
  ];

  for (const c of jqCases) {
    it(`ignores what jqPathExpression ${c.expression} selects`, async () => {
      const options = c.build();
      const unignored = diffResource(options);
      const ignore = {
        application: [
          { group: options.key.group, kind: options.key.kind, jqPathExpressions: [c.expression] },
        ],
      };
      const { result, text } = run({ ...options, ignore });
      // The rule must remove something that differed, and only that.
      expect(unignored.changedPaths.length).toBeGreaterThan(result.changedPaths.length);
      expect(result.changedPaths).toEqual(c.paths);
      await expect(`# jqPathExpression: ${c.expression}\n${text}`).toMatchFileSnapshot(golden(c.name));
    });
  }

  it('ignores fields owned by managedFieldsManagers when they differ', async () => {
    const desired = desiredDeployment({ replicas: 2, image: 'nginx:1.27' });
    const hpa = {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: '2026-11-21T09:30:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      subresource: 'scale',
    };
    const live = liveDeployment(desiredDeployment({ image: 'nginx:1.25' }), {
      replicas: 6,
      managedFields: [hpa],
    });
    expect(diffResource({ key: deploymentKey, desired, live }).changedPaths).toContain('spec.replicas');
    const ignore = {
      application: [
        { group: 'apps', kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager'] },
      ],
    };
    const { result, text } = run({ key: deploymentKey, desired, live, ignore });
    expect(result.changedPaths).toEqual(['spec.template.spec.containers[name=web].image']);
    await expect(text).toMatchFileSnapshot(golden('managed-fields-managers'));
  });

  it('applies argocd-cm customizations and .all to matching resources only', async () => {
    const desired = desiredDeployment({ replicas: 2, labels: { app: 'web', 'ci-run': '100' } });
    const live = liveDeployment(desiredDeployment({ replicas: 4, labels: { app: 'web', 'ci-run': '99' } }));
    const ignore = {
      customizations: [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas'] }],
      all: { jsonPointers: ['/metadata/labels/ci-run'] },
    };
    const { result, text } = run({ key: deploymentKey, desired, live, ignore });
    expect(result.status).toBe('Synced');
    const onlyStatefulSets = {
      customizations: [{ group: 'apps', kind: 'StatefulSet', jqPathExpressions: ['.spec.replicas'] }],
    };
    expect(
      diffResource({ key: deploymentKey, desired, live, ignore: onlyStatefulSets }).changedPaths,
    ).toEqual(['metadata.labels.ci-run', 'spec.replicas']);
    const secretKey: ResourceKey = { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'settings' };
    const cm = (run: string): KubeObject =>
      deepFreeze({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', labels: { 'ci-run': run } },
        data: { a: run },
      });
    const other = diffResource({ key: secretKey, desired: cm('1'), live: cm('2'), ignore });
    expect(other.changedPaths).toEqual(['data.a']);
    await expect(`${text}\n${report(other)}`).toMatchFileSnapshot(golden('customizations-and-all'));
  });

  it('RespectIgnoreDifferences keeps live values of ignored fields in what is applied', async () => {
    const desired = desiredDeployment({
      replicas: 2,
      containers: [
        { name: 'web', image: 'nginx:1.27' },
        { name: 'sidecar', image: 'envoy:1.30' },
      ],
    });
    const live = liveDeployment(desired, {
      replicas: 9,
      containers: [
        { name: 'mesh-proxy', image: 'istio/proxyv2:1.24' },
        { name: 'sidecar', image: 'envoy:1.31-patched' },
        { name: 'web', image: 'nginx:1.25' },
      ],
    });
    const ignore = {
      application: [
        {
          group: 'apps',
          kind: 'Deployment',
          jsonPointers: ['/spec/replicas'],
          jqPathExpressions: [
            '.spec.template.spec.containers[] | select(.name == "sidecar") | .image',
            '.spec.template.spec.containers[] | select(.name == "mesh-proxy")',
          ],
        },
      ],
    };
    const applied = asDeployment(applyRespectIgnoreDifferences({ desired, live, ignore }));
    expect(applied.spec.replicas).toBe(9);
    expect(applied.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'web=nginx:1.27',
      'sidecar=envoy:1.31-patched',
      'mesh-proxy=istio/proxyv2:1.24',
    ]);
    expect(applyRespectIgnoreDifferences({ desired, ignore })).toEqual(desired);
    await expect(renderYaml(applied)).toMatchFileSnapshot(
      '../../golden/diff/respect-ignore-differences.yaml',
    );
  });

  it('reports a missing live object as a create', async () => {
    const { result, text } = run({ key: deploymentKey, desired: desiredDeployment() });
    expect(result).toMatchObject({
      status: 'OutOfSync',
      change: 'create',
      modified: true,
      requiresPruning: false,
    });
    expect(result.normalizedLive).toBeUndefined();
    await expect(text).toMatchFileSnapshot(golden('missing-live'));
  });

  it('reports a live object without desired as requiring pruning', async () => {
    const { result, text } = run({ key: deploymentKey, live: liveDeployment(desiredDeployment()) });
    expect(result).toMatchObject({
      status: 'OutOfSync',
      change: 'delete',
      modified: false,
      requiresPruning: true,
    });
    await expect(text).toMatchFileSnapshot(golden('extra-live'));
  });
});
