// What the admin catalog's functions may touch. Both read the table (the catalog, the providers' health items and
// the open-orders index's counts) and write only catalog items, price history, their audit entries and the create
// idempotency keys; adminProviders alone reads provider keys, asks providers, and stores provider secrets.
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { FunctionName } from '../lambdas/functions.js';
import type { CodexFunction } from './codex-function.js';

export function grantAdminCatalog(functions: ReadonlyMap<FunctionName, CodexFunction>, props: { table: ITableV2; providerSecretsArn: string }): void {
  const { table, providerSecretsArn } = props;
  const catalogWrites = new PolicyStatement({
    actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
    resources: [table.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CATALOG', 'PRICE#*', 'AUDIT#*', 'IDEMPOTENCY#admin-service#*'] } },
  });
  for (const name of ['adminCatalog', 'adminProviders'] as const) {
    const fn = functions.get(name);
    if (!fn) continue;
    table.grantReadData(fn);
    fn.addToRolePolicy(catalogWrites);
  }
  const providers = functions.get('adminProviders');
  if (!providers) return;
  providers.addToRolePolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [providerSecretsArn] }));
  providers.addToRolePolicy(
    new PolicyStatement({ actions: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'], resources: [providerSecretsArn] }),
  );
}
