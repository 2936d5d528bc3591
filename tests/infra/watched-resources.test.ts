// The operations stack finds every dead-letter queue by what sends failures to it, so a queue added by any construct
// is alarmed on without being listed anywhere (lib/operations/watched-resources.ts).
import { App, Duration, Stack } from 'aws-cdk-lib';
import { AttributeType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Code, Function as LambdaFn, Runtime, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { watchedResources } from '../../lib/operations/watched-resources.js';

describe('watched resources', () => {
  it("finds the dead-letter queues of queues, stream mappings, async invocations, rule targets and functions, and no consumer's own queue", () => {
    const stack = new Stack(new App(), 'Watched');
    const fn = (id: string, props: Partial<ConstructorParameters<typeof LambdaFn>[2]> = {}) =>
      new LambdaFn(stack, id, { code: Code.fromInline('export const handler = () => {}'), handler: 'index.handler', runtime: Runtime.NODEJS_24_X, ...props });
    const redriveTarget = new Queue(stack, 'RedriveTarget');
    const work = new Queue(stack, 'Work', { deadLetterQueue: { queue: redriveTarget, maxReceiveCount: 3 } });
    fn('Consumer').addEventSource(new SqsEventSource(work));
    const streamFailures = new Queue(stack, 'StreamFailures');
    const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, stream: StreamViewType.NEW_IMAGE });
    fn('StreamReader').addEventSource(new DynamoEventSource(table, { startingPosition: StartingPosition.LATEST, onFailure: new SqsDlq(streamFailures) }));
    const asyncFailures = new Queue(stack, 'AsyncFailures');
    fn('Scheduled').configureAsyncInvoke({ onFailure: new SqsDestination(asyncFailures), retryAttempts: 0 });
    const targetFailures = new Queue(stack, 'TargetFailures');
    new Rule(stack, 'Every', {
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(fn('Target'), { deadLetterQueue: targetFailures })],
    });
    const functionFailures = new Queue(stack, 'FunctionFailures');
    fn('WithDlq', { deadLetterQueue: functionFailures });

    const watched = watchedResources(stack);
    expect(watched.deadLetterQueues.map((q) => q.label).sort()).toEqual([
      'AsyncFailures',
      'FunctionFailures',
      'RedriveTarget',
      'StreamFailures',
      'TargetFailures',
    ]);
    expect(watched.workQueues.map((q) => q.label)).toEqual(['Work']);
    // Only CodexFunctions are the manifest's functions.
    expect(watched.functions).toEqual([]);
  });
});
