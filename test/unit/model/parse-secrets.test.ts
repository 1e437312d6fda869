import { describe, expect, it } from 'vitest';
import {
  formatProblem,
  type LoadedDocument,
  parseClusterSecret,
  parseRepositorySecret,
} from '../../../shared/model/index.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function secret(type: string, body: Record<string, unknown>): LoadedDocument {
  return {
    file: 'argocd/secrets.yaml',
    index: 1,
    line: 1,
    object: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'config-repo',
        namespace: 'argocd',
        labels: { 'argocd.argoproj.io/secret-type': type },
      },
      ...body,
    },
  };
}

function problems(parsed: {
  kind: string;
  problems?: readonly Parameters<typeof formatProblem>[0][];
}): string[] {
  return parsed.kind === 'invalid' ? (parsed.problems ?? []).map(formatProblem) : [];
}

describe('parseRepositorySecret', () => {
  it('decodes base64 data', () => {
    const parsed = parseRepositorySecret(
      secret('repository', {
        data: {
          url: b64('https://git.example.com/config.git'),
          username: b64('deploy'),
          password: b64('s3cret'),
          insecure: b64('true'),
          project: b64('apps'),
        },
      }),
    );
    expect(parsed.kind === 'valid' && parsed.value).toEqual({
      type: 'repository',
      name: 'config-repo',
      url: 'https://git.example.com/config.git',
      username: 'deploy',
      password: 's3cret',
      project: 'apps',
      insecure: true,
      repositoryType: 'git',
    });
  });

  it('takes stringData as-is, over data', () => {
    const parsed = parseRepositorySecret(
      secret('repo-creds', {
        data: { url: b64('https://old.example.com'), bearerToken: b64('from-data') },
        stringData: { url: 'https://charts.example.com', type: 'helm', name: 'charts' },
      }),
    );
    expect(parsed.kind === 'valid' && parsed.value).toEqual({
      type: 'repo-creds',
      name: 'config-repo',
      url: 'https://charts.example.com',
      bearerToken: 'from-data',
      repositoryType: 'helm',
      displayName: 'charts',
    });
  });

  it('reports every fault without printing a value', () => {
    const parsed = parseRepositorySecret(
      secret('repository', {
        data: { password: 'not base64!', username: 5 },
        stringData: { type: 'svn', insecure: 'sometimes' },
      }),
    );
    const lines = problems(parsed);
    expect(lines).toEqual([
      'argocd/secrets.yaml#1: data.password: is not valid base64',
      'argocd/secrets.yaml#1: data.username: must be a base64 string, not an integer',
      'argocd/secrets.yaml#1: data.url: is required',
      'argocd/secrets.yaml#1: stringData.type: must be one of git, helm, oci, not "svn"',
      'argocd/secrets.yaml#1: stringData.insecure: must be "true" or "false"',
    ]);
    expect(lines.join('\n')).not.toContain('not base64!');
  });
});

describe('parseClusterSecret', () => {
  it('reads an EKS cluster with awsAuthConfig and namespaces', () => {
    const config = {
      awsAuthConfig: { clusterName: 'prod', roleARN: 'arn:aws:iam::123456789012:role/deployer' },
      tlsClientConfig: { caData: 'Q0E=' },
    };
    const parsed = parseClusterSecret(
      secret('cluster', {
        stringData: {
          name: 'prod',
          server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
          config: JSON.stringify(config),
          namespaces: 'web, api,',
          clusterResources: 'true',
          project: 'apps',
        },
      }),
    );
    expect(problems(parsed)).toEqual([]);
    expect(parsed.kind === 'valid' && parsed.value).toEqual({
      secretName: 'config-repo',
      name: 'prod',
      server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      project: 'apps',
      namespaces: ['web', 'api'],
      clusterResources: true,
      config,
      labels: { 'argocd.argoproj.io/secret-type': 'cluster' },
      annotations: {},
    });
  });

  it('decodes data and defaults to all namespaces', () => {
    const parsed = parseClusterSecret(
      secret('cluster', {
        data: {
          name: b64('dev'),
          server: b64('https://dev.example.com'),
          config: b64('{"bearerToken":"t"}'),
        },
      }),
    );
    expect(parsed.kind === 'valid' && parsed.value).toMatchObject({
      name: 'dev',
      namespaces: [],
      clusterResources: false,
      config: { bearerToken: 't' },
    });
  });

  it('reports a config that is not JSON without quoting it', () => {
    const parsed = parseClusterSecret(
      secret('cluster', { stringData: { server: 'https://a', config: '{bearerToken: hunter2}' } }),
    );
    expect(problems(parsed)).toEqual(['argocd/secrets.yaml#1: stringData.config: is not valid JSON']);
  });

  it('checks the config fields', () => {
    const parsed = parseClusterSecret(
      secret('cluster', {
        stringData: {
          config: JSON.stringify({
            awsAuthConfig: { roleARN: 'arn' },
            tlsClientConfig: { insecure: 'true' },
            execProviderConfig: { args: 'x' },
          }),
        },
      }),
    );
    expect(problems(parsed)).toEqual([
      'argocd/secrets.yaml#1: stringData.server: is required',
      'argocd/secrets.yaml#1: stringData.config.tlsClientConfig.insecure: must be a boolean, not a string',
      'argocd/secrets.yaml#1: stringData.config.awsAuthConfig.clusterName: is required',
      'argocd/secrets.yaml#1: stringData.config.execProviderConfig.command: is required',
      'argocd/secrets.yaml#1: stringData.config.execProviderConfig.args: must be an array, not a string',
    ]);
  });
});
