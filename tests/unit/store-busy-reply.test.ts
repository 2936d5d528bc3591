// A DynamoDB "busy" error still failing after the SDK's retries answers the documented 503 with Retry-After, not 500.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { listServices } from '../../lambdas/rest/v1/contract/public.js';
import { restHandler, route } from '../../lambdas/rest/v1/http.js';
import { DomainError } from '../../lambdas/shared/errors.js';

function failingWith(name: string | DomainError) {
  const handler = restHandler([
    route(listServices, async () => {
      throw typeof name === 'string' ? Object.assign(new Error('Transaction is ongoing for the item'), { name }) : name;
    }),
  ]);
  return handler({
    httpMethod: 'GET',
    resource: listServices.path,
    path: listServices.path,
    headers: {},
    requestContext: { requestId: 'r1' },
  } as unknown as APIGatewayProxyEvent);
}

describe('the store busy after retries', () => {
  it('answers 503 busy with Retry-After for a transaction conflict', async () => {
    const result = await failingWith('TransactionConflictException');
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'busy', message: expect.any(String) } });
  });

  it('answers a wallet still contended at the end of its time budget with 409 wallet_busy and Retry-After, never a 5xx', async () => {
    const result = await failingWith(new DomainError('wallet_busy', 'Too many simultaneous requests on this balance; please retry'));
    expect(result.statusCode).toBe(409);
    expect(result.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(result.body)).toEqual({ error: { code: 'wallet_busy', message: 'Too many simultaneous requests on this balance; please retry' } });
  });

  it('still answers 500 for a bug', async () => {
    expect((await failingWith('TypeError')).statusCode).toBe(500);
  });
});
