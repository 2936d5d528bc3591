// observe(), which every handler is wrapped in: what an operator finds in a function's stdout (CloudWatch Logs).
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';

// Lambda sets it for on-demand functions; Powertools counts a cold start only then. Before the handlers are imported.
vi.hoisted(() => {
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
});
import { handler as health } from '../../../lambdas/health/health-handler.js';
import { logger } from '../../../lambdas/shared/logger.js';
import { apiRequest, workflowStep } from '../../../lambdas/shared/observability/correlation.js';
import { observe } from '../../../lambdas/shared/observability/observe.js';
import { lambdaContext } from '../../../local/functions.js';
import { captureOutput, metricsOf } from '../../support/emf.js';

const apiEvent = (requestId: string, authorizer?: Record<string, unknown>) =>
  ({ requestContext: { requestId, ...(authorizer ? { authorizer } : {}) } }) as unknown as APIGatewayProxyEvent;

beforeAll(() => {
  logger.setLogLevel('INFO');
});

describe('observe', () => {
  it("publishes a function's cold start once, as an EMF line in the Codex namespace, and no empty-metrics warning", async () => {
    const first = await captureOutput(() => health({}, lambdaContext('health', 'request-1') as never));
    const second = await captureOutput(() => health({}, lambdaContext('health', 'request-2') as never));

    expect(first.result).toMatchObject({ statusCode: 200 });
    expect(metricsOf(first.emf)).toEqual([
      {
        namespace: 'Codex',
        name: 'ColdStart',
        unit: 'Count',
        value: 1,
        dimensions: { service: 'codex', stage: process.env.STAGE || 'local', function_name: 'health' },
      },
    ]);
    expect(metricsOf(second.emf)).toEqual([]);
    const everything = [...first.logs, ...second.logs].map((line) => JSON.stringify(line));
    expect(everything.filter((line) => line.includes('No application metrics'))).toEqual([]);
  });

  it('names the API request and its caller on every log line of the invocation, and forgets them after', async () => {
    const handler = observe(async (_event: APIGatewayProxyEvent) => {
      logger.info('handling');
      return 'done';
    }, apiRequest);

    const signedIn = await captureOutput(() => handler(apiEvent('api-req-1', { userId: 'u-123' }), lambdaContext('cabinetApi', 'lambda-1') as never));
    const anonymous = await captureOutput(() => handler(apiEvent('api-req-2'), lambdaContext('cabinetApi', 'lambda-2') as never));

    expect(signedIn.logs).toEqual([expect.objectContaining({ message: 'handling', requestId: 'api-req-1', userId: 'u-123', function_request_id: 'lambda-1' })]);
    expect(anonymous.logs).toEqual([expect.objectContaining({ message: 'handling', requestId: 'api-req-2' })]);
    expect(anonymous.logs[0]).not.toHaveProperty('userId');
  });

  it('names the order on the log lines of a workflow step', async () => {
    const step = observe(async (_event: unknown) => {
      logger.info('step ran');
    }, workflowStep);

    const { logs } = await captureOutput(() => step({ orderId: 42, taskToken: 'token-never-logged' }, lambdaContext('submitOrder', 'lambda-3') as never));

    expect(logs).toEqual([expect.objectContaining({ message: 'step ran', orderId: '42' })]);
    expect(JSON.stringify(logs)).not.toContain('token-never-logged');
  });

  it("names the admin signing in to the admin API by the Cognito sub, and the reseller by the authorizer's owner", async () => {
    const handler = observe(async (_event: APIGatewayProxyEvent) => logger.info('seen'), apiRequest);

    const admin = await captureOutput(() => handler(apiEvent('r-1', { claims: { sub: 'admin-sub' } }), lambdaContext('adminUsers', 'l-1') as never));
    const reseller = await captureOutput(() => handler(apiEvent('r-2', { ownerId: 'u-9', keyPrefix: 'cdx_ab' }), lambdaContext('resellerApi', 'l-2') as never));

    expect(admin.logs[0]).toMatchObject({ requestId: 'r-1', userId: 'admin-sub' });
    expect(reseller.logs[0]).toMatchObject({ requestId: 'r-2', userId: 'u-9' });
  });
});
