/**
 * DynamoDB-compatible servers for tests: AWS's DynamoDB Local (Java) and dynalite (pure JS), both
 * on loopback ports, both returning `{endpoint, stop()}`; plus a client and a fresh state table
 * built from the shared schema. Contract suites run the same cases against both.
 */
export { type StartDynaliteOptions, startDynalite } from './dynalite-server.js';
export { startDynamoLocal } from './dynamo-local-server.js';
export type { DynamoEndpoint } from './endpoint.js';
export { clientFor, createTestTable } from './state-table.js';
