// CDK assertions on the admin catalog's grants (lib/catalog-grants.ts), on a stack of their own until the admin
// routes are in the manifest (they need the adminCognito authorizer); the full stack applies the same function.
import { App, ArnFormat, Stack } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions.js';
import { grantAdminCatalog } from '../../lib/catalog-grants.js';
import { CodexFunction } from '../../lib/codex-function.js';

function synth(): Template {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Grants');
  const table = new TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, sortKey: { name: 'sk', type: AttributeType.STRING } });
  const functions = new Map<FunctionName, CodexFunction>(
    (['adminCatalog', 'adminProviders'] as const).map((name) => [name, new CodexFunction(stack, name, { spec: FUNCTIONS[name] })]),
  );
  const providerSecretsArn = stack.formatArn({
    service: 'secretsmanager',
    resource: 'secret',
    resourceName: 'codex/dev/providers/*',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  grantAdminCatalog(functions, { table, providerSecretsArn });
  return Template.fromStack(stack);
}

const statementsOf = (template: Template, name: FunctionName) => {
  const roles = Object.entries(template.findResources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(name));
  expect(roles).toHaveLength(1);
  const role = (roles[0]![1].Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown; Condition?: unknown }[]);
};
const actions = (statements: { Action: string | string[] }[]) => statements.flatMap((s) => [s.Action].flat());

describe('admin catalog grants', () => {
  const template = synth();

  it('let adminProviders alone store and read provider secrets, under codex/<stage>/providers/* only', () => {
    expect(actions(statementsOf(template, 'adminCatalog')).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    const secrets = statementsOf(template, 'adminProviders').filter((s) => actions([s]).some((a) => a.startsWith('secretsmanager:')));
    expect(actions(secrets).sort()).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']);
    for (const statement of secrets) expect(JSON.stringify(statement.Resource)).toContain(':secret:codex/dev/providers/*');
  });

  it('let both write only catalog items, price history, audit entries and create keys', () => {
    for (const name of ['adminCatalog', 'adminProviders'] as const) {
      const writes = statementsOf(template, name).filter((s) => actions([s]).some((a) => /PutItem|UpdateItem|DeleteItem|BatchWriteItem/.test(a)));
      expect(writes).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CATALOG', 'PRICE#*', 'AUDIT#*', 'IDEMPOTENCY#admin-service#*'] } },
        }),
      ]);
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['dynamodb:Query']) })]) },
    });
  });
});
