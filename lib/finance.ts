// Finance (docs/admin/finance.md): the table stream's finance readers. recordFinanceTotals adds each new ledger entry
// and each order's settlement to its day's totals; reconcileFinances runs the reconciliation job whose item was just
// put. Both read only the records their filters pass.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../lambdas/functions.js';
import { CodexFunction } from './codex-function.js';

/** New ledger entries, and orders whose phase becomes `finalized` (their settlement): what the totals count. */
export const FINANCE_TOTALS_FILTERS = [
  { eventName: FilterRule.isEqual('INSERT'), dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('ledger') } } } },
  {
    eventName: FilterRule.isEqual('MODIFY'),
    dynamodb: {
      NewImage: { entity: { S: FilterRule.isEqual('order') }, phase: { S: FilterRule.isEqual('finalized') } },
      OldImage: { phase: { S: FilterRule.notEquals('finalized') } },
    },
  },
];

export const RECONCILIATION_FILTER = {
  eventName: FilterRule.isEqual('INSERT'),
  dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('finance-reconciliation') } } },
};

export interface FinanceProps {
  table: ITableV2;
  environment: Record<string, string>;
  logRemovalPolicy: RemovalPolicy;
  /** Where reconciliation jobs whose function crashed on every try go (their stream record's position). */
  failedRuns: IQueue;
}

export class Finance extends Construct {
  readonly recordTotals: CodexFunction;
  readonly reconcile: CodexFunction;
  /** Stream records the totals could not take after every retry (their position). */
  readonly totalsFailures: Queue;

  constructor(scope: Construct, id: string, props: FinanceProps) {
    super(scope, id);
    const { table, environment, logRemovalPolicy } = props;
    this.recordTotals = new CodexFunction(this, 'recordFinanceTotals', { spec: FUNCTIONS.recordFinanceTotals, environment, logRemovalPolicy });
    this.reconcile = new CodexFunction(this, 'reconcileFinances', { spec: FUNCTIONS.reconcileFinances, environment, logRemovalPolicy });

    // Totals: a transaction of markers (Put) and the day's Update; it reads nothing.
    this.recordTotals.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FINANCE#*', 'FINANCEMARK#*'] } },
      }),
    );
    this.totalsFailures = new Queue(this, 'RecordFinanceTotalsFailures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.recordTotals.addEventSource(
      new DynamoEventSource(table, {
        // Markers make every record count once, so the mapping may start with what the stream still holds.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 10,
        // Powertools Batch reports a batch that failed in part (record-totals-handler.ts).
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.totalsFailures),
        filters: FINANCE_TOTALS_FILTERS.map((pattern) => FilterCriteria.filter(pattern)),
      }),
    );

    // The job reads every wallet, ledger entry and settled order (Scan), rechecks a wallet (GetItem, Query) and writes
    // only its own item.
    table.grant(this.reconcile, 'dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:Query');
    this.reconcile.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RECONCILIATION#*'] } },
      }),
    );
    this.reconcile.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 1,
        // A job records its own failure; a crash (timeout) is tried again once, then told to the operators.
        retryAttempts: 1,
        reportBatchItemFailures: true,
        // One record a batch: nothing to split, but a batch size raised later would be.
        bisectBatchOnError: true,
        onFailure: new SqsDlq(props.failedRuns),
        filters: [FilterCriteria.filter(RECONCILIATION_FILTER)],
      }),
    );
  }
}

/** What the admin finance function may touch: day totals, ledgers, user profiles (their wallet), its jobs, audit entries. */
export function grantAdminFinance(fn: CodexFunction | undefined, table: ITableV2): void {
  if (!fn) return;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
      resources: [table.tableArn, `${table.tableArn}/index/admin-lists`],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FINANCE#*', 'WALLET#*', 'USER#*', 'RECONCILIATION#*', 'LEDGERDAY#*'] } },
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:PutItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RECONCILIATION#*', 'AUDIT#*'] } },
    }),
  );
}
