/** A running DynamoDB-compatible server for tests, and how to reach it. */
export interface DynamoEndpoint {
  /** Which implementation answers, for test titles. */
  readonly name: 'dynamodb-local' | 'dynalite';
  readonly endpoint: string;
  stop(): Promise<void>;
}
