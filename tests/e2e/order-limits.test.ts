// The order limits (MAX_ACTIVE_ORDERS, MAX_DAILY_SPEND) on a started local stack: both APIs place orders through the
// same use case, so both refuse past a limit, each in its own words, and nothing is placed.
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionToContext } from '../../lambdas/rest/v1/caller.js';
import { handler as orders } from '../../lambdas/rest/v1/handlers/orders-handler.js';
import { seedReseller } from '../../local/seed.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

let stack: LocalStack;

beforeAll(async () => {
  Object.assign(process.env, { MAX_ACTIVE_ORDERS: '2', MAX_DAILY_SPEND: '5.00' });
  // Slow provider: orders stay active for the whole test.
  stack = await startLocalStack({ port: 0, providerSpeed: 0.001, logLevel: 'ERROR' });
});

afterAll(async () => {
  await stack?.stop();
  delete process.env.MAX_ACTIVE_ORDERS;
  delete process.env.MAX_DAILY_SPEND;
});

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams(fields) })).json() as Promise<Record<string, unknown>>;

async function v1Order(userId: string, walletId: string, body: Record<string, unknown>) {
  const event = {
    httpMethod: 'POST',
    resource: '/api/v1/orders',
    path: '/api/v1/orders',
    headers: { host: 'localhost', 'content-type': 'application/json' },
    queryStringParameters: null,
    pathParameters: null,
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      requestId: 'limits',
      path: '/api/v1/orders',
      identity: { sourceIp: '127.0.0.1' },
      authorizer: decisionToContext({ caller: { userId, walletId, role: 'customer', emailVerified: true, via: 'session' } }),
    },
  } as unknown as APIGatewayProxyEvent;
  const result = (await orders(event)) as APIGatewayProxyResult;
  return { status: result.statusCode, body: JSON.parse(result.body) };
}

describe('order limits on both APIs', () => {
  it('refuses a third active order on /api/v2 and on /api/v1, placing nothing', async () => {
    const user = await seedReseller(stack.deps, { id: 'limited', email: 'limited@codex.local', walletId: 'wallet-limited', deposit: '100.00' });
    expect(await v2({ key: user.apiKey, action: 'add', service: '1', link: 'https://youtube.com/watch?v=a1', quantity: '100' })).toMatchObject({
      order: expect.any(Number),
    });
    expect((await v1Order(user.id, user.walletId, { service: 1, link: 'https://youtube.com/watch?v=a2', quantity: 100 })).status).toBe(201);
    const before = await stack.deps.wallets.getWallet(user.walletId);

    expect(await v2({ key: user.apiKey, action: 'add', service: '1', link: 'https://youtube.com/watch?v=a3', quantity: '100' })).toEqual({
      error: 'Too many active orders: You have 2 active orders, the most allowed at once; place more when some have completed',
    });
    const refused = await v1Order(user.id, user.walletId, { service: 1, link: 'https://youtube.com/watch?v=a4', quantity: 100 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('active_orders_limit');
    expect(await stack.deps.wallets.getWallet(user.walletId)).toEqual(before);
  });

  it("refuses an order past the day's spending limit with the limit in the message", async () => {
    const user = await seedReseller(stack.deps, { id: 'spender', email: 'spender@codex.local', walletId: 'wallet-spender', deposit: '100.00' });
    // 10,000 units at 0.90 per 1,000 cost 9.00, more than the 5.00 a day allowed.
    const refused = await v1Order(user.id, user.walletId, { service: 1, link: 'https://youtube.com/watch?v=big', quantity: 10_000 });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toEqual({
      code: 'daily_spend_limit',
      message: "This order would take today's spending (UTC) past the daily limit of 5.00 USD (what orders charged today; refunds do not give it back)",
    });
    expect(await v2({ key: user.apiKey, action: 'add', service: '1', link: 'https://youtube.com/watch?v=big2', quantity: '10000' })).toEqual({
      error:
        "Daily spending limit reached: This order would take today's spending (UTC) past the daily limit of 5.00 USD (what orders charged today; refunds do not give it back)",
    });
    expect((await stack.deps.wallets.getWallet(user.walletId))!.balance).toBe(100_000_000);
  });
});
