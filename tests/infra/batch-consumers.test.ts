// Every queue and stream consumer runs Powertools Batch, which answers the failed records of a batch: each event
// source mapping must ask for that answer, or Lambda would take a batch that failed in part as done.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName, SUBSCRIPTIONS } from '../../lambdas/functions.js';
import { CodexStack } from '../../lib/codex-stack.js';

const STREAM_READERS: FunctionName[] = [
  'startOrderWorkflow',
  'publishEvents',
  'recordFinanceTotals',
  'reconcileFinances',
  'assignUsageKeys',
  'settleIdleLeases',
];

let template: Template;
beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new CodexStack(app, 'Codex-dev', { stage: 'dev' }));
});

describe('batch consumers', () => {
  it('every event source mapping, queue or stream, reports partial batch failures', () => {
    const functionIds = Object.fromEntries(
      Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, fn]) => [id, fn.Properties.Description as string]),
    );
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
    const consumers = mappings.map((m) => functionIds[m.Properties.FunctionName.Ref as string]);
    const expected = [...STREAM_READERS, ...SUBSCRIPTIONS.map((s) => s.function)].map((name) => FUNCTIONS[name].description);
    expect(consumers.sort()).toEqual(expected.sort());
    for (const mapping of mappings) expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });
});
