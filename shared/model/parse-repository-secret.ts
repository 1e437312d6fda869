/**
 * Repository Secrets: `repository` for one repository, `repo-creds` for every repository whose
 * URL starts with the given prefix. Decoded into a RepositoryCredential for git/ and render/.
 */
import type { RepositoryCredential } from './argo-types.js';
import type { LoadedDocument } from './load-documents.js';
import { type Parsed, sourceOf } from './parsed.js';
import { ProblemList } from './problems.js';
import { argoSecretType, fieldPath, secretBoolean, secretFields } from './secret-fields.js';
import { isRecord } from './shape.js';

const REPOSITORY_TYPES = ['git', 'helm', 'oci'] as const;

export function parseRepositorySecret(doc: LoadedDocument): Parsed<RepositoryCredential> {
  const problems = new ProblemList(doc);
  const object = doc.object;
  const type = argoSecretType(object);
  if (type !== 'repository' && type !== 'repo-creds') {
    problems.add(
      'metadata.labels',
      'must label the Secret argocd.argoproj.io/secret-type: repository or repo-creds',
    );
    return { kind: 'invalid', problems: problems.toArray() };
  }
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const secretName = typeof metadata.name === 'string' ? metadata.name : '';
  if (!secretName) problems.add('metadata.name', 'is required');
  const fields = secretFields(object, problems);
  if (!fields.url) problems.add(fieldPath(object, 'url'), 'is required');
  const repositoryType = fields.type;
  if (repositoryType !== undefined && !(REPOSITORY_TYPES as readonly string[]).includes(repositoryType)) {
    problems.add(
      fieldPath(object, 'type'),
      `must be one of ${REPOSITORY_TYPES.join(', ')}, not "${repositoryType}"`,
    );
  }
  const insecure = secretBoolean(object, fields, 'insecure', problems);
  if (problems.size > 0) return { kind: 'invalid', problems: problems.toArray() };

  const optional = (key: string) => (fields[key] ? { [key]: fields[key] } : {});
  const credential: RepositoryCredential = {
    type,
    name: secretName,
    url: fields.url ?? '',
    ...optional('username'),
    ...optional('password'),
    ...optional('bearerToken'),
    ...optional('project'),
    ...(insecure === undefined ? {} : { insecure }),
    repositoryType: (repositoryType as RepositoryCredential['repositoryType']) ?? 'git',
    ...(fields.name ? { displayName: fields.name } : {}),
  };
  return { kind: 'valid', value: credential, source: sourceOf(doc) };
}
