// What providerCallbacks may touch, and nothing more: the providers' callback secrets (not their API keys), the
// catalog, our orders (and their provider-call log) and their lookup by the provider's id, the parked task tokens,
// and resuming the workflow.
import { ArnFormat, type Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CodexFunction } from './codex-function.js';
import { acknowledgeWildcardResource } from './operations/nag.js';

export function grantProviderCallbacks(stack: Stack, fn: CodexFunction | undefined, props: { table: ITableV2; stage: string; stateMachineArn: string }): void {
  if (!fn) return;
  const { table, stage, stateMachineArn } = props;
  const leadingKeys = (...patterns: string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns } });
  // Orders and their task tokens share the `ORDERS#<page>` partitions; the lookup is `PROVIDERORDER#...`.
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [table.tableArn], conditions: leadingKeys('ORDERS#*', 'PROVIDERORDER#*') }),
  );
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [table.tableArn], conditions: leadingKeys('ORDERS#*') }));
  // The status changes a callback makes go into the order's provider-call log, small items in the same page partition.
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [table.tableArn], conditions: leadingKeys('ORDERS#*') }));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [table.tableArn], conditions: leadingKeys('CATALOG') }));
  // Ambiguous readings waiting for a later one (`READINGS#<providerId>`): kept, replaced, consumed by a confirmation.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: [table.tableArn],
      conditions: leadingKeys('READINGS#*'),
    }),
  );
  // Secrets Manager appends six random characters to a secret's name in its ARN.
  const callbackSecrets = stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: `codex/${stage}/providers/*/callback-??????`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  fn.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [callbackSecrets] }));
  acknowledgeWildcardResource(fn.role!, callbackSecrets, "Every provider's callback secret, created by admins at run time; no provider's API key");
  fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachineArn] }));
}
