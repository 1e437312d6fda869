import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type AttributeType as SchemaAttributeType, TABLE_DEFINITION } from '../../../shared/state/schema.js';

export interface StateTableProps {
  readonly tableName?: string;
  readonly deletionProtection: boolean;
}

export type StateAccess = 'read' | 'read-write';

const ATTRIBUTE_TYPES: Readonly<Record<SchemaAttributeType, AttributeType>> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

const READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable',
];
// Scan is left out on purpose: no access pattern of the schema needs it.
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * The state table, built from the shared schema module so the stack and the store can never
 * disagree on keys, indexes or the TTL attribute. On-demand billing, point-in-time recovery,
 * encryption with the account's AWS managed key, deletion protection and RETAIN by default:
 * losing it loses every application's inventory, the only input to pruning.
 */
export class StateTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StateTableProps) {
    super(scope, id);
    const def = TABLE_DEFINITION;
    this.table = new Table(this, 'Table', {
      ...(props.tableName === undefined ? {} : { tableName: props.tableName }),
      partitionKey: { name: def.partitionKey.name, type: ATTRIBUTE_TYPES[def.partitionKey.type] },
      sortKey: { name: def.sortKey.name, type: ATTRIBUTE_TYPES[def.sortKey.type] },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: def.timeToLiveAttribute,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of def.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: ATTRIBUTE_TYPES[index.partitionKey.type] },
        sortKey: { name: index.sortKey.name, type: ATTRIBUTE_TYPES[index.sortKey.type] },
      });
    }
  }

  /**
   * Item-level access to the table and its named indexes. Written out instead of
   * `table.grantReadWriteData` because that grants `index/*` and Scan.
   */
  grant(grantee: IGrantable, access: StateAccess): void {
    const tableArn = this.table.tableArn;
    const indexArns = TABLE_DEFINITION.globalSecondaryIndexes.map((index) =>
      Stack.of(this).formatArn({
        service: 'dynamodb',
        resource: 'table',
        resourceName: `${this.table.tableName}/index/${index.indexName}`,
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: READ_ACTIONS, resources: [tableArn, ...indexArns] }),
    );
    if (access === 'read-write') {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: WRITE_ACTIONS, resources: [tableArn] }),
      );
    }
  }
}
