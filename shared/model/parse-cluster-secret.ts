/**
 * Cluster Secrets: where `destination.name`/`server` point and how to authenticate there. The
 * `config` key is JSON (bearer token, TLS, EKS `awsAuthConfig`, exec provider), checked by field.
 */
import type { ClusterConfig, ClusterSecret } from './argo-types.js';
import type { LoadedDocument } from './load-documents.js';
import { type Parsed, sourceOf } from './parsed.js';
import { ProblemList } from './problems.js';
import { argoSecretType, fieldPath, secretBoolean, secretFields } from './secret-fields.js';
import { bool, checkShape, describe, isRecord, obj, str, stringMap, strings } from './shape.js';

const configShape = obj({
  username: str,
  password: str,
  bearerToken: str,
  tlsClientConfig: obj({ insecure: bool, serverName: str, caData: str, certData: str, keyData: str }),
  awsAuthConfig: obj({ clusterName: str, roleARN: str, profile: str }, ['clusterName']),
  execProviderConfig: obj(
    { command: str, args: strings, env: stringMap, apiVersion: str, installHint: str },
    ['command'],
  ),
  disableCompression: bool,
  proxyUrl: str,
});

export function parseClusterSecret(doc: LoadedDocument): Parsed<ClusterSecret> {
  const problems = new ProblemList(doc);
  const object = doc.object;
  if (argoSecretType(object) !== 'cluster') {
    problems.add('metadata.labels', 'must label the Secret argocd.argoproj.io/secret-type: cluster');
    return { kind: 'invalid', problems: problems.toArray() };
  }
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const secretName = typeof metadata.name === 'string' ? metadata.name : '';
  if (!secretName) problems.add('metadata.name', 'is required');
  const fields = secretFields(object, problems);
  if (!fields.server) problems.add(fieldPath(object, 'server'), 'is required');
  const clusterResources = secretBoolean(object, fields, 'clusterResources', problems);
  const config = clusterConfig(fields.config, fieldPath(object, 'config'), problems);
  if (problems.size > 0 || !config) return { kind: 'invalid', problems: problems.toArray() };

  const cluster: ClusterSecret = {
    secretName,
    name: fields.name ?? '',
    server: fields.server ?? '',
    ...(fields.project ? { project: fields.project } : {}),
    namespaces: (fields.namespaces ?? '')
      .split(',')
      .map((ns) => ns.trim())
      .filter((ns) => ns !== ''),
    clusterResources: clusterResources ?? false,
    config,
    labels: stringEntries(metadata.labels),
    annotations: stringEntries(metadata.annotations),
  };
  return { kind: 'valid', value: cluster, source: sourceOf(doc) };
}

function clusterConfig(
  text: string | undefined,
  path: string,
  problems: ProblemList,
): ClusterConfig | undefined {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse quotes the input in its message, and this input holds credentials.
    problems.add(path, 'is not valid JSON');
    return undefined;
  }
  if (!isRecord(value)) {
    problems.add(path, `must be a JSON object, not ${describe(value)}`);
    return undefined;
  }
  const before = problems.size;
  checkShape(value, configShape, path, problems);
  return problems.size > before ? undefined : (value as ClusterConfig);
}

function stringEntries(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
