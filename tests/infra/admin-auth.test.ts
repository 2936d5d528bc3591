// CDK assertions on the admin API's access: the admin user pool (invited people only, email sign-in, TOTP required,
// strong passwords), its groups and app client, the Cognito authorizer on every adminCognito method, and the
// optional source allow-list as the API's resource policy.
import { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiMethods, FUNCTIONS } from '../../lambdas/functions.js';
import { FunctionRoles } from '../../lib/function-roles.js';
import { inlinedTemplate } from '../support/inlined-template.js';
import { CodexStack, type CodexStackProps } from '../../lib/codex-stack.js';

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;

function synth(stage: string, props: Partial<CodexStackProps> = {}): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CodexStack(app, `Codex-${stage}`, { stage, ...props });
  // The functions' roles and their grants live in a nested stack (lib/function-roles.ts): read as one template.
  return inlinedTemplate(stack, stack.node.findChild(FunctionRoles.ID) as FunctionRoles);
}

let prod: Template;
beforeAll(() => {
  prod = synth('prod', { adminAllowedSources: '203.0.113.0/24, 198.51.100.7,2001:db8::/32' });
});

const only = (resources: Record<string, unknown>) => {
  const values = Object.values(resources as Resources);
  expect(values).toHaveLength(1);
  return values[0]!;
};

describe('the admin user pool', () => {
  it('takes invited people only, signing in by email with a password of 14+ characters of every class and a TOTP code (no SMS)', () => {
    const pool = only(prod.findResources('AWS::Cognito::UserPool'));
    expect(pool.Properties).toMatchObject({
      UserPoolName: 'codex-prod-admins',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'ESSENTIALS',
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 3,
          PasswordHistorySize: 12,
        },
      },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
    expect(pool.Properties).not.toHaveProperty('SmsConfiguration');
  });

  it('is kept when the prod stack goes, and not on dev', () => {
    expect(only(prod.findResources('AWS::Cognito::UserPool')).DeletionPolicy).toBe('Retain');
    expect(only(prod.findResources('AWS::Cognito::UserPool')).Properties.DeletionProtection).toBe('ACTIVE');
    expect(only(synth('dev').findResources('AWS::Cognito::UserPool')).DeletionPolicy).toBe('Delete');
  });

  it('has the groups admin and operator, the roles of the permission table', () => {
    const groups = Object.values(prod.findResources('AWS::Cognito::UserPoolGroup') as Resources).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(['admin', 'operator']);
  });

  it('gives the admin panel a client without a secret that signs in with SRP only, its ID tokens valid an hour', () => {
    const client = only(prod.findResources('AWS::Cognito::UserPoolClient'));
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      IdTokenValidity: 60,
      TokenValidityUnits: { IdToken: 'minutes' },
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.Properties.AllowedOAuthFlows ?? []).toEqual([]);
  });

  it('names the pool and its client in the outputs', () => {
    prod.hasOutput('AdminUserPoolId', { Value: { Ref: Match.stringLikeRegexp('AdminUserPool') } });
    prod.hasOutput('AdminUserPoolClientId', { Value: { Ref: Match.stringLikeRegexp('AdminUserPool') } });
  });
});

describe('the sign-in audit', () => {
  it("is the pool's post-authentication trigger, which may only put audit entries", () => {
    const [fnId, fn] = Object.entries(
      prod.findResources('AWS::Lambda::Function', { Properties: { Description: FUNCTIONS.auditAdminSignIns.description } }) as Resources,
    )[0]!;
    expect(only(prod.findResources('AWS::Cognito::UserPool')).Properties.LambdaConfig).toEqual({ PostAuthentication: { 'Fn::GetAtt': [fnId, 'Arn'] } });
    prod.hasResourceProperties('AWS::Lambda::Permission', { FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] }, Principal: 'cognito-idp.amazonaws.com' });
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(prod.findResources('AWS::IAM::Policy') as Resources)
      .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: unknown; Condition?: unknown }[]);
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo).toEqual([
      expect.objectContaining({ Action: 'dynamodb:PutItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } } }),
    ]);
  });
});

describe('the admin API authorizer', () => {
  it("puts every adminCognito method, and only those, behind the pool's Cognito authorizer", () => {
    const authorizers = prod.findResources('AWS::ApiGateway::Authorizer', { Properties: { Type: 'COGNITO_USER_POOLS' } });
    const [authorizerId, authorizer] = Object.entries(authorizers as Resources)[0]!;
    expect(Object.keys(authorizers)).toHaveLength(1);
    expect(authorizer.Properties).toMatchObject({ Name: 'codex-prod-admin', IdentitySource: 'method.request.header.Authorization' });
    expect(JSON.stringify(authorizer.Properties.ProviderARNs)).toContain('AdminUserPool');
    // Only ID tokens of the admin panel's client: API Gateway matches the token's aud against this.
    const clientId = Object.keys(prod.findResources('AWS::Cognito::UserPoolClient'))[0]!;
    expect(authorizer.Properties.IdentityValidationExpression).toEqual({ 'Fn::Join': ['', ['^', { Ref: clientId }, '$']] });
    const cognitoMethods = Object.values(prod.findResources('AWS::ApiGateway::Method') as Resources).filter(
      (m) => m.Properties.AuthorizationType === 'COGNITO_USER_POOLS',
    );
    expect(cognitoMethods).toHaveLength(apiMethods().filter((m) => m.route.auth === 'adminCognito').length);
    for (const method of cognitoMethods) expect(method.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
  });
});

describe('the admin source allow-list', () => {
  it('is a resource policy that allows everything and denies /admin/... to sources outside the list', () => {
    const api = only(prod.findResources('AWS::ApiGateway::RestApi'));
    expect(api.Properties.Policy.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      {
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*/*/admin/*',
        Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.7/32', '2001:db8::/32'] } },
      },
    ]);
  });

  it('is absent without the context, and a bad entry stops the synth naming it', () => {
    expect(only(synth('dev').findResources('AWS::ApiGateway::RestApi')).Properties).not.toHaveProperty('Policy');
    expect(() => synth('dev', { adminAllowedSources: '203.0.113.7/24,office' })).toThrow(/adminAllowedSources: .*"office"/);
  });
});
