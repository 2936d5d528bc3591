// cdk-nag's AwsSolutions and Serverless packs on the dev and prod synths (bundling skipped): every finding is fixed or
// acknowledged, with its reason, on the construct it concerns (lib/operations/nag.ts).
import { App, NestedStack, type PolicyViolation, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodexStack, type CodexStackProps } from '../../lib/codex-stack.js';
import { stageConfig } from '../../lib/stage-config.js';

const contextOf = (values: Record<string, string>) => (key: string) => values[key];

// Every optional part on in one of the two: demo payments, Cryptomus, the operators' email, the admin source ranges,
// a custom domain.
const STAGES: Record<string, CodexStackProps> = {
  dev: {
    stage: 'dev',
    config: stageConfig('dev'),
    demoPayments: true,
    cryptomusSecretName: 'codex/dev/payments/cryptomus',
    operatorEmail: 'ops@example.com',
    adminAllowedSources: '203.0.113.0/24',
  },
  prod: {
    stage: 'prod',
    config: stageConfig(
      'prod',
      contextOf({
        domainName: 'api.example.com',
        certificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/00000000-0000-0000-0000-000000000000',
        hostedZoneId: 'Z0000000000000000000',
        zoneName: 'example.com',
      }),
    ),
    operatorEmail: 'ops@example.com',
  },
};

// What a role may be granted on every resource (Resource "*"): the acknowledgements of AwsSolutions-IAM5[Resource::*]
// on function roles (lib/codex-function.ts) and the state machine's (lib/order-workflow.ts) rely on it.
const ACTIONS_WITHOUT_RESOURCES = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

interface Finding {
  rule: string;
  severity: string;
  at: string;
}

function synth(props: CodexStackProps): { app: App; stack: Stack } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CodexStack(app, `Codex-${props.stage}`, props);
  app.synth();
  return { app, stack };
}

function statementsOnEveryResource(stack: Stack): Statement[] {
  // The stack's and its nested stacks' (the functions' roles: lib/function-roles.ts).
  const templates = [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)].map((s) => Template.fromStack(s).toJSON());
  const resources = templates.flatMap((t) => Object.values(t.Resources as Record<string, { Type: string; Properties: Record<string, any> }>));
  expect(resources.filter(({ Type }) => Type === 'AWS::IAM::Role').length).toBeGreaterThan(30);
  return resources
    .flatMap(({ Type, Properties }) =>
      Type === 'AWS::IAM::Policy'
        ? [Properties.PolicyDocument]
        : Type === 'AWS::IAM::Role'
          ? (Properties.Policies ?? []).map((policy: { PolicyDocument: unknown }) => policy.PolicyDocument)
          : [],
    )
    .flatMap((document: { Statement: Statement[] }) => document.Statement)
    .filter((statement) => statement.Effect === 'Allow' && [statement.Resource].flat().includes('*'));
}

function findings(app: App): Finding[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack.validateScope(app).violations.flatMap((violation: PolicyViolation) =>
      violation.violatingResources.map((resource) => ({
        rule: violation.ruleName,
        severity: violation.severity ?? 'error',
        at: resource.constructPath ?? '?',
      })),
    ),
  );
}

function acknowledgements(scope: IConstruct): { at: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          at: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe.each(Object.entries(STAGES))('cdk-nag on the %s synth', (_, props) => {
  let app: App;
  let stack: Stack;
  beforeAll(() => {
    ({ app, stack } = synth(props));
  });

  it('reports no AwsSolutions or Serverless finding, error or warning, that is not acknowledged', () => {
    expect(findings(app)).toEqual([]);
  });

  it('grants no role anything on every resource but log delivery and X-Ray, which name no resource', () => {
    const actions = statementsOnEveryResource(stack).flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => !ACTIONS_WITHOUT_RESOURCES.has(action))).toEqual([]);
  });

  it('gives each acknowledgement a reason, and acknowledges only single findings on the stack as a whole', () => {
    const acknowledged = acknowledgements(app);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.filter(({ reason }) => reason.trim().length < 30)).toEqual([]);
    // A whole rule acknowledged stack-wide would hide the next resource it catches; a finding names one resource.
    expect(acknowledged.filter(({ at, id }) => !at.includes('/') && !/\[.+\]$/.test(id))).toEqual([]);
  });
});
