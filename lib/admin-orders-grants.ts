// What the admin API's order functions may touch. adminOrders: reads the table and its indexes (lists, an order's
// page, ledgers, the attention queue's subjects) and writes only refunds (order, wallet, ledger, idempotency marker,
// audit, timeline, and the settlement of the order's balance lease), notes, and the attention queue's deletions. adminOrderActions: the orders, the catalog, the
// provider keys, the provider-order lookup, audit entries, and resuming a parked workflow; no wallet, no ledger.
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CodexFunction } from './codex-function.js';

const leadingKeys = (...patterns: string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns } });

export function grantAdminOrders(
  functions: ReadonlyMap<string, CodexFunction>,
  props: { table: ITableV2; providerSecretsArn: string; stateMachineArn: string },
): void {
  const { table } = props;
  const reader = functions.get('adminOrders');
  if (reader) {
    table.grantReadData(reader);
    reader.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: leadingKeys('ORDERS#*', 'WALLET#*', 'LEASE#*', 'IDEMPOTENCY#*', 'AUDIT#*'),
      }),
    );
    // A refund settles the balance lease that paid for its order first, which removes the lease's listing on its wallet.
    reader.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [table.tableArn], conditions: leadingKeys('WALLET#*') }));
    reader.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'], resources: [table.tableArn], conditions: leadingKeys('ATTENTION') }),
    );
  }
  const actions = functions.get('adminOrderActions');
  if (actions) {
    actions.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [table.tableArn], conditions: leadingKeys('ORDERS#*', 'CATALOG') }),
    );
    actions.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn], conditions: leadingKeys('ORDERS#*') }));
    actions.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn], conditions: leadingKeys('ORDERS#*', 'AUDIT#*', 'PROVIDERORDER#*') }),
    );
    // A refresh follows the poller's rule for ambiguous readings (`READINGS#<providerId>`).
    actions.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
        conditions: leadingKeys('READINGS#*'),
      }),
    );
    actions.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.providerSecretsArn] }));
    actions.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [props.stateMachineArn] }));
  }
}
