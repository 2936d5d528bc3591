// The local stack runs every function in one process, with one Logger and one Metrics: concurrent invocations must
// still keep their correlation ids apart, as concurrent invocations of one Lambda instance do.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { logger } from '../../../lambdas/shared/logger.js';
import { apiRequest } from '../../../lambdas/shared/observability/correlation.js';
import { observe } from '../../../lambdas/shared/observability/observe.js';
import { lambdaContext } from '../../../local/functions.js';
import { inInvocation } from '../../../local/invoke-store.js';
import { captureOutput } from '../../support/emf.js';

afterAll(() => {
  delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
});

describe('local invocations', () => {
  it('keep their log keys apart when they overlap', async () => {
    logger.setLogLevel('INFO');
    let arrived = 0;
    let release!: () => void;
    const bothInside = new Promise<void>((resolve) => (release = resolve));
    const handler = observe(async (_event: APIGatewayProxyEvent) => {
      if (++arrived === 2) release();
      await bothInside;
      logger.info('after the other started');
    }, apiRequest);
    const invoke = (requestId: string, userId: string) =>
      inInvocation(`lambda-${requestId}`, () =>
        handler(
          { requestContext: { requestId, authorizer: { userId } } } as unknown as APIGatewayProxyEvent,
          lambdaContext('cabinetApi', `lambda-${requestId}`) as never,
        ),
      );

    const { logs } = await captureOutput(() => Promise.all([invoke('first', 'u-1'), invoke('second', 'u-2')]));

    const seen = logs
      .filter((line) => line.message === 'after the other started')
      .map(({ requestId, userId, function_request_id }) => ({ requestId, userId, function_request_id }));
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(
      expect.arrayContaining([
        { requestId: 'first', userId: 'u-1', function_request_id: 'lambda-first' },
        { requestId: 'second', userId: 'u-2', function_request_id: 'lambda-second' },
      ]),
    );
  });

  it('log outside any invocation without failing (the stack itself, tests)', async () => {
    inInvocation('warm-up', () => undefined);
    const { logs } = await captureOutput(async () => logger.info('from the stack'));
    expect(logs).toEqual([expect.objectContaining({ message: 'from the stack' })]);
  });
});
