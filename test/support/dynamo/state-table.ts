/** A client for a test endpoint and a fresh state table on it, named uniquely per test. */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStateTable } from '../../../shared/state/index.js';
import type { DynamoEndpoint } from './endpoint.js';

export function clientFor(server: DynamoEndpoint): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 3,
  });
}

export async function createTestTable(client: DynamoDBClient, prefix = 'state'): Promise<string> {
  const tableName = `${prefix}-${randomUUID().slice(0, 8)}`;
  await createStateTable({ client, tableName });
  return tableName;
}
