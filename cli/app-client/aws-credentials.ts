import { STSClient } from '@aws-sdk/client-sts';
import { DriftlessError, messageOf } from '../../shared/errors/index.js';

/** What SigV4 signs with; the session token comes with temporary credentials. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface ResolveCredentialsOptions {
  readonly region: string;
  /** Named in errors, so the user knows which request wanted credentials. */
  readonly host: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Credentials to sign with. Keys in the command's environment come first, as in the SDK's own
 * chain; a half-set pair is refused by name rather than silently skipped to the next provider,
 * because the user plainly meant to use it. Otherwise the SDK's default chain (shared files and
 * AWS_PROFILE, SSO, web identity, container or instance role) decides.
 */
export async function resolveAwsCredentials(options: ResolveCredentialsOptions): Promise<AwsCredentials> {
  const { env, host } = options;
  const accessKeyId = env.AWS_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY || undefined;
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const sessionToken = env.AWS_SESSION_TOKEN || undefined;
    return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
  }
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    const [set, missing] =
      accessKeyId === undefined
        ? ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID']
        : ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
    throw new DriftlessError(
      'INVALID_INPUT',
      `cannot sign requests to ${host} with SigV4: ${set} is set but ${missing} is not`,
      { context: { host, missing } },
    );
  }
  try {
    return await new STSClient({ region: options.region }).config.credentials();
  } catch (e) {
    throw new DriftlessError(
      'INVALID_INPUT',
      `cannot sign requests to ${host} with SigV4: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with a role): ${messageOf(e)}`,
      { cause: e, context: { host } },
    );
  }
}
