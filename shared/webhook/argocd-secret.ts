/**
 * Webhook secrets from Argo CD's `argocd-secret`, so a team moving from Argo CD keeps the secrets
 * its GitHub and GitLab hooks already sign with. `data` is base64 and `stringData` wins over it,
 * as the API server merges them. Values are credentials: problems name keys, never values.
 */
import type { LoadedDocument, Parsed } from '../model/index.js';
import { ProblemList } from '../model/index.js';
import { sourceOf } from '../model/parsed.js';
import { secretFields } from '../model/secret-fields.js';
import type { WebhookSecrets } from './webhook-types.js';

export const ARGOCD_SECRET_NAME = 'argocd-secret';

/** The keys read; `webhook.refresh.token` is Driftless's own, for `POST /api/v1/refresh`. */
export const WEBHOOK_SECRET_KEYS = {
  github: 'webhook.github.secret',
  gitlab: 'webhook.gitlab.secret',
  refreshToken: 'webhook.refresh.token',
} as const;

/** Secrets from decoded key/value pairs (a Secret's fields, or a Secrets Manager JSON secret). */
export function webhookSecretsFromFields(
  fields: Readonly<Record<string, string | undefined>>,
): WebhookSecrets {
  const pick = (key: string) => {
    const value = fields[key];
    return value === undefined || value === '' ? undefined : value;
  };
  const github = pick(WEBHOOK_SECRET_KEYS.github);
  const gitlab = pick(WEBHOOK_SECRET_KEYS.gitlab);
  const refreshToken = pick(WEBHOOK_SECRET_KEYS.refreshToken);
  return {
    ...(github === undefined ? {} : { github }),
    ...(gitlab === undefined ? {} : { gitlab }),
    ...(refreshToken === undefined ? {} : { refreshToken }),
  };
}

export function parseWebhookSecrets(doc: LoadedDocument): Parsed<WebhookSecrets> {
  const problems = new ProblemList(doc);
  const object = doc.object;
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret') {
    problems.add('kind', `must be a v1 Secret named ${ARGOCD_SECRET_NAME}`);
    return { kind: 'invalid', problems: problems.toArray() };
  }
  const metadata = object.metadata;
  const name =
    typeof metadata === 'object' && metadata !== null
      ? (metadata as Record<string, unknown>).name
      : undefined;
  if (name !== ARGOCD_SECRET_NAME) {
    problems.add('metadata.name', `must be ${ARGOCD_SECRET_NAME}, not ${JSON.stringify(name ?? null)}`);
  }
  const fields = secretFields(object, problems);
  if (problems.size > 0) return { kind: 'invalid', problems: problems.toArray() };
  return { kind: 'valid', value: webhookSecretsFromFields(fields), source: sourceOf(doc) };
}

/** The `argocd-secret` among loaded documents, if there is one. */
export function findArgoCdSecret(docs: readonly LoadedDocument[]): LoadedDocument | undefined {
  return docs.find((doc) => {
    const { apiVersion, kind, metadata } = doc.object;
    return (
      apiVersion === 'v1' &&
      kind === 'Secret' &&
      typeof metadata === 'object' &&
      metadata !== null &&
      (metadata as Record<string, unknown>).name === ARGOCD_SECRET_NAME
    );
  });
}
