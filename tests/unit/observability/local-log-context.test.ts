// The local stack runs every function in one process with one Logger, which the handler modules build before the stack
// is configured: each invocation must still log at the stack's level, under its own function's name, and keep its own
// stream batch (Powertools Batch, like the Logger, keeps its per-invocation state in the InvokeStore).
import { InvokeStore } from '@aws/lambda-invoke-store';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { streamConsumer } from '../../../lambdas/events/stream-consumer.js';
import { logger } from '../../../lambdas/shared/logger.js';
import { observe } from '../../../lambdas/shared/observability/observe.js';
import { lambdaContext } from '../../../local/functions.js';
import { inInvocation } from '../../../local/invoke-store.js';
import { useLogLevel } from '../../../local/log-level.js';
import { captureOutput } from '../../support/emf.js';

afterAll(() => {
  delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
  delete process.env.POWERTOOLS_LOG_LEVEL;
});

describe('local invocations of different functions', () => {
  it('log under their own function when they overlap, though the AWS SDK asked for the invoke store first', async () => {
    // What the SDK's recursion detection middleware does on the stack's first DynamoDB call, before any invocation.
    await InvokeStore.getInstanceAsync();
    useLogLevel('INFO');
    let arrived = 0;
    let release!: () => void;
    const bothInside = new Promise<void>((resolve) => (release = resolve));
    const handler = observe(async () => {
      if (++arrived === 2) release();
      await bothInside;
      logger.info('after the other started');
    });
    const invoke = (functionName: string) =>
      inInvocation(`lambda-${functionName}`, () => handler({}, lambdaContext(functionName, `lambda-${functionName}`) as never));

    const { logs } = await captureOutput(() => Promise.all([invoke('pollProviders'), invoke('sendNotificationEmails')]));

    const seen = logs
      .filter((line) => line.message === 'after the other started')
      .map(({ function_name, function_request_id }) => ({ function_name, function_request_id }));
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(
      expect.arrayContaining([
        { function_name: 'pollProviders', function_request_id: 'lambda-pollProviders' },
        { function_name: 'sendNotificationEmails', function_request_id: 'lambda-sendNotificationEmails' },
      ]),
    );
  });

  it('take every record of their batch while other invocations start', async () => {
    await InvokeStore.getInstanceAsync();
    let inside!: () => void;
    const firstRecordInside = new Promise<void>((resolve) => (inside = resolve));
    let release!: () => void;
    const othersStarted = new Promise<void>((resolve) => (release = resolve));
    const taken: string[] = [];
    const startWorkflows = observe(
      streamConsumer(
        () => async (record) => {
          inside();
          await othersStarted;
          taken.push(record.dynamodb!.SequenceNumber!);
        },
        { stopAtFailure: false },
      ),
    );
    const records = ['1', '2', '3'].map((sequence) => ({ eventName: 'INSERT', dynamodb: { SequenceNumber: sequence } }) as DynamoDBRecord);

    const { result } = await captureOutput(async () => {
      const batch = inInvocation('lambda-stream', () => startWorkflows({ Records: records }, lambdaContext('startOrderWorkflow', 'lambda-stream') as never));
      await firstRecordInside;
      await inInvocation('lambda-other', async () => undefined);
      release();
      return batch;
    });

    expect(taken).toEqual(['1', '2', '3']);
    expect(result).toEqual({ batchItemFailures: [] });
  });

  it('log at the level the stack was started with, on warm invocations too', async () => {
    useLogLevel('WARN');
    const handler = observe(async () => {
      logger.info('routine');
      logger.warn('worth a look');
    });
    const invoke = (requestId: string) => inInvocation(requestId, () => handler({}, lambdaContext('ordersApi', requestId) as never));

    const { logs } = await captureOutput(async () => {
      await invoke('first');
      await invoke('second');
    });

    expect(logs.map((line) => line.message)).toEqual(['worth a look', 'worth a look']);
  });
});
