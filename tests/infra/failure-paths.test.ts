// CDK assertions on what happens when things fail or a stack goes, by stage (lib/stage-config.ts): retries and
// dead-letter queues of the schedules, async invocations and stream readers, reserved concurrency, retention,
// termination protection and X-Ray tracing. Three synths, bundling skipped.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName, SCHEDULES } from '../../lambdas/functions.js';
import { CodexStack } from '../../lib/codex-stack.js';
import { RETAINED_BY_STAGE } from '../../lib/operations/retention.js';
import { stageConfig } from '../../lib/stage-config.js';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Resources = Record<string, Resource>;

interface Synth {
  stack: CodexStack;
  template: Template;
}

function synth(stage: string, context: Record<string, string> = {}): Synth {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CodexStack(app, `Codex-${stage}`, { stage, config: stageConfig(stage, (key) => context[key]) });
  return { stack, template: Template.fromStack(stack) };
}

let dev: Synth;
let prod: Synth;
let staging: Synth;
beforeAll(() => {
  dev = synth('dev');
  prod = synth('prod');
  // Not production, yet keeps its data; traced only when asked.
  staging = synth('staging', { tracing: 'false' });
});

const resourcesOf = (template: Template, type: string) => template.findResources(type) as Resources;

function functionId(template: Template, name: FunctionName): string {
  const ids = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Description: FUNCTIONS[name].description } }));
  expect(ids, name).toHaveLength(1);
  return ids[0]!;
}

const failedRunsId = (template: Template) => {
  const ids = Object.keys(resourcesOf(template, 'AWS::SQS::Queue')).filter((id) => id.startsWith('FailedRuns'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

describe('schedules', () => {
  it('retries the delivery of each scheduled run for as long as its period, then puts it in the failed runs queue', () => {
    const { template } = dev;
    for (const schedule of SCHEDULES) {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: Match.stringLikeRegexp('^rate\\('),
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [functionId(template, schedule.function), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: schedule.everyMinutes * 60 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [failedRunsId(template), 'Arn'] } },
          }),
        ],
      });
    }
  });

  it('lets the bus send to the failed runs queue only for the schedules', () => {
    const { template } = dev;
    const policy = Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).find((p) =>
      (p.Properties.Queues as unknown[]).some((q) => JSON.stringify(q) === JSON.stringify({ Ref: failedRunsId(template) })),
    )!;
    const fromEvents = (policy.Properties.PolicyDocument.Statement as { Principal?: { Service?: string }; Condition?: any }[]).filter(
      (s) => s.Principal?.Service === 'events.amazonaws.com',
    );
    expect(fromEvents).toHaveLength(SCHEDULES.length);
    for (const statement of fromEvents) expect(statement.Condition.ArnEquals['aws:SourceArn']).toBeDefined();
  });

  it('gives up a failed or throttled run when the next is due: the poller is not retried (its next run is a minute away), the sweeper once', () => {
    const { template } = dev;
    const configs = Object.values(resourcesOf(template, 'AWS::Lambda::EventInvokeConfig'));
    expect(configs).toHaveLength(SCHEDULES.length);
    const byFunction = Object.fromEntries(configs.map((c) => [c.Properties.FunctionName.Ref as string, c.Properties]));
    const onFailure = { OnFailure: { Destination: { 'Fn::GetAtt': [failedRunsId(template), 'Arn'] } } };
    expect(byFunction[functionId(template, 'pollProviders')]).toMatchObject({
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: onFailure,
    });
    expect(byFunction[functionId(template, 'sweepOrders')]).toMatchObject({
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 300,
      DestinationConfig: onFailure,
    });
  });

  it('runs the poller and the sweeper one at a time (reserved concurrency 1), and reserves nothing for any other function', () => {
    const { template } = dev;
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    const reserved = Object.entries(functions)
      .filter(([, fn]) => fn.Properties.ReservedConcurrentExecutions !== undefined)
      .map(([id, fn]) => [id, fn.Properties.ReservedConcurrentExecutions]);
    expect(reserved.sort()).toEqual(SCHEDULES.map((s) => [functionId(template, s.function), 1]).sort());
  });
});

describe('stream readers', () => {
  it('every mapping of the table stream splits a failing batch and sends what still fails to a dead-letter queue', () => {
    const { template } = dev;
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const streamMappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter((m) =>
      JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'),
    );
    // publishEvents, startOrderWorkflow, recordFinanceTotals, reconcileFinances, assignUsageKeys, settleIdleLeases.
    expect(streamMappings).toHaveLength(6);
    for (const mapping of streamMappings) {
      expect(mapping.Properties.BisectBatchOnFunctionError).toBe(true);
      expect(mapping.Properties.MaximumRetryAttempts).toBeGreaterThan(0);
      const destination = mapping.Properties.DestinationConfig?.OnFailure?.Destination;
      expect(queues[destination['Fn::GetAtt'][0]]).toBeDefined();
    }
  });

  it('sends reconciliation jobs, usage keys and closed leases that still fail to the failed runs queue', () => {
    const { template } = dev;
    for (const name of ['reconcileFinances', 'assignUsageKeys', 'settleIdleLeases'] as const) {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(template, name) },
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [failedRunsId(template), 'Arn'] } } },
      });
    }
  });

  it('every queue a function reads sends what it cannot handle to a dead-letter queue', () => {
    const { template } = dev;
    const queues = resourcesOf(template, 'AWS::SQS::Queue');
    const queueMappings = Object.values(resourcesOf(template, 'AWS::Lambda::EventSourceMapping')).filter(
      (m) => !JSON.stringify(m.Properties.EventSourceArn).includes('StreamArn'),
    );
    expect(queueMappings.length).toBeGreaterThan(0);
    for (const mapping of queueMappings) {
      const queue = queues[mapping.Properties.EventSourceArn['Fn::GetAtt'][0]]!;
      expect(queue.Properties.RedrivePolicy.deadLetterTargetArn).toBeDefined();
    }
  });

  it('every rule target of the stage has a retry policy and a dead-letter queue', () => {
    const { template } = dev;
    const targets = Object.values(resourcesOf(template, 'AWS::Events::Rule')).flatMap((rule) => rule.Properties.Targets as any[]);
    expect(targets.length).toBeGreaterThan(SCHEDULES.length);
    for (const target of targets) {
      expect(target.RetryPolicy).toBeDefined();
      expect(target.DeadLetterConfig.Arn).toBeDefined();
    }
  });
});

describe('retention and protection by stage', () => {
  it('lets dev lose its state machine, queues and log groups with the stack', () => {
    for (const type of RETAINED_BY_STAGE) {
      const resources = Object.values(resourcesOf(dev.template, type));
      expect(resources.length, type).toBeGreaterThan(0);
      for (const resource of resources) expect(resource.DeletionPolicy, type).toBe('Delete');
    }
  });

  it('keeps the state machine, every queue (dead letters included) and every log group of prod and other stages when their stack goes', () => {
    for (const { template } of [prod, staging]) {
      for (const type of RETAINED_BY_STAGE) {
        const resources = Object.values(resourcesOf(template, type));
        expect(resources.length, type).toBeGreaterThan(0);
        for (const resource of resources) {
          expect(resource.DeletionPolicy, type).toBe('Retain');
          expect(resource.UpdateReplacePolicy, type).toBe('Retain');
        }
      }
    }
  });

  it('keeps logs a month in dev and other stages and three months in production', () => {
    const retentions = (template: Template) => new Set(Object.values(resourcesOf(template, 'AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays));
    expect(retentions(dev.template)).toEqual(new Set([RetentionDays.ONE_MONTH]));
    expect(retentions(staging.template)).toEqual(new Set([RetentionDays.ONE_MONTH]));
    expect(retentions(prod.template)).toEqual(new Set([RetentionDays.THREE_MONTHS]));
  });

  it('protects prod from termination, and dev and other stages not unless asked', () => {
    expect(prod.stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
    expect(staging.stack.terminationProtection).toBe(false);
    expect(stageConfig('staging', (key) => (key === 'terminationProtection' ? 'true' : undefined)).terminationProtection).toBe(true);
    expect(stageConfig('prod', (key) => (key === 'terminationProtection' ? 'false' : undefined)).terminationProtection).toBe(false);
  });
});

describe('tracing', () => {
  it('traces every function, the API stage and the state machine', () => {
    for (const { template } of [dev, prod]) {
      for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
        expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
        expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBeUndefined();
      }
      template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: true } });
    }
  });

  it('samples every request of the dev API and 5% of the prod API (no per-second reservoir)', () => {
    for (const [{ template }, stage, rate] of [
      [dev, 'dev', 1],
      [prod, 'prod', 0.05],
    ] as const) {
      const rule = Object.values(resourcesOf(template, 'AWS::XRay::SamplingRule'));
      expect(rule).toHaveLength(1);
      expect(rule[0]!.Properties.SamplingRule).toMatchObject({
        RuleName: `codex-${stage}-api`,
        FixedRate: rate,
        ReservoirSize: 0,
        ServiceName: `codex-${stage}/${stage}`,
        ServiceType: 'AWS::ApiGateway::Stage',
        ResourceARN: '*',
      });
    }
    expect(stageConfig('prod', (key) => (key === 'tracingSampleRate' ? '0.2' : undefined)).tracing.sampleRate).toBe(0.2);
  });

  it('traces nothing when tracing is off, and turns the functions’ Tracer off', () => {
    const { template } = staging;
    for (const fn of Object.values(resourcesOf(template, 'AWS::Lambda::Function'))) {
      expect(fn.Properties.TracingConfig).toBeUndefined();
      expect(fn.Properties.Environment.Variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
    }
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { TracingConfiguration: { Enabled: false } });
    expect(resourcesOf(template, 'AWS::XRay::SamplingRule')).toEqual({});
  });
});
