/**
 * Secrets Manager as the source of webhook secrets, repository credentials and the tokens that
 * post preview commit statuses. Each secret is a JSON object; errors name the secret, never its
 * content. Read on first use, so a function that never loads the configuration (or never reports
 * a preview) never calls Secrets Manager.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DriftlessError, messageOf } from '../shared/errors/index.js';
import type { RepositoryCredential } from '../shared/model/argo-types.js';
// The two files, not the preview module: the webhook shares this module and needs none of the rest.
import type { HttpCommitStatusOptions } from '../shared/preview/commit-status.js';
import { commitStatusOptionsFromFields } from '../shared/preview/commit-status-settings.js';
import { type WebhookSecrets, webhookSecretsFromFields } from '../shared/webhook/index.js';
import { ENV, type Environment, jsonListSetting } from './environment.js';

export interface SecretSources {
  /** The argocd-secret webhook keys; none when the stack names no webhook secret. */
  readonly webhookSecrets: () => Promise<WebhookSecrets>;
  /** Read once per container; a failed read is retried by the next caller. */
  readonly repositoryCredentials: () => Promise<RepositoryCredential[]>;
  /**
   * The commit status endpoints (`driftless.github.token` ...); none when the stack names no
   * secret. Read on every call, so a rotated or newly added token takes effect without a restart.
   */
  readonly commitStatus: () => Promise<HttpCommitStatusOptions>;
}

export function secretSources(options: { readonly env: Environment }): SecretSources {
  const { env } = options;
  const client = new SecretsManagerClient({});
  const webhookSecretName = env[ENV.webhookSecretName];
  const commitStatusSecretName = env[ENV.commitStatusSecretName];
  const repoSecretNames = jsonListSetting<string>(env, ENV.repoCredentialSecretNames);
  let credentials: Promise<RepositoryCredential[]> | undefined;
  return {
    webhookSecrets: async () =>
      webhookSecretName
        ? webhookSecretsFromFields(stringFields(await secretJson(client, webhookSecretName)))
        : {},
    repositoryCredentials: () => {
      credentials ??= Promise.all(
        repoSecretNames.map(async (name) => credentialOf(name, await secretJson(client, name))),
      ).catch((e: unknown) => {
        credentials = undefined;
        throw e;
      });
      return credentials;
    },
    commitStatus: async () =>
      commitStatusSecretName
        ? commitStatusOptionsFromFields(stringFields(await secretJson(client, commitStatusSecretName)))
        : {},
  };
}

async function secretJson(client: SecretsManagerClient, name: string): Promise<Record<string, unknown>> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: name }));
  try {
    const value: unknown = JSON.parse(out.SecretString ?? '');
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (e) {
    throw new DriftlessError('INVALID_MANIFEST', `Secrets Manager secret ${name}: ${messageOf(e)}`, {
      context: { secret: name },
    });
  }
}

function credentialOf(name: string, fields: Record<string, unknown>): RepositoryCredential {
  const text = (key: string): string | undefined =>
    typeof fields[key] === 'string' ? (fields[key] as string) : undefined;
  const url = text('url');
  if (url === undefined) {
    throw new DriftlessError('INVALID_MANIFEST', `Secrets Manager secret ${name}: field "url" is required`, {
      context: { secret: name },
    });
  }
  const username = text('username');
  const password = text('password');
  const bearerToken = text('bearerToken');
  return {
    type: text('type') === 'repo-creds' ? 'repo-creds' : 'repository',
    name,
    url,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(bearerToken === undefined ? {} : { bearerToken }),
  };
}

function stringFields(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
