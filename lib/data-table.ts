// The single DynamoDB table, built from TABLE_DESIGN (the local stack builds DynamoDB Local's from the same object).
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DESIGN, TABLE_INDEXES } from '../lambdas/adapters/dynamodb/table-design.js';
import { acknowledgeWildcardResource, nestedWildcardResourceFinding } from './operations/nag.js';

export interface DataTableProps {
  /** Protects the table from deletion and keeps it when the stack goes. */
  retain: boolean;
}

export class DataTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string, { retain }: DataTableProps) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      globalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: index.sortKeyType === 'number' ? AttributeType.NUMBER : AttributeType.STRING },
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.projectedAttributes],
      })),
      dynamoStream: StreamViewType[TABLE_DESIGN.streamView],
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Stack-wide, as the table is granted in many places: this finding concerns the table's own indexes and nothing else.
    const reason =
      "The table's grants (grantReadData, grantReadWriteData) cover its global secondary indexes, which are part of the single-table design (docs/data-model.md)";
    acknowledgeWildcardResource(Stack.of(this), `${this.table.tableArn}/index/*`, reason);
    // The same, on the function roles' nested stack, where the table's ARN is a parameter (lib/function-roles.ts).
    Validations.of(Stack.of(this)).acknowledge({ id: nestedWildcardResourceFinding(this, `${this.table.tableArn}/index/*`), reason });
  }
}
