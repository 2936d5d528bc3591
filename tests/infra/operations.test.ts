// CDK assertions on the alarms and the dashboard (lib/operations): what each alarm watches, its threshold from the
// stage config, its topic and its runbook entry. One synth, with thresholds unlike the defaults, so each one read is
// seen to come from the config.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions.js';
import { METRICS } from '../../lambdas/shared/observability/metric-catalogue.js';
import { CodexStack } from '../../lib/codex-stack.js';
import { REPO_ROOT } from '../../lib/codex-function.js';
import { RUNBOOK } from '../../lib/operations/alarms.js';
import { catalogueQueryText } from '../../lib/operations/catalogue-metrics.js';
import type { Operations } from '../../lib/operations/operations-stack.js';
import { stageConfig } from '../../lib/stage-config.js';

type Resource = { Type: string; Properties: Record<string, any> };
type Resources = Record<string, Resource>;

const thresholds: Record<string, string> = {
  'alarm.api5xxPercent': '2',
  'alarm.apiP99LatencyMs': '2500',
  'alarm.functionErrors': '3',
  'alarm.functionThrottles': '4',
  'alarm.providerErrorPercent': '25',
  'alarm.webhookFailurePercent': '40',
  'alarm.webhookMinDeliveries': '30',
  'alarm.orderOverdueMinutes': '90',
  'alarm.pollerSilentMinutes': '7',
  'alarm.failedExecutions': '2',
  waf: 'true',
};

let parent: Template;
let operationsStack: Resource;
let operations: Template;
let alarms: Resource[];
let topicParameter: string;

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CodexStack(app, 'Codex-dev', { stage: 'dev', demoPayments: true, config: stageConfig('dev', (key) => thresholds[key]) });
  parent = Template.fromStack(stack);
  operations = Template.fromStack(stack.node.findChild('Operations') as Operations);
  alarms = Object.values(operations.findResources('AWS::CloudWatch::Alarm') as Resources);
  // The topic reaches the nested stack as a parameter: the parent passes the topic's Ref.
  // The operations' stack, beside the function roles' (lib/function-roles.ts).
  const nested = Object.entries(parent.findResources('AWS::CloudFormation::Stack') as Resources)
    .filter(([id]) => id.startsWith('OperationsNestedStack'))
    .map(([, resource]) => resource);
  expect(nested).toHaveLength(1);
  operationsStack = nested[0]!;
  const topicId = Object.keys(parent.findResources('AWS::SNS::Topic'))[0]!;
  const passed = Object.entries(nested[0]!.Properties.Parameters as Record<string, unknown>).filter(
    ([, value]) => JSON.stringify(value) === JSON.stringify({ Ref: topicId }),
  );
  expect(passed).toHaveLength(1);
  topicParameter = passed[0]![0];
});

const named = (name: string): Resource['Properties'] => {
  const found = alarms.filter((alarm) => alarm.Properties.AlarmName === `codex-dev-${name}`);
  expect(found, name).toHaveLength(1);
  return found[0]!.Properties;
};

/** The parent's logical id behind a nested-stack parameter (a Ref or GetAtt passed in). */
function parentIdOf(value: unknown): string {
  const parameter = (value as { Ref: string }).Ref;
  const passed = operationsStack.Properties.Parameters[parameter] as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return passed.Ref ?? passed['Fn::GetAtt']![0];
}

function functionId(name: FunctionName): string {
  const ids = Object.keys(parent.findResources('AWS::Lambda::Function', { Properties: { Description: FUNCTIONS[name].description } }));
  expect(ids, name).toHaveLength(1);
  return ids[0]!;
}

describe('alarms', () => {
  it("tell the operators' topic when they fire and when they clear, each naming a runbook entry docs/operations.md has", () => {
    const runbook = readFileSync(join(REPO_ROOT, 'docs/operations.md'), 'utf8');
    const headings = new Set([...runbook.matchAll(/^### (.+)$/gm)].map((m) => m[1]!.trim()));
    for (const title of Object.values(RUNBOOK)) expect(headings, title).toContain(title);
    expect(alarms.length).toBeGreaterThan(0);
    for (const { Properties: alarm } of alarms) {
      expect(alarm.AlarmActions, alarm.AlarmName).toEqual([{ Ref: topicParameter }]);
      expect(alarm.OKActions, alarm.AlarmName).toEqual([{ Ref: topicParameter }]);
      const entry = /Runbook: docs\/operations\.md, "([^"]+)"\.$/.exec(alarm.AlarmDescription)?.[1];
      expect(headings, alarm.AlarmName).toContain(entry);
    }
    // All of them in the nested stack: the Codex stack itself is near CloudFormation's 500 resources.
    expect(parent.findResources('AWS::CloudWatch::Alarm')).toEqual({});
  });

  it('fire on the first message in any dead-letter queue, whatever sends its failures there', () => {
    const queues = parent.findResources('AWS::SQS::Queue') as Resources;
    const destinations = new Set<string>();
    const add = (arn: any) => destinations.add(arn['Fn::GetAtt'][0]);
    for (const queue of Object.values(queues)) if (queue.Properties.RedrivePolicy) add(queue.Properties.RedrivePolicy.deadLetterTargetArn);
    for (const type of ['AWS::Lambda::EventSourceMapping', 'AWS::Lambda::EventInvokeConfig']) {
      for (const r of Object.values(parent.findResources(type) as Resources)) {
        const onFailure = r.Properties.DestinationConfig?.OnFailure?.Destination;
        if (onFailure?.['Fn::GetAtt'] && queues[onFailure['Fn::GetAtt'][0]]) add(onFailure);
      }
    }
    for (const fn of Object.values(parent.findResources('AWS::Lambda::Function') as Resources)) {
      if (fn.Properties.DeadLetterConfig) add(fn.Properties.DeadLetterConfig.TargetArn);
    }
    for (const rule of Object.values(parent.findResources('AWS::Events::Rule') as Resources)) {
      for (const target of rule.Properties.Targets ?? []) if (target.DeadLetterConfig) add(target.DeadLetterConfig.Arn);
    }
    for (const schedule of Object.values(parent.findResources('AWS::Scheduler::Schedule') as Resources)) {
      if (schedule.Properties.Target.DeadLetterConfig) add(schedule.Properties.Target.DeadLetterConfig.Arn);
    }
    // Today: each consumer's, the stream publication's, the routing failures, the workflow starts', the finance totals'.
    expect(destinations.size).toBeGreaterThanOrEqual(8);
    const watched = alarms
      .filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map(({ Properties: alarm }) => {
        expect(alarm).toMatchObject({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          // SQS stops reporting a queue left idle: messages still waiting must not turn the alarm OK.
          TreatMissingData: 'ignore',
        });
        expect(alarm.AlarmName).toMatch(/^codex-dev-dead-letters-/);
        expect(alarm.AlarmDescription).toContain('"Alarm: dead letters"');
        return parentIdOf(alarm.Dimensions[0].Value);
      });
    expect(watched.sort()).toEqual([...destinations].sort());
  });

  it('fire on failed, timed-out and aborted executions of the order workflow', () => {
    const stateMachineId = Object.keys(parent.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    for (const [name, metric] of [
      ['failed', 'ExecutionsFailed'],
      ['timed-out', 'ExecutionsTimedOut'],
      ['aborted', 'ExecutionsAborted'],
    ]) {
      const alarm = named(`workflow-executions-${name}`);
      expect(alarm).toMatchObject({ Namespace: 'AWS/States', MetricName: metric, Statistic: 'Sum', Period: 300, Threshold: 2 });
      expect(alarm.Dimensions[0].Name).toBe('StateMachineArn');
      expect(parentIdOf(alarm.Dimensions[0].Value)).toBe(stateMachineId);
    }
  });

  it('fire on errors of every function, and on throttles of every function not limited to one run at a time by design', () => {
    const reserved = (name: FunctionName) =>
      (parent.findResources('AWS::Lambda::Function') as Resources)[functionId(name)]!.Properties.ReservedConcurrentExecutions !== undefined;
    const names = Object.keys(FUNCTIONS) as FunctionName[];
    // Their skipped runs are throttles by design; a missed poll shows as the poller-not-running alarm.
    expect(names.filter(reserved).sort()).toEqual(['pollProviders', 'settleIdleLeases', 'sweepOrders']);
    for (const name of names) {
      const alarm = named(`function-errors-${name}`);
      expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 300, Threshold: 3 });
      expect(alarm.Dimensions).toHaveLength(1);
      expect(parentIdOf(alarm.Dimensions[0].Value)).toBe(functionId(name));
      const throttles = alarms.filter((a) => a.Properties.AlarmName === `codex-dev-function-throttles-${name}`);
      if (reserved(name)) {
        expect(throttles, name).toEqual([]);
        continue;
      }
      expect(throttles, name).toHaveLength(1);
      expect(throttles[0]!.Properties).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Statistic: 'Sum', Period: 300, Threshold: 4 });
      expect(parentIdOf(throttles[0]!.Properties.Dimensions[0].Value)).toBe(functionId(name));
    }
  });

  it("fire on the API stage's 5xx rate and p99 latency", () => {
    const stageId = Object.keys(parent.findResources('AWS::ApiGateway::Stage'))[0]!;
    const rate = named('api-5xx-rate');
    expect(rate.Threshold).toBe(2);
    const errors = rate.Metrics.find((m: any) => m.MetricStat).MetricStat;
    expect(errors).toMatchObject({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5XXError' }, Period: 300, Stat: 'Average' });
    expect(rate.Metrics.find((m: any) => m.ReturnData).Expression).toBe('100 * errors');
    const dimensions = Object.fromEntries(errors.Metric.Dimensions.map((d: any) => [d.Name, d.Value]));
    expect(dimensions.ApiName).toBe('codex-dev');
    expect(parentIdOf(dimensions.Stage)).toBe(stageId);

    const latency = named('api-p99-latency');
    expect(latency).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: 'Latency', ExtendedStatistic: 'p99', Period: 300, Threshold: 2500 });
  });

  it("fire per provider on the oldest open order past its service's time and on the provider's error rate, over the catalogue's exact dimensions", () => {
    const overdue = named('open-order-overdue');
    expect(overdue.Threshold).toBe(90 * 60);
    expect(overdue.Metrics).toEqual([
      // Written once per 5-minute sweep: each 10-minute period holds one, so an order still overdue keeps the alarm on.
      { Id: 'expr_1', Expression: catalogueQueryText('OpenOrderOverdue', 'MAX', 'dev', 'provider'), Period: 600, ReturnData: true },
    ]);
    expect(overdue.Metrics[0].Expression).toBe(
      "SELECT MAX(OpenOrderOverdue) FROM SCHEMA(Codex, provider, service, stage) WHERE service = 'codex' AND stage = 'dev' GROUP BY provider ORDER BY MAX() DESC",
    );
    const errors = named('provider-error-rate');
    expect(errors.Threshold).toBe(0.25);
    expect(errors.Metrics).toHaveLength(1);
    expect(errors.Metrics[0]).toMatchObject({ Period: 900, ReturnData: true });
    expect(errors.Metrics[0].Expression).toBe(
      "SELECT AVG(ProviderCallErrors) FROM SCHEMA(Codex, provider, action, service, stage) WHERE service = 'codex' AND stage = 'dev' GROUP BY provider ORDER BY AVG() DESC",
    );
    expect(METRICS.ProviderCallErrors.dimensions).toEqual(['provider', 'action']);
  });

  it('fire on the share of failed webhook deliveries, once there were enough deliveries for a share to mean something', () => {
    const alarm = named('webhook-failure-rate');
    expect(alarm.Threshold).toBe(40);
    const byId = Object.fromEntries(alarm.Metrics.map((m: any) => [m.Id, m]));
    // One customer's dead endpoint on a quiet stage would otherwise read 100%.
    expect(byId.expr_1.Expression).toBe('IF(deliveries >= 30, 100 * failures / deliveries, 0)');
    expect(stageConfig('dev', () => undefined).alarms.webhookMinDeliveries).toBe(20);
    for (const [id, metric] of [
      ['deliveries', 'WebhookDeliveries'],
      ['failures', 'WebhookFailures'],
    ] as const) {
      expect(byId[id].MetricStat).toEqual({
        Metric: {
          Namespace: 'Codex',
          MetricName: metric,
          Dimensions: [
            { Name: 'service', Value: 'codex' },
            { Name: 'stage', Value: 'dev' },
          ],
        },
        Period: 900,
        Stat: 'Sum',
      });
    }
  });

  it('fire when the poller has not been invoked for the configured minutes, counting silence as a missed run', () => {
    const alarm = named('poller-not-running');
    expect(alarm).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Invocations',
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 7,
      TreatMissingData: 'breaching',
    });
    expect(parentIdOf(alarm.Dimensions[0].Value)).toBe(functionId('pollProviders'));
  });
});

describe('dashboard', () => {
  it("shows the stage's traffic, latency, errors, orders by status, refunds, provider health, queues, webhooks and money in", () => {
    const dashboards = Object.values(operations.findResources('AWS::CloudWatch::Dashboard') as Resources);
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0]!.Properties.DashboardName).toBe('codex-dev');
    parent.hasOutput('DashboardName', { Value: 'codex-dev' });
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const title of [
      'Traffic',
      'Latency',
      'Errors: by function',
      'Orders finalized, by status',
      'Refunds and money in',
      'Provider calls, by provider',
      'Provider call errors, by provider',
      'Dead-letter queues',
      'Webhook deliveries',
    ]) {
      expect(body).toContain(title);
    }
    expect(body).toContain(catalogueQueryText('OrdersFinalized', 'SUM', 'dev', 'status').replace(/'/g, "\\\\'").slice(0, 40));
    expect(body).toContain('TopUpAmount');
    // The web ACL's metrics, under the names the ACL gives them.
    const acl = Object.values(parent.findResources('AWS::WAFv2::WebACL') as Resources)[0]!.Properties;
    const plain = body.replace(/\\"/g, '"');
    expect(plain).toContain(`"AWS/WAFV2","BlockedRequests","Region",`);
    expect(plain).toContain(`"Rule","ALL","WebACL","${acl.VisibilityConfig.MetricName}"`);
    for (const rule of acl.Rules as { VisibilityConfig: { MetricName: string } }[]) {
      expect(plain).toContain(`"Rule","${rule.VisibilityConfig.MetricName}","WebACL","${acl.VisibilityConfig.MetricName}"`);
    }
    expect(body).toContain('RefundAmount');
  });
});
