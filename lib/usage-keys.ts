// Resellers' API Gateway keys, kept in step with their profiles from the table's stream: the assignUsageKeys function,
// fed reseller profiles only, and the one function allowed to manage usage keys (CodexApi.gatewayKeysPolicy).
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../lambdas/functions.js';
import { CodexFunction } from './codex-function.js';

export interface UsageKeysProps {
  table: ITableV2;
  gatewayKeysPolicy: Policy;
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
  /** Where reseller profiles whose key could not be brought in step go (their stream record's position). */
  failedRuns: IQueue;
}

export class UsageKeys extends Construct {
  readonly function: CodexFunction;

  constructor(scope: Construct, id: string, props: UsageKeysProps) {
    super(scope, id);
    const { table } = props;
    this.function = new CodexFunction(this, 'assignUsageKeys', {
      spec: FUNCTIONS.assignUsageKeys,
      environment: props.environment,
      logRemovalPolicy: props.logRemovalPolicy,
    });
    // Reads a profile and writes its key back, nothing else of the table.
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } },
      }),
    );
    props.gatewayKeysPolicy.attachToRole(this.function.role!);

    this.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 20,
        bisectBatchOnError: true,
        // API Gateway's throttling of key calls passes within a few tries. After the last the record's position goes to
        // the failed runs' queue (the function logged each failure); the profile's next change tries again.
        retryAttempts: 4,
        onFailure: new SqsDlq(props.failedRuns),
        reportBatchItemFailures: true,
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('user') }, role: { S: FilterRule.isEqual('reseller') } } },
          }),
        ],
      }),
    );
  }
}
