/**
 * The string fields of a Secret as the API server would store them: `data` base64-decoded, with
 * `stringData` written over it. Values are credentials, so messages name keys, never values.
 */
import { childPath, type ProblemList } from './problems.js';
import { describe, isRecord } from './shape.js';

export const SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

export type ArgoSecretType = 'repository' | 'repo-creds' | 'cluster';

/** The Argo CD role of a v1 Secret from its label, if it has one. */
export function argoSecretType(object: Record<string, unknown>): ArgoSecretType | undefined {
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret') return undefined;
  const metadata = object.metadata;
  const labels = isRecord(metadata) ? metadata.labels : undefined;
  const type = isRecord(labels) ? labels[SECRET_TYPE_LABEL] : undefined;
  return type === 'repository' || type === 'repo-creds' || type === 'cluster' ? type : undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function secretFields(object: Record<string, unknown>, problems: ProblemList): Record<string, string> {
  const fields: Record<string, string> = {};
  const data = object.data;
  if (data !== undefined && data !== null) {
    if (!isRecord(data)) problems.add('data', `must be an object, not ${describe(data)}`);
    else {
      for (const [key, value] of Object.entries(data)) {
        const path = childPath('data', key);
        if (typeof value !== 'string') problems.add(path, `must be a base64 string, not ${describe(value)}`);
        else if (value.length % 4 !== 0 || !BASE64.test(value)) problems.add(path, 'is not valid base64');
        else fields[key] = Buffer.from(value, 'base64').toString('utf8');
      }
    }
  }
  const stringData = object.stringData;
  if (stringData !== undefined && stringData !== null) {
    if (!isRecord(stringData)) problems.add('stringData', `must be an object, not ${describe(stringData)}`);
    else {
      for (const [key, value] of Object.entries(stringData)) {
        if (typeof value !== 'string')
          problems.add(childPath('stringData', key), `must be a string, not ${describe(value)}`);
        else fields[key] = value;
      }
    }
  }
  return fields;
}

/**
 * Where a field came from, for messages: `stringData.url` when set there, `data.url` when set
 * there; a missing field is named in whichever of the two the Secret uses.
 */
export function fieldPath(object: Record<string, unknown>, key: string): string {
  const { data, stringData } = object;
  if (isRecord(stringData) && key in stringData) return childPath('stringData', key);
  if (isRecord(data) && key in data) return childPath('data', key);
  return childPath(isRecord(stringData) && !isRecord(data) ? 'stringData' : 'data', key);
}

/** Secrets hold booleans as the strings `true` / `false`. */
export function secretBoolean(
  object: Record<string, unknown>,
  fields: Record<string, string>,
  key: string,
  problems: ProblemList,
): boolean | undefined {
  const value = fields[key];
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  problems.add(fieldPath(object, key), 'must be "true" or "false"');
  return undefined;
}
