/**
 * Secrets Manager cannot run here, so function tests point the SDK
 * (AWS_ENDPOINT_URL_SECRETS_MANAGER) at this loopback endpoint: it answers GetSecretValue in the
 * AWS JSON protocol the SDK speaks from the secrets it was given, and keeps the name of every
 * secret read, so a test sees when (and whether) a function read one. An unknown name answers
 * ResourceNotFoundException, any other operation 400.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerEndpoint {
  readonly endpoint: string;
  /** Names of the secrets read, in order. */
  readonly reads: readonly string[];
  stop(): Promise<void>;
}

export async function startSecretsManagerEndpoint(
  secrets: Readonly<Record<string, string>>,
): Promise<SecretsManagerEndpoint> {
  const reads: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      };
      const target = request.headers['x-amz-target'];
      if (target !== 'secretsmanager.GetSecretValue') {
        answer(400, { __type: 'InvalidRequestException', message: `not served here: ${target}` });
        return;
      }
      const { SecretId: name } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId: string };
      reads.push(name);
      const value = secrets[name];
      if (value === undefined) {
        answer(400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        });
        return;
      }
      answer(200, {
        ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`,
        Name: name,
        SecretString: value,
        VersionId: '00000000-0000-0000-0000-000000000001',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    reads,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
