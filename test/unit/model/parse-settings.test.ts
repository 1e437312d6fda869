import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  type LoadedDocument,
  parseArgoCdConfigMap,
  parseDocuments,
  parseRbacConfigMap,
} from '../../../shared/model/index.js';

function configMap(name: string, data: Record<string, unknown>): LoadedDocument {
  return {
    file: 'argocd/cm.yaml',
    index: 0,
    line: 1,
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'argocd' }, data },
  };
}

function problems(parsed: {
  kind: string;
  problems?: readonly Parameters<typeof formatProblem>[0][];
}): string[] {
  return parsed.kind === 'invalid' ? (parsed.problems ?? []).map(formatProblem) : [];
}

describe('parseArgoCdConfigMap', () => {
  it('types the keys Driftless acts on and keeps every key raw', () => {
    const data = {
      url: 'https://argocd.example.com',
      'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers:\n- /spec/replicas\n',
      'resource.customizations.ignoreDifferences.Service': 'jqPathExpressions: [.spec.clusterIP]\n',
      'resource.customizations.ignoreDifferences.all': 'managedFieldsManagers: [kube-controller-manager]\n',
      'resource.exclusions': '- apiGroups: [cilium.io]\n  kinds: [CiliumIdentity]\n  clusters: ["*"]\n',
      'resource.inclusions': '- apiGroups: ["*"]\n',
      'application.resourceTrackingMethod': 'annotation+label',
      'timeout.reconciliation': '3m',
      'resource.compareoptions': 'ignoreAggregatedRoles: true\nignoreResourceStatusField: all\n',
      'resource.customizations.health.argoproj.io_Rollout': 'hs = {}\nreturn hs\n',
    };
    const parsed = parseArgoCdConfigMap(configMap('argocd-cm', data));
    expect(problems(parsed)).toEqual([]);
    if (parsed.kind !== 'valid') return;
    const settings = parsed.value;
    expect(settings.url).toBe('https://argocd.example.com');
    expect(settings.ignoreDifferences).toEqual([
      {
        group: 'apps',
        kind: 'Deployment',
        rule: { jsonPointers: ['/spec/replicas'], jqPathExpressions: [], managedFieldsManagers: [] },
      },
      {
        group: '',
        kind: 'Service',
        rule: { jsonPointers: [], jqPathExpressions: ['.spec.clusterIP'], managedFieldsManagers: [] },
      },
    ]);
    expect(settings.ignoreDifferencesAll?.managedFieldsManagers).toEqual(['kube-controller-manager']);
    expect(settings.resourceExclusions).toEqual([
      { apiGroups: ['cilium.io'], kinds: ['CiliumIdentity'], clusters: ['*'] },
    ]);
    expect(settings.resourceInclusions).toEqual([{ apiGroups: ['*'], kinds: [], clusters: [] }]);
    expect(settings.resourceTrackingMethod).toBe('annotation+label');
    expect(settings.reconciliationTimeout).toBe('3m');
    expect(settings.compareOptions).toEqual({
      ignoreAggregatedRoles: true,
      ignoreResourceStatusField: 'all',
    });
    expect(settings.raw['resource.customizations.health.argoproj.io_Rollout']).toContain('return hs');
  });

  it('defaults the tracking method to annotation', () => {
    const parsed = parseArgoCdConfigMap(configMap('argocd-cm', {}));
    expect(parsed.kind === 'valid' && parsed.value.resourceTrackingMethod).toBe('annotation');
  });

  it('reads the older single resource.customizations key', () => {
    const parsed = parseArgoCdConfigMap(
      configMap('argocd-cm', {
        'resource.customizations':
          'admissionregistration.k8s.io/MutatingWebhookConfiguration:\n  ignoreDifferences: |\n    jsonPointers:\n    - /webhooks/0/clientConfig/caBundle\n',
      }),
    );
    expect(parsed.kind === 'valid' && parsed.value.ignoreDifferences).toEqual([
      {
        group: 'admissionregistration.k8s.io',
        kind: 'MutatingWebhookConfiguration',
        rule: {
          jsonPointers: ['/webhooks/0/clientConfig/caBundle'],
          jqPathExpressions: [],
          managedFieldsManagers: [],
        },
      },
    ]);
  });

  it('names the key and field of every fault inside nested YAML', () => {
    const parsed = parseArgoCdConfigMap(
      configMap('argocd-cm', {
        'resource.customizations.ignoreDifferences.apps_Deployment': 'jsonPointers: /spec/replicas\n',
        'resource.customizations.ignoreDifferences.all': 'jsonPointers: [unclosed\n',
        'resource.exclusions': '- apiGroups: cilium.io\n',
        'application.resourceTrackingMethod': 'labels',
        'timeout.reconciliation': '3 minutes',
        'resource.compareoptions': 'ignoreAggregatedRoles: "yes"\n',
        'resource.customizations.ignoreDifferences.a_b_c': 'jsonPointers: []\n',
        replicas: 3,
      }),
    );
    expect(problems(parsed)).toEqual([
      'argocd/cm.yaml#0: data.replicas: must be a string, not an integer',
      'argocd/cm.yaml#0: data["resource.customizations.ignoreDifferences.apps_Deployment"].jsonPointers: must be an array, not a string',
      'argocd/cm.yaml#0: data["resource.customizations.ignoreDifferences.all"]: not valid YAML (line 2): Flow sequence in block collection must be sufficiently indented and end with a ]',
      'argocd/cm.yaml#0: data["resource.customizations.ignoreDifferences.a_b_c"]: name the resource as <group>_<kind> (or <kind> for the core group), not "a_b_c"',
      'argocd/cm.yaml#0: data["application.resourceTrackingMethod"]: must be one of annotation, label, annotation+label, not "labels"',
      'argocd/cm.yaml#0: data["timeout.reconciliation"]: must be a duration such as 5s, 3m or 1h30m, not "3 minutes"',
      'argocd/cm.yaml#0: data["resource.exclusions"][0].apiGroups: must be an array, not a string',
      'argocd/cm.yaml#0: data["resource.compareoptions"].ignoreAggregatedRoles: must be a boolean, not a string',
    ]);
  });
});

describe('parseRbacConfigMap', () => {
  it('reads p and g lines with their line numbers, overlays, default role, scopes', () => {
    const parsed = parseRbacConfigMap(
      configMap('argocd-rbac-cm', {
        'policy.csv': [
          '# deployers sync apps',
          'p, role:deployer, applications, sync, apps/*, allow',
          '',
          'p, role:deployer, applications, get, "apps/*", deny',
          'g, platform-team, role:deployer',
        ].join('\n'),
        'policy.extra.csv': 'g, alice@example.com, role:admin\n',
        'policy.default': 'role:readonly',
        scopes: '[groups, email]',
      }),
    );
    expect(problems(parsed)).toEqual([]);
    if (parsed.kind !== 'valid') return;
    expect(parsed.value.policies).toEqual([
      {
        line: 2,
        subject: 'role:deployer',
        resource: 'applications',
        action: 'sync',
        object: 'apps/*',
        effect: 'allow',
      },
      {
        line: 4,
        subject: 'role:deployer',
        resource: 'applications',
        action: 'get',
        object: 'apps/*',
        effect: 'deny',
      },
    ]);
    expect(parsed.value.grants).toEqual([
      { line: 5, subject: 'platform-team', role: 'role:deployer' },
      { line: 1, subject: 'alice@example.com', role: 'role:admin' },
    ]);
    expect(parsed.value.defaultRole).toBe('role:readonly');
    expect(parsed.value.scopes).toEqual(['groups', 'email']);
    expect(parsed.value.matchMode).toBe('glob');
  });

  it('defaults scopes to groups', () => {
    const parsed = parseRbacConfigMap(configMap('argocd-rbac-cm', {}));
    expect(parsed.kind === 'valid' && parsed.value.scopes).toEqual(['groups']);
  });

  it('reports every bad line by number', () => {
    const parsed = parseRbacConfigMap(
      configMap('argocd-rbac-cm', {
        'policy.csv': [
          'p, role:x, applications, get, */*',
          'p, role:x, apps, get, */*, allow',
          'p, role:x, applications, get, */*, maybe',
          'g, alice',
          'x, a, b',
          'p, role:x, applications, get, "*/*, allow',
        ].join('\n'),
        'policy.matchMode': 'exact',
        scopes: 'groups: true',
      }),
    );
    expect(problems(parsed)).toEqual([
      'argocd/cm.yaml#0: data["policy.csv"]: line 1: a p line has 5 fields (subject, resource, action, object, effect), not 4',
      'argocd/cm.yaml#0: data["policy.csv"]: line 2: unknown resource "apps" (expected one of *, applications, applicationsets, clusters, projects, repositories, write-repositories, certificates, accounts, gpgkeys, logs, exec, extensions)',
      'argocd/cm.yaml#0: data["policy.csv"]: line 3: effect must be allow or deny, not "maybe"',
      'argocd/cm.yaml#0: data["policy.csv"]: line 4: a g line has 2 fields (user or group, role)',
      'argocd/cm.yaml#0: data["policy.csv"]: line 5: starts with "x"; expected p or g',
      'argocd/cm.yaml#0: data["policy.csv"]: line 6: unterminated quote',
      'argocd/cm.yaml#0: data["policy.matchMode"]: must be one of glob, regex, not "exact"',
      'argocd/cm.yaml#0: data.scopes: must be an array, not an object',
    ]);
  });

  it('reads a ConfigMap from YAML with a block scalar policy', () => {
    const [doc] = parseDocuments({
      file: 'rbac.yaml',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: argocd-rbac-cm}\ndata:\n  policy.csv: |\n    p, role:ro, applications, get, */*, allow\n',
    });
    const parsed = parseRbacConfigMap(doc as LoadedDocument);
    expect(parsed.kind === 'valid' && parsed.value.policies.map((p) => p.subject)).toEqual(['role:ro']);
  });
});
