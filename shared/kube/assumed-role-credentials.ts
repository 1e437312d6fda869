/**
 * Credentials for a cluster reached through an IAM role (Argo CD's `awsAuthConfig.roleARN`):
 * STS AssumeRole with the caller's own credentials, reused until five minutes before they expire.
 */
import { AssumeRoleCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { DriftlessError, messageOf } from '../errors/index.js';
import type { Clock } from '../ports/clock.js';
import type { AwsCredentialsProvider } from './eks-token-source.js';

/** The one STS operation needed; an STSClient satisfies it. */
export interface StsAssumeRoleClient {
  send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput>;
}

export interface AssumedRoleOptions {
  readonly sts: StsAssumeRoleClient;
  readonly roleArn: string;
  readonly clock: Clock;
  /** Shows up in CloudTrail; default `driftless`. */
  readonly sessionName?: string;
}

const renewBeforeExpiryMs = 5 * 60_000;

export function assumedRoleCredentials(options: AssumedRoleOptions): AwsCredentialsProvider {
  let cached:
    | { readonly value: Awaited<ReturnType<AwsCredentialsProvider>>; readonly renewAt: number }
    | undefined;
  return async () => {
    const now = options.clock.now().getTime();
    if (cached && now < cached.renewAt) return cached.value;
    let answer: AssumeRoleCommandOutput;
    try {
      answer = await options.sts.send(
        new AssumeRoleCommand({
          RoleArn: options.roleArn,
          RoleSessionName: options.sessionName ?? 'driftless',
        }),
      );
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      throw new DriftlessError('KUBE_API', `assume role ${options.roleArn}: ${messageOf(e)}`, {
        retryable: status === undefined || status === 429 || status >= 500,
        cause: e,
        context: { status, roleArn: options.roleArn },
      });
    }
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new DriftlessError('KUBE_API', `assume role ${options.roleArn}: STS returned no credentials`);
    }
    const value = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    };
    const expiresAt = c.Expiration ? c.Expiration.getTime() : now + 15 * 60_000;
    cached = { value, renewAt: expiresAt - renewBeforeExpiryMs };
    return value;
  };
}
