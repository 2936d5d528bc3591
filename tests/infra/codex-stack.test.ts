// CDK assertions on the synthesized Codex stack (no bundling: 'aws:cdk:bundling-stacks' is empty).
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE_DESIGN } from '../../lambdas/adapters/dynamodb/table-design.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  apiFunctionNames,
  FUNCTIONS,
  type FunctionName,
  ROUTES,
  type RouteSpec,
  SCHEDULES,
  SUBSCRIPTIONS,
  WORKFLOW_DEFINITION_FILE,
  WORKFLOW_SUBSTITUTIONS,
} from '../../lambdas/functions.js';
import { gatewayNames, gatewayThrottle, TIER_NAMES, TIERS } from '../../lambdas/access/domain/tiers.js';
import { EMAILED_TYPES } from '../../lambdas/notifications/domain/email-notifications.js';
import { REPO_ROOT } from '../../lib/codex-function.js';
import { FunctionRoles } from '../../lib/function-roles.js';
import { inlinedTemplate } from '../support/inlined-template.js';
import { CodexStack } from '../../lib/codex-stack.js';
import { CodexApi } from '../../lib/codex-api.js';
import { servedRoutes } from '../../local/gateway.js';

type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function synth(stage: string, props: { demoPayments?: boolean } = {}): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CodexStack(app, `Codex-${stage}`, { stage, ...props });
  // The functions' roles and their grants live in a nested stack (lib/function-roles.ts): read as one template.
  return inlinedTemplate(stack, stack.node.findChild(FunctionRoles.ID) as FunctionRoles);
}

let template: Template;
beforeAll(() => {
  template = synth('dev', { demoPayments: true });
});

const only = (resources: Resources): Resources[string] => {
  const values = Object.values(resources);
  expect(values).toHaveLength(1);
  return values[0]!;
};

function functionId(name: FunctionName): string {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Description: FUNCTIONS[name].description } }));
  // Several functions share an entry file, so the description is what tells them apart.
  expect(ids, name).toHaveLength(1);
  return ids[0]!;
}

const arnOf = (name: FunctionName) => ({ 'Fn::GetAtt': [functionId(name), 'Arn'] });

function statementsOfRole(roleId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Resources;
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function statementsOf(name: FunctionName): Statement[] {
  const fn = (template.findResources('AWS::Lambda::Function') as Resources)[functionId(name)]!;
  return statementsOfRole(fn.Properties.Role['Fn::GetAtt'][0]);
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const resourcesOf = (statement: Statement) => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]);
const allFunctionNames = Object.keys(FUNCTIONS) as FunctionName[];
const stepFunctionNames = [...new Set(Object.values(WORKFLOW_SUBSTITUTIONS))];

describe('data table', () => {
  it('keeps open orders in a sparse index keyed by provider and age, every order under its owner newest first, and the admin lists by day, projecting what their readers read', () => {
    const index = TABLE_DESIGN.openOrdersIndex;
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: index.partitionKey, AttributeType: 'S' },
        { AttributeName: index.sortKey, AttributeType: 'N' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'open-orders',
          KeySchema: [
            { AttributeName: 'openPk', KeyType: 'HASH' },
            { AttributeName: 'openSk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projectedAttributes] },
        },
        {
          IndexName: 'owner-orders',
          KeySchema: [
            { AttributeName: 'ownerPk', KeyType: 'HASH' },
            { AttributeName: 'ownerSk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...TABLE_DESIGN.ownerOrdersIndex.projectedAttributes] },
        },
        {
          IndexName: 'admin-lists',
          KeySchema: [
            { AttributeName: 'listPk', KeyType: 'HASH' },
            { AttributeName: 'listSk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...TABLE_DESIGN.adminListsIndex.projectedAttributes] },
        },
      ],
    });
  });

  it('streams new images, expires items by TTL and keeps point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('survives stack deletion outside dev but not in dev', () => {
    expect(only(template.findResources('AWS::DynamoDB::GlobalTable') as Resources).DeletionPolicy).toBe('Delete');
    const prod = only(synth('prod').findResources('AWS::DynamoDB::GlobalTable') as Resources);
    expect(prod.DeletionPolicy).toBe('Retain');
    expect(prod.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
  });
});

describe('order workflow', () => {
  it('is a Standard state machine from the ASL file with every placeholder bound to a step function ARN', () => {
    const machine = only(template.findResources('AWS::StepFunctions::StateMachine') as Resources).Properties;
    expect(machine.StateMachineType).toBe('STANDARD');
    // Loaded with DefinitionBody.fromFile: the template points at the uploaded file; read the same file here.
    expect(machine.DefinitionS3Location).toBeDefined();
    expect(machine.DefinitionString).toBeUndefined();
    const definition = readFileSync(join(REPO_ROOT, WORKFLOW_DEFINITION_FILE), 'utf8');
    const states = JSON.parse(definition).States;
    // An ordinary order enters Submit (submits, then waits for its callback) and Finalize: two transitions.
    expect(states.Submit.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(states.Submit.Next).toBe('Finalize');
    expect(states.AwaitOutcome.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(states.Finalize.Resource).toBe('arn:aws:states:::lambda:invoke');

    const placeholders = new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect(Object.keys(machine.DefinitionSubstitutions).sort()).toEqual([...placeholders].sort());
    for (const [key, name] of Object.entries(WORKFLOW_SUBSTITUTIONS)) {
      expect(machine.DefinitionSubstitutions[key], key).toEqual(arnOf(name));
    }
  });

  it('lets the state machine invoke exactly the four step functions', () => {
    const machine = only(template.findResources('AWS::StepFunctions::StateMachine') as Resources).Properties;
    const statements = statementsOfRole(machine.RoleArn['Fn::GetAtt'][0]);
    const invoking = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('lambda:')));
    expect(actionsOf(invoking)).toEqual(['lambda:InvokeFunction']);
    expect(stepFunctionNames).toHaveLength(4);
    expect(resourcesOf(invoking[0]!)).toEqual(expect.arrayContaining(stepFunctionNames.map(arnOf)));
    expect(resourcesOf(invoking[0]!)).toHaveLength(4);
  });

  it('starts workflows only from inserted order items, with partial batch failures and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('startOrderWorkflow') },
      StartingPosition: 'LATEST',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['order'] } } } }) }],
      },
    });
  });

  it('settles balance leases from their listings moved to the closed list only, with partial batch failures and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('settleIdleLeases') },
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['MODIFY'],
              dynamodb: { NewImage: { entity: { S: ['lease-listing'] }, listPk: { S: ['LEASES#CLOSED'] } } },
            }),
          },
        ],
      },
    });
  });

  it('publishes events from inserted and modified orders, top-ups, key listings and wallets, with a dead-letter queue', () => {
    expect(TABLE_DESIGN.streamView).toBe('NEW_AND_OLD_IMAGES');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('publishEvents') },
      StartingPosition: 'LATEST',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT', 'MODIFY'],
              dynamodb: { NewImage: { entity: { S: ['order', 'top-up', 'api-key-listing', 'wallet'] } } },
            }),
          },
        ],
      },
    });
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping') as Resources;
    const mapping = Object.values(mappings).find((m) => m.Properties.FunctionName.Ref === functionId('publishEvents'))!;
    const queueId = mapping.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
    expect((template.findResources('AWS::SQS::Queue') as Resources)[queueId]?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
    const role = (template.findResources('AWS::Lambda::Function') as Resources)[functionId('publishEvents')]!.Properties.Role['Fn::GetAtt'][0];
    const actions = actionsOf(statementsOfRole(role));
    expect(actions).toEqual(expect.arrayContaining(['events:PutEvents', 'dynamodb:GetItem']));
    expect(actions.filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
  });

  it('archives every catalogue event on the bus for replay', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      EventPattern: { source: ['codex'] },
      RetentionDays: 30,
      SourceArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
  });

  it.each(SUBSCRIPTIONS.map((s) => [s.function, s] as const))(
    'routes its events to %s through a rule, a queue with a dead-letter queue, and a mapping reporting partial failures',
    (name, spec) => {
      const queues = template.findResources('AWS::SQS::Queue') as Resources;
      const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources).filter(
        (rule) => JSON.stringify(rule.Properties.EventPattern?.['detail-type']) === JSON.stringify(spec.eventTypes),
      );
      const rule = rules.find((r) => r.Properties.Description === `Catalogue events for ${name}`)!;
      expect(rule.Properties.EventPattern).toEqual({ source: ['codex'], 'detail-type': [...spec.eventTypes] });
      const target = rule.Properties.Targets[0];
      const queueId = target.Arn['Fn::GetAtt'][0];
      // Events the bus cannot hand over are kept, not dropped.
      expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/RoutingFailures/);
      const queue = queues[queueId]!.Properties;
      expect(queue).toMatchObject({ VisibilityTimeout: spec.visibilityTimeoutSeconds, SqsManagedSseEnabled: true });
      expect(queue.RedrivePolicy.maxReceiveCount).toBe(spec.maxReceiveCount);
      expect(queues[queue.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]]!.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      // As AWS advises for SQS event sources: the visibility timeout at least six times the function's timeout.
      expect(spec.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * FUNCTIONS[name].timeoutSeconds);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(name) },
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: spec.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    },
  );

  it('polls providers every minute, sweeps open orders every five minutes and settles idle balance leases every minute', () => {
    expect(SCHEDULES.map((s) => [s.function, s.everyMinutes])).toEqual([
      ['pollProviders', 1],
      ['sweepOrders', 5],
      ['settleIdleLeases', 1],
    ]);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: arnOf('settleIdleLeases') })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: arnOf('pollProviders') })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: arnOf('sweepOrders') })],
    });
  });

  it('gives the state machine ARN only to the functions that start executions', () => {
    const withArn = allFunctionNames.filter((name) => {
      const fn = (template.findResources('AWS::Lambda::Function') as Resources)[functionId(name)]!;
      return 'STATE_MACHINE_ARN' in fn.Properties.Environment.Variables;
    });
    expect(withArn.sort()).toEqual(['startOrderWorkflow', 'sweepOrders']);
  });

  it('lets the starter start, describe and redrive executions, and the sweeper resume a parked task too, and nothing else on Step Functions', () => {
    const states = (name: 'startOrderWorkflow' | 'sweepOrders') =>
      actionsOf(statementsOf(name))
        .filter((a) => a.startsWith('states:'))
        .sort();
    expect(states('startOrderWorkflow')).toEqual(['states:DescribeExecution', 'states:RedriveExecution', 'states:StartExecution']);
    expect(states('sweepOrders')).toEqual(['states:DescribeExecution', 'states:RedriveExecution', 'states:SendTaskSuccess', 'states:StartExecution']);
  });

  it("lets only the poller, the sweeper, the submit and await steps, providers' callbacks and the admin's order actions resume a parked task", () => {
    const resumers = allFunctionNames.filter((name) => actionsOf(statementsOf(name)).includes('states:SendTaskSuccess'));
    expect(resumers.sort()).toEqual(['adminOrderActions', 'awaitCompletion', 'pollProviders', 'providerCallbacks', 'submitOrder', 'sweepOrders']);
  });
});

describe('notification emails', () => {
  it('reads its own queue (fed by a rule on the emailed event types, redriven to a dead-letter queue) with partial batch failures', () => {
    const mapping = Object.values(template.findResources('AWS::Lambda::EventSourceMapping') as Resources).find(
      (m) => m.Properties.FunctionName.Ref === functionId('sendNotificationEmails'),
    )!;
    expect(mapping.Properties).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const queues = template.findResources('AWS::SQS::Queue') as Resources;
    const queueId = mapping.Properties.EventSourceArn['Fn::GetAtt'][0] as string;
    const queue = queues[queueId]!.Properties;
    expect(queue).toMatchObject({ VisibilityTimeout: 180, SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 5 } });
    const deadLetters = queues[queue.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]];
    expect(deadLetters?.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
    const rule = Object.values(template.findResources('AWS::Events::Rule') as Resources).find((r) =>
      (r.Properties.Targets as { Arn: unknown }[] | undefined)?.some((t) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [queueId, 'Arn'] })),
    );
    expect(rule?.Properties.EventPattern).toEqual({ source: ['codex'], 'detail-type': [...EMAILED_TYPES] });
  });

  it("may send email from the account emails' identities and write only its event claims, not wallets or orders", () => {
    const statements = statementsOf('sendNotificationEmails');
    const ses = statements.filter((s) => actionsOf([s]).includes('ses:SendEmail'));
    expect(ses).toHaveLength(1);
    expect(JSON.stringify(resourcesOf(ses[0]!))).toMatch(/identity\/no-reply@codex-dev\.example\.com.*identity\/codex-dev\.example\.com/);
    const writes = statements.filter((s) => actionsOf([s]).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite|TransactWrite)/.test(a)));
    expect(writes).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EVENT#*'] } },
      }),
    ]);
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    expect(actionsOf(statements).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
  });

  it("links the cabinet from the API's own URL when the stage has no public URL, and only this function gets it", () => {
    const fns = template.findResources('AWS::Lambda::Function') as Resources;
    const url = fns[functionId('sendNotificationEmails')]!.Properties.Environment.Variables.PUBLIC_API_URL;
    expect(JSON.stringify(url)).toMatch(/execute-api/);
    const others = Object.entries(fns).filter(
      ([id, fn]) => id !== functionId('sendNotificationEmails') && fn.Properties.Environment?.Variables?.PUBLIC_API_URL,
    );
    expect(others).toEqual([]);
  });
});

describe('least privilege', () => {
  it('lets only publishEvents and the poller (provider.unhealthy) publish events', () => {
    const publishers = allFunctionNames.filter((name) => actionsOf(statementsOf(name)).includes('events:PutEvents'));
    expect(publishers.sort()).toEqual(['pollProviders', 'publishEvents']);
  });

  it('lets only the functions that call providers read provider API keys: submit, poller, both APIs (cancel, refill), adminProviders (balance, sync), adminOrderActions', () => {
    const readers = allFunctionNames.filter((name) =>
      statementsOf(name).some((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes('/providers/*"')),
    );
    expect(readers.sort()).toEqual(['adminOrderActions', 'adminProviders', 'orderActionsApi', 'pollProviders', 'resellerApi', 'submitOrder']);
  });

  it("lets providers' callbacks read only the callback secrets, the order and catalog items they need, log status changes beside the order, and resume workflows", () => {
    const statements = statementsOf('providerCallbacks');
    const secretResources = statements.filter((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue')).flatMap(resourcesOf);
    expect(secretResources).toHaveLength(1);
    expect(JSON.stringify(secretResources[0])).toContain(':secret:codex/dev/providers/*/callback-??????');
    const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    const keysOf = (action: string) =>
      dynamo
        .filter((s) => actionsOf([s]).includes(action))
        .flatMap((s) => (s as Statement & { Condition: any }).Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']);
    expect([...new Set(actionsOf(dynamo))].sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(keysOf('dynamodb:GetItem').sort()).toEqual(['ORDERS#*', 'PROVIDERORDER#*', 'READINGS#*']);
    expect(keysOf('dynamodb:UpdateItem')).toEqual(['ORDERS#*']);
    // The provider-call log's status changes, beside the order in its page partition; ambiguous readings waiting for a later one.
    expect(keysOf('dynamodb:PutItem').sort()).toEqual(['ORDERS#*', 'READINGS#*']);
    expect(keysOf('dynamodb:DeleteItem')).toEqual(['READINGS#*']);
    expect(keysOf('dynamodb:Query')).toEqual(['CATALOG']);
    expect(actionsOf(statements).filter((a) => a.startsWith('states:'))).toEqual(['states:SendTaskSuccess']);
    expect(actionsOf(statements).filter((a) => a.startsWith('events:') || a.startsWith('ses:'))).toEqual([]);
  });

  it("lets the admin's order functions write only what refunds, notes, the attention queue and the order actions write", () => {
    const keysOf = (name: 'adminOrders' | 'adminOrderActions', action: string) =>
      statementsOf(name)
        .filter((s) => actionsOf([s]).includes(action) && (s as Statement & { Condition?: unknown }).Condition)
        .flatMap((s) => (s as Statement & { Condition: any }).Condition['ForAllValues:StringLike']['dynamodb:LeadingKeys']);
    // A refund settles the balance lease that paid for its order: the lease, and its listing on the wallet.
    expect(keysOf('adminOrders', 'dynamodb:PutItem').sort()).toEqual(['AUDIT#*', 'IDEMPOTENCY#*', 'LEASE#*', 'ORDERS#*', 'WALLET#*']);
    expect(keysOf('adminOrders', 'dynamodb:DeleteItem').sort()).toEqual(['ATTENTION', 'WALLET#*']);
    expect(actionsOf(statementsOf('adminOrders')).filter((a) => a.startsWith('states:') || a.startsWith('secretsmanager:'))).toEqual([]);
    expect(keysOf('adminOrderActions', 'dynamodb:PutItem').sort()).toEqual(['AUDIT#*', 'ORDERS#*', 'PROVIDERORDER#*', 'READINGS#*']);
    expect(keysOf('adminOrderActions', 'dynamodb:UpdateItem')).toEqual(['ORDERS#*']);
    expect(keysOf('adminOrderActions', 'dynamodb:GetItem').sort()).toEqual(['CATALOG', 'ORDERS#*', 'READINGS#*']);
    expect(keysOf('adminOrderActions', 'dynamodb:DeleteItem')).toEqual(['READINGS#*']);
  });

  it('gives each REST v1 function what its operations need: signing keys to sign and verify, SES to the sender, the pepper to key makers, payment secrets to payments', () => {
    const secretReaders = (name: string) =>
      allFunctionNames.filter((fn) =>
        statementsOf(fn).some((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource).includes(name)),
      );
    const secretRef = (secretName: string) => Object.keys(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: secretName } }))[0]!;
    const readersOf = (secretName: string) =>
      allFunctionNames.filter((fn) =>
        statementsOf(fn).some(
          (s) => actionsOf([s]).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource) === JSON.stringify({ Ref: secretRef(secretName) }),
        ),
      );
    expect(readersOf('codex/dev/jwt-signing-keys').sort()).toEqual(['customerAuthorizer', 'customerSessions']);
    expect(readersOf('codex/dev/api-key-pepper').sort()).toEqual(['adminResellers', 'apiAuthorizer', 'apiKeysApi', 'customerAuthorizer', 'resellerApi']);
    expect(readersOf('codex/dev/payments/demo')).toEqual(['payments']);
    expect(readersOf('codex/dev/webhook-secret-key').sort()).toEqual(['deliverWebhooks', 'webhooksApi']);
    expect(secretReaders('cryptomus')).toEqual([]);
    expect(allFunctionNames.filter((fn) => actionsOf(statementsOf(fn)).includes('ses:SendEmail')).sort()).toEqual([
      'customerAccounts',
      'deliverWebhooks',
      'sendNotificationEmails',
    ]);
    // X-Ray's PutTraceSegments is every traced function's, not a write of data.
    const writes = (name: FunctionName) => actionsOf(statementsOf(name)).filter((a) => !a.startsWith('xray:') && /Put|Update|Delete|Write/.test(a));
    expect(writes('publicApi')).toEqual([]);
    expect(writes('customerAuthorizer')).toEqual([]);
    expect(actionsOf(statementsOf('apiDocs')).filter((a) => a.startsWith('dynamodb:') || a.startsWith('secretsmanager:'))).toEqual([]);
  });

  it('keeps the reseller API away from Step Functions, but lets it write orders and read the pepper and provider keys', () => {
    const statements = statementsOf('resellerApi');
    expect(actionsOf(statements).filter((a) => a.startsWith('states:'))).toEqual([]);
    expect(JSON.stringify(statements)).toContain('codex/dev/providers/*');
    expect(actionsOf(statements)).toEqual(
      expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem', 'secretsmanager:GetSecretValue']),
    );
    const pepper = Object.keys(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'codex/dev/api-key-pepper' } }));
    expect(pepper).toHaveLength(1);
    expect(
      statements.some((s) => actionsOf([s]).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource) === JSON.stringify({ Ref: pepper[0] })),
    ).toBe(true);
  });

  it('lets the webhook consumer read and write only user and event items, open the sealed secrets and email owners, and nothing else', () => {
    const statements = statementsOf('deliverWebhooks');
    expect(actionsOf(statements)).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'secretsmanager:GetSecretValue',
        'ses:SendEmail',
      ]),
    );
    const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    expect(
      dynamo.every((s) => JSON.stringify(s.Condition) === JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*', 'EVENT#*'] } })),
    ).toBe(true);
    expect(actionsOf(statements).filter((a) => /^(states|events|sns|lambda):|dynamodb:(Query|Scan|BatchWrite)/.test(a))).toEqual([]);
  });

  it('lets the sweeper read the table and only mark orders (UpdateItem: overdue; PutItem: the attention queue), and gives the health check no table access', () => {
    const sweeper = actionsOf(statementsOf('sweepOrders'));
    expect(sweeper).toContain('dynamodb:Query');
    expect(sweeper.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    const puts = statementsOf('sweepOrders').filter((s) => actionsOf([s]).includes('dynamodb:PutItem'));
    expect(puts.map((s) => (s as Statement & { Condition: unknown }).Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ATTENTION'] } },
    ]);
    expect(actionsOf(statementsOf('health')).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
  });

  it('lets the sweep of idle balance leases write only wallets (balance, ledger, listings) and leases', () => {
    const writes = statementsOf('settleIdleLeases').filter((s) => actionsOf([s]).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)));
    expect(actionsOf(writes).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(writes.map((s) => (s as Statement & { Condition: unknown }).Condition)).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['WALLET#*', 'LEASE#*'] } },
    ]);
  });
});

describe('functions', () => {
  it('offers the demo payment gateway only when asked for, even on dev: no demo secret, no demo in PAYMENT_METHODS', () => {
    const paymentMethods = (t: Template) =>
      Object.values(t.findResources('AWS::Lambda::Function') as Resources).map((fn) => fn.Properties.Environment?.Variables?.PAYMENT_METHODS);
    for (const plain of [synth('dev'), synth('prod')]) {
      expect(plain.findResources('AWS::SecretsManager::Secret', { Properties: { Name: Match.stringLikeRegexp('payments/demo') } })).toEqual({});
      expect(paymentMethods(plain).filter((m) => m !== undefined && String(m).includes('demo'))).toEqual([]);
      expect(JSON.stringify(plain.toJSON())).not.toContain('DEMO_GATEWAY_SECRET_ID');
    }
    expect(paymentMethods(template).some((m) => String(m).includes('demo'))).toBe(true);
  });

  it('runs every function on Node 24 arm64 with source maps', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function') as Resources);
    expect(functions).toHaveLength(allFunctionNames.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'codex' } },
      });
      expect(Object.keys(fn.Properties.Environment.Variables)).toEqual(
        expect.arrayContaining(['TABLE_NAME', 'EVENT_BUS_NAME', 'API_KEY_PEPPER_SECRET_ID', 'STAGE']),
      );
    }
  });
});

describe('reseller API', () => {
  it('serves GET, HEAD and POST on /api/v2 (one resource for both spellings) and GET and HEAD on /health through Lambda proxies', () => {
    const resources = template.findResources('AWS::ApiGateway::Resource') as Resources;
    const byPart = (part: string) => Object.entries(resources).filter(([, r]) => r.Properties.PathPart === part);
    const api = byPart('api');
    const v2 = byPart('v2');
    const health = byPart('health');
    expect([api.length, v2.length, health.length]).toEqual([1, 1, 1]);
    expect(v2[0]![1].Properties.ParentId).toEqual({ Ref: api[0]![0] });

    const methodsOn = (resourceId: string) =>
      Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { ResourceId: { Ref: resourceId } } }) as Resources);
    const v2Methods = methodsOn(v2[0]![0]);
    expect(v2Methods.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'HEAD', 'POST']);
    const healthMethods = methodsOn(health[0]![0]);
    expect(healthMethods.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'HEAD']);
    for (const [methods, name] of [
      [v2Methods, 'resellerApi'],
      [healthMethods, 'health'],
    ] as const) {
      for (const method of methods) {
        expect(method.Properties.Integration.Type).toBe('AWS_PROXY');
        expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(functionId(name));
      }
    }
  });

  it('throttles the stage, logs access and has a throttled default usage plan', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 })],
    });
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: Match.anyValue(), BurstLimit: Match.anyValue() } });
  });

  it('outputs the API URL, table name and state machine ARN', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'TableName', 'StateMachineArn']));
  });
});

describe('per-reseller throttling', () => {
  const names = gatewayNames('dev');
  const resourceId = (part: string) => {
    const ids = Object.keys(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: part } }));
    expect(ids).toHaveLength(1);
    return ids[0]!;
  };
  const methodsOn = (part: string) =>
    Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { ResourceId: { Ref: resourceId(part) } } }) as Resources);
  const authorizerId = () =>
    Object.entries(template.findResources('AWS::ApiGateway::Authorizer') as Resources).find(([, r]) =>
      JSON.stringify(r.Properties.AuthorizerUri).includes(functionId('apiAuthorizer')),
    )![0];
  const plansByName = () =>
    new Map(
      Object.entries(template.findResources('AWS::ApiGateway::UsagePlan') as Resources).map(([id, plan]) => [
        plan.Properties.UsagePlanName as string,
        { id, ...plan },
      ]),
    );
  const stageRef = () => ({ Ref: Object.keys(template.findResources('AWS::ApiGateway::Stage'))[0]! });

  it('counts usage under the key the authorizer returns', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
  });

  it('runs the authorizer function for every request, with or without a header: no identity source, no cache', () => {
    const authorizers = Object.values(template.findResources('AWS::ApiGateway::Authorizer', { Properties: { Type: 'REQUEST' } }) as Resources).map(
      (r) => r.Properties,
    );
    expect(authorizers).toHaveLength(2);
    const authorizer = authorizers.find((a) => JSON.stringify(a.AuthorizerUri).includes(functionId('apiAuthorizer')))!;
    expect(authorizer.Type).toBe('REQUEST');
    expect(authorizer.AuthorizerResultTtlInSeconds).toBe(0);
    expect(authorizer).not.toHaveProperty('IdentitySource');
    expect(JSON.stringify(authorizer.AuthorizerUri)).toContain(functionId('apiAuthorizer'));
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf('apiAuthorizer'),
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it('puts GET, HEAD and POST /api/v2 behind the authorizer with a usage key required, and leaves /health open', () => {
    const v2 = methodsOn('v2');
    expect(v2.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'HEAD', 'POST']);
    for (const method of v2) {
      expect(method.Properties, method.Properties.HttpMethod).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: authorizerId() },
        ApiKeyRequired: true,
      });
    }
    const health = methodsOn('health');
    expect(health).toHaveLength(2);
    for (const method of health) {
      expect(method.Properties.AuthorizationType).toBe('NONE');
      expect(method.Properties).not.toHaveProperty('AuthorizerId');
      expect(method.Properties.ApiKeyRequired ?? false).toBe(false);
    }
  });

  it('has one usage plan per tier on the stage, throttled at the tier rate', () => {
    const plans = plansByName();
    for (const tier of TIER_NAMES) {
      const plan = plans.get(names.usagePlan(tier));
      expect(plan, tier).toBeDefined();
      expect(plan!.Properties.Throttle).toEqual({ RateLimit: gatewayThrottle(tier).rateLimit, BurstLimit: TIERS[tier].burst });
      expect(plan!.Properties.ApiStages).toEqual([expect.objectContaining({ Stage: stageRef() })]);
    }
    expect(gatewayThrottle('standard')).toEqual({ rateLimit: 2, burstLimit: 20 });
  });

  it('has a shared plan with the shared key, whose value comes from the secret the authorizer reads', () => {
    const shared = plansByName().get(names.sharedUsagePlan);
    expect(shared).toBeDefined();
    expect(shared!.Properties.ApiStages).toEqual([expect.objectContaining({ Stage: stageRef() })]);
    expect(plansByName().size).toBe(TIER_NAMES.length + 1);

    const secretIds = Object.keys(template.findResources('AWS::SecretsManager::Secret', { Properties: { Name: names.sharedKeySecret } }));
    expect(secretIds).toHaveLength(1);
    const key = only(template.findResources('AWS::ApiGateway::ApiKey') as Resources);
    expect(key.Properties).toMatchObject({ Name: names.sharedKey, Enabled: true });
    expect(JSON.stringify(key.Properties.Value)).toContain('{{resolve:secretsmanager:');
    expect(JSON.stringify(key.Properties.Value)).toContain(secretIds[0]);
    const keyId = Object.keys(template.findResources('AWS::ApiGateway::ApiKey'))[0]!;
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', { KeyId: { Ref: keyId }, KeyType: 'API_KEY', UsagePlanId: { Ref: shared!.id } });

    const reads = (name: FunctionName) =>
      statementsOf(name).some(
        (s) => actionsOf([s]).includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource) === JSON.stringify({ Ref: secretIds[0] }),
      );
    expect(allFunctionNames.filter(reads)).toEqual(['apiAuthorizer']);
  });

  it('lets the authorizer read the table and the pepper, but write nothing', () => {
    const actions = actionsOf(statementsOf('apiAuthorizer'));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'secretsmanager:GetSecretValue']));
    expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('apigateway:'))).toEqual([]);
  });

  it('lets only the usage key consumer manage gateway keys, and only in the tier plans', () => {
    const managers = allFunctionNames.filter((name) => actionsOf(statementsOf(name)).some((a) => a.startsWith('apigateway:')));
    expect(managers).toEqual(['assignUsageKeys']);
    const statements = statementsOf('assignUsageKeys').filter((s) => actionsOf([s]).some((a) => a.startsWith('apigateway:')));
    const resourcesFor = (action: string) => JSON.stringify(statements.filter((s) => actionsOf([s]).includes(action)).flatMap(resourcesOf));
    expect(resourcesFor('apigateway:POST')).toContain('::/apikeys');
    const plans = plansByName();
    for (const tier of TIER_NAMES) expect(resourcesFor('apigateway:POST')).toContain(JSON.stringify({ Ref: plans.get(names.usagePlan(tier))!.id }));
    expect(resourcesFor('apigateway:POST')).not.toContain(plans.get(names.sharedUsagePlan)!.id);
    expect(resourcesFor('apigateway:GET')).toContain('::/usageplans');
  });

  it('brings usage keys in step from reseller profiles in the stream only, retried a few times after bisecting', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('assignUsageKeys') },
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 4,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT', 'MODIFY'],
              dynamodb: { NewImage: { entity: { S: ['user'] }, role: { S: ['reseller'] } } },
            }),
          },
        ],
      },
    });
    // It reads and writes profiles (USER#...) only: no scan, no other item, no secret.
    const statements = statementsOf('assignUsageKeys');
    const streamReads = new Set(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams']);
    const tableStatements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:') && !streamReads.has(a)));
    expect(actionsOf(tableStatements).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(tableStatements[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } });
    expect(actionsOf(statements).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    // The admin function that sets the tier never calls API Gateway.
    expect(actionsOf(statementsOf('adminResellers')).filter((a) => a.startsWith('apigateway:'))).toEqual([]);
  });
});

describe('gateway answers', () => {
  it('speak the protocol: throttling and gateway errors come back as JSON {"error": ...}', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse') as Resources).map((r) => r.Properties);
    const byType = new Map(responses.map((r) => [r.ResponseType, r]));
    expect(byType.get('THROTTLED')).toMatchObject({ StatusCode: '429', ResponseTemplates: { 'application/json': '{"error":"Too many requests"}' } });
    expect(byType.get('QUOTA_EXCEEDED')).toMatchObject({ StatusCode: '429' });
    expect(byType.get('DEFAULT_4XX')!.ResponseTemplates['application/json']).toBe('{"error":$context.error.messageString}');
    expect(byType.get('DEFAULT_5XX')!.ResponseTemplates['application/json']).toMatch(/^\{"error":"/);
    // An authorizer that threw (its store throttled past the SDK's retries) or failed otherwise: busy, try again.
    expect(byType.get('AUTHORIZER_CONFIGURATION_ERROR')).toMatchObject({
      StatusCode: '503',
      ResponseTemplates: { 'application/json': '{"error":"Busy right now: please try again in a moment"}' },
      ResponseParameters: { 'gatewayresponse.header.Retry-After': "'1'" },
    });
  });

  it("answer an authorizer's or the resource policy's refusal in the REST error shape the admin routes document", () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse') as Resources).map((r) => r.Properties);
    const byType = new Map(responses.map((r) => [r.ResponseType, r]));
    expect(byType.get('UNAUTHORIZED')).toMatchObject({
      StatusCode: '401',
      ResponseTemplates: { 'application/json': '{"error":{"code":"unauthorized","message":$context.error.messageString}}' },
      ResponseParameters: { 'gatewayresponse.header.WWW-Authenticate': "'Bearer'" },
    });
    expect(byType.get('ACCESS_DENIED')).toMatchObject({
      StatusCode: '403',
      ResponseTemplates: { 'application/json': '{"error":{"code":"forbidden","message":$context.error.messageString}}' },
    });
  });

  it('answer an unknown path or method with 404 {"error":"Not found"}, as the local gateway does, not 403 "Missing Authentication Token"', () => {
    const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse') as Resources).map((r) => r.Properties);
    const missing = responses.find((r) => r.ResponseType === 'MISSING_AUTHENTICATION_TOKEN');
    expect(missing).toMatchObject({ StatusCode: '404', ResponseTemplates: { 'application/json': '{"error":"Not found"}' } });
  });
});

describe('routes', () => {
  const resources = () => template.findResources('AWS::ApiGateway::Resource') as Resources;
  const pathOf = (ref: { Ref?: string; 'Fn::GetAtt'?: string[] }): string => {
    if (ref['Fn::GetAtt']?.[1] === 'RootResourceId') return '';
    const resource = resources()[ref.Ref!]!;
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };

  it('CDK creates exactly the methods the local gateway serves, both from ROUTES (HEAD wherever GET is)', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method') as Resources).map((m) => m.Properties);
    const deployed = methods.map((m) => `${m.HttpMethod} ${pathOf(m.ResourceId) || '/'}`).sort();
    const declared = ROUTES.flatMap((r) => [...r.methods, ...(r.methods.includes('GET') ? ['HEAD'] : [])].map((method) => `${method} ${r.path}`)).sort();
    expect(declared.length).toBeGreaterThan(0);
    expect(deployed).toEqual(declared);
    expect(servedRoutes().sort()).toEqual(declared);

    for (const method of methods) {
      // One path may send its methods to different functions (/admin/v1/providers: reads apart from key writes;
      // /admin/v1/users: the list apart from onboarding).
      const verb = method.HttpMethod === 'HEAD' ? 'GET' : method.HttpMethod;
      const route = ROUTES.find((r) => r.path === (pathOf(method.ResourceId) || '/') && r.methods.includes(verb))!;
      expect(JSON.stringify(method.Integration.Uri), route.path).toContain(functionId(route.function));
      expect(method.AuthorizationType, route.path).toBe(route.auth === 'none' ? 'NONE' : route.auth === 'adminCognito' ? 'COGNITO_USER_POOLS' : 'CUSTOM');
    }
  });

  it('creates the functions of the routes and of their authorizers', () => {
    expect(apiFunctionNames().sort()).toEqual([
      'adminCatalog',
      'adminFinance',
      'adminOrderActions',
      'adminOrders',
      'adminProviders',
      'adminResellers',
      'adminSettings',
      'adminUsers',
      'apiAuthorizer',
      'apiDocs',
      'apiKeysApi',
      'cabinetApi',
      'customerAccounts',
      'customerAuthorizer',
      'customerSessions',
      'health',
      'orderActionsApi',
      'ordersApi',
      'payments',
      'providerCallbacks',
      'publicApi',
      'resellerApi',
      'webhooksApi',
    ]);
    for (const name of apiFunctionNames()) functionId(name);
  });

  it('cannot synthesize a Cognito route without the user pool whose tokens it takes', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Routes');
    const routes: RouteSpec[] = [
      { methods: ['POST'], path: '/api/v2', auth: 'resellerKey', function: 'resellerApi' },
      { methods: ['GET'], path: '/admin/orders', auth: 'adminCognito', function: 'health' },
    ];
    const props = {
      stage: 'dev',
      table: new TableV2(stack, 'T', { partitionKey: { name: 'pk', type: AttributeType.STRING } }),
      apiKeyPepper: new Secret(stack, 'S'),
      providerSecretsArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codex/dev/providers/*',
      environment: {},
      logRemovalPolicy: RemovalPolicy.DESTROY,
      routes,
    };
    expect(() => new CodexApi(stack, 'Api', props)).toThrow(/takes Cognito tokens: give the API its adminUserPool/);
  });
});

describe('notification feed', () => {
  const spec = SUBSCRIPTIONS.find((s) => s.function === 'recordNotifications')!;

  it('routes the feed’s events from the bus to its own queue, with a dead-letter queue, read in batches with partial failures', () => {
    expect(spec.eventTypes).toEqual(expect.arrayContaining(['order.completed', 'deposit.credited', 'api_key.revoked']));
    const rules = Object.values(template.findResources('AWS::Events::Rule') as Resources).filter(
      (r) => r.Properties.Description === 'Catalogue events for recordNotifications',
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties.EventPattern).toEqual({ source: ['codex'], 'detail-type': [...spec.eventTypes] });
    const queueId = rules[0]!.Properties.Targets[0].Arn['Fn::GetAtt'][0] as string;
    const queue = (template.findResources('AWS::SQS::Queue') as Resources)[queueId]!;
    expect(queue.Properties).toMatchObject({ VisibilityTimeout: 180, SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 5 } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('recordNotifications') },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the consumer only put, update and condition-check items under USER#, and read nothing from the table', () => {
    const statements = statementsOf('recordNotifications');
    const table = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    expect(table).toHaveLength(1);
    expect(actionsOf(table).sort()).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(table[0]).toMatchObject({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } } });
  });

  it('serves GET /api/v1/notifications and POST /api/v1/notifications/read from the cabinet function, behind the customer authorizer', () => {
    for (const path of ['/api/v1/notifications', '/api/v1/notifications/read']) {
      const route = ROUTES.find((r) => r.path === path)!;
      expect(route).toMatchObject({ auth: 'customerJwt', function: 'cabinetApi' });
    }
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method') as Resources).filter(
      (m) => m.Properties.HttpMethod !== 'HEAD' && JSON.stringify(m.Properties.Integration?.Uri ?? '').includes(functionId('cabinetApi')),
    );
    const resources = template.findResources('AWS::ApiGateway::Resource') as Resources;
    const parts = methods.map((m) => resources[m.Properties.ResourceId.Ref]?.Properties.PathPart);
    expect(parts).toEqual(expect.arrayContaining(['notifications', 'read']));
    for (const m of methods) expect(m.Properties.AuthorizationType).toBe('CUSTOM');
  });
});

describe('operator alerts', () => {
  it("has the operators' topic, its ARN as an output, and lets only alertOperators publish to it", () => {
    const topic = only(template.findResources('AWS::SNS::Topic', { Properties: { TopicName: 'codex-dev-operators' } }) as Resources);
    expect(topic).toBeDefined();
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0]!;
    template.hasOutput('OperatorTopicArn', { Value: { Ref: topicId } });
    const publishers = allFunctionNames.filter((name) => actionsOf(statementsOf(name)).includes('sns:Publish'));
    expect(publishers).toEqual(['alertOperators']);
    const fn = (template.findResources('AWS::Lambda::Function') as Resources)[functionId('alertOperators')]!;
    expect(fn.Properties.Environment.Variables.OPERATOR_TOPIC_ARN).toEqual({ Ref: topicId });
    // No subscription unless an address is given (-c operatorEmail=...).
    expect(template.findResources('AWS::SNS::Subscription')).toEqual({});
  });

  it('subscribes the operators email when one is given', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const withEmail = Template.fromStack(new CodexStack(app, 'Codex-ops', { stage: 'ops', operatorEmail: 'ops@example.com' }));
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('lets the alertOperators consumer only claim events (EVENT# items) in the table, and read nothing', () => {
    const table = statementsOf('alertOperators').filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    expect(table).toHaveLength(1);
    expect(actionsOf(table).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(table[0]).toMatchObject({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EVENT#*'] } } });
  });
});

describe('finance', () => {
  it('adds to the totals only from new ledger entries and orders becoming finalized, retrying into a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('recordFinanceTotals') },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['ledger'] } } } }) },
          {
            Pattern: JSON.stringify({
              eventName: ['MODIFY'],
              dynamodb: {
                NewImage: { entity: { S: ['order'] }, phase: { S: ['finalized'] } },
                OldImage: { phase: { S: [{ 'anything-but': ['finalized'] }] } },
              },
            }),
          },
        ],
      },
    });
  });

  it('lets the totals only put markers and update day totals, and read nothing', () => {
    // The stream's own actions (GetRecords, ...) come with the event source; the table's items are what matters.
    const itemActions = /^dynamodb:(GetItem|BatchGetItem|Query|Scan|PutItem|UpdateItem|DeleteItem|BatchWriteItem|ConditionCheckItem)$/;
    const table = statementsOf('recordFinanceTotals').filter((s) => actionsOf([s]).some((a) => itemActions.test(a)));
    expect(table).toHaveLength(1);
    expect(actionsOf(table).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(table[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FINANCE#*', 'FINANCEMARK#*'] } });
  });

  it('runs a reconciliation from its job item alone, which may read the table and write only job items', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('reconcileFinances') },
      BatchSize: 1,
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['finance-reconciliation'] } } } }) }],
      },
    });
    const statements = statementsOf('reconcileFinances').filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    const writes = statements.filter((s) => actionsOf([s]).some((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)));
    expect(writes).toHaveLength(1);
    expect(actionsOf(writes)).toEqual(['dynamodb:UpdateItem']);
    expect(writes[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RECONCILIATION#*'] } });
    expect(actionsOf(statements)).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:Query']));
  });
});

describe('admin finance', () => {
  it('reads day totals, ledgers (index admin-lists too), profiles and jobs, and writes only jobs and audit entries', () => {
    const statements = statementsOf('adminFinance').filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
    const reads = statements.find((s) => actionsOf([s]).includes('dynamodb:BatchGetItem'))!;
    expect(actionsOf([reads]).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect(reads.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['FINANCE#*', 'WALLET#*', 'USER#*', 'RECONCILIATION#*', 'LEDGERDAY#*'] },
    });
    const writes = statements.filter((s) => actionsOf([s]).some((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)));
    expect(writes).toHaveLength(1);
    expect(actionsOf(writes)).toEqual(['dynamodb:PutItem']);
    expect(writes[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RECONCILIATION#*', 'AUDIT#*'] } });
    expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
  });
});
