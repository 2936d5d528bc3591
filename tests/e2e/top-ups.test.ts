// Paying in through the demo gateway on the started local stack: the checkout page and its buttons over HTTP, the
// gateway's signed callback over HTTP, and the balance credited once. Until sign-in lands, the cabinet calls go to
// the payments handler with the authorizer's context made by hand (decisionToContext), as the gateway would pass it.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDemo } from '../../lambdas/payments/gateways/demo.js';
import { decisionToContext, type V1Caller } from '../../lambdas/rest/v1/caller.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { type LambdaFunction, loadFunction } from '../../local/functions.js';
import { LOCAL_DEMO_GATEWAY_SECRET, type LocalStack, REPO_ROOT, startLocalStack } from '../../local/stack.js';

let stack: LocalStack;
let payments: LambdaFunction;
let caller: V1Caller;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  payments = await loadFunction('payments', REPO_ROOT);
  caller = { userId: stack.reseller.id, walletId: stack.reseller.walletId, role: 'reseller', emailVerified: true, via: 'session', sessionId: 's-1' };
});

afterAll(async () => {
  await stack?.stop();
});

async function cabinet(
  method: 'GET' | 'POST',
  resource: string,
  { body, params = {}, query = {}, as = caller }: { body?: unknown; params?: Record<string, string>; query?: Record<string, string>; as?: V1Caller } = {},
) {
  const path = Object.entries(params).reduce((p, [k, v]) => p.replace(`{${k}}`, v), resource);
  const event = {
    httpMethod: method,
    resource,
    path,
    headers: { host: new URL(stack.apiBase).host, 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: null,
    pathParameters: Object.keys(params).length ? params : null,
    stageVariables: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), path, identity: { sourceIp: '127.0.0.1' }, authorizer: decisionToContext({ caller: as }) },
  } as unknown as APIGatewayProxyEvent;
  const result = (await payments(event)) as APIGatewayProxyResult;
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

const startTopUp = async (amount: string) => {
  const { status, body } = await cabinet('POST', '/api/v1/top-ups', { body: { amount, method: 'demo' } });
  expect(status).toBe(201);
  return body as { id: string; checkoutUrl: string; status: string; amount: string; currency: string };
};

const press = (checkoutUrl: string, button: 'pay' | 'cancel') =>
  fetch(`${checkoutUrl}/${button}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });

const depositsOf = async (topUpId: string) =>
  (await stack.deps.wallets.listLedger(stack.reseller.walletId)).filter((e) => e.kind === 'deposit' && e.reference === `top-up:${topUpId}`);

const balance = async () => (await stack.deps.wallets.getWallet(stack.reseller.walletId))!.balance;

describe('topping up with the demo gateway', () => {
  it('opens a checkout page, pays, and credits the balance once with a deposit entry', async () => {
    const before = await balance();
    const topUp = await startTopUp('12.00');
    expect(topUp).toMatchObject({ status: 'pending', amount: '12.00', currency: 'USD', method: 'demo' });
    expect(topUp.checkoutUrl).toBe(`${stack.apiBase}/api/v1/payments/demo/checkout/${topUp.id}`);

    const page = await fetch(topUp.checkoutUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('12.00 USD');
    expect(html).toContain(`<form method="post" action="${topUp.checkoutUrl}/pay">`);
    expect(html).toContain(`<form method="post" action="${topUp.checkoutUrl}/cancel">`);
    expect(html).not.toContain('<script');

    const paid = await press(topUp.checkoutUrl, 'pay');
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment received');
    expect(await balance()).toBe(before + parseMoney('12.00'));
    expect(await depositsOf(topUp.id)).toMatchObject([{ amount: parseMoney('12.00') }]);

    // Pressing Pay again sends the callback again: nothing more is credited.
    expect((await press(topUp.checkoutUrl, 'pay')).status).toBe(200);
    expect(await depositsOf(topUp.id)).toHaveLength(1);
    expect((await cabinet('GET', '/api/v1/top-ups/{id}', { params: { id: topUp.id } })).body).toMatchObject({ status: 'paid', checkoutUrl: null });

    const ledger = await stack.deps.wallets.listLedger(stack.reseller.walletId);
    expect(ledger.reduce((sum, e) => sum + e.amount, 0)).toBe(await balance());
  });

  it('credits nothing when the customer cancels, and a later cancel never undoes a payment', async () => {
    const before = await balance();
    const topUp = await startTopUp('5.00');
    const cancelled = await press(topUp.checkoutUrl, 'cancel');
    expect(await cancelled.text()).toContain('Payment cancelled');
    expect((await cabinet('GET', '/api/v1/top-ups/{id}', { params: { id: topUp.id } })).body).toMatchObject({ status: 'cancelled' });
    expect(await balance()).toBe(before);
    expect(await depositsOf(topUp.id)).toEqual([]);
  });

  it('refuses a forged callback over HTTP and credits nothing', async () => {
    const topUp = await startTopUp('3.00');
    const body = JSON.stringify({ id: `demo_${topUp.id}`, topUpId: topUp.id, status: 'paid', amount: '3.00', currency: 'USD' });
    const forged = await fetch(`${stack.apiBase}/api/v1/payments/demo/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-demo-signature': signDemo(body, 'guessed-secret', Math.floor(Date.now() / 1000)) },
      body,
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    expect(await depositsOf(topUp.id)).toEqual([]);

    const genuine = await fetch(`${stack.apiBase}/api/v1/payments/demo/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-demo-signature': signDemo(body, LOCAL_DEMO_GATEWAY_SECRET, Math.floor(Date.now() / 1000)) },
      body,
    });
    expect(await genuine.json()).toEqual({ received: true, verdict: 'credited' });
  });

  it('lists the caller’s top-ups newest first and hides them from everyone else', async () => {
    const first = await startTopUp('2.00');
    const second = await startTopUp('4.00');
    const list = await cabinet('GET', '/api/v1/top-ups', { query: { limit: '2' } });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([second.id, first.id]);
    expect(list.body.nextCursor).toEqual(expect.any(String));

    const stranger = { ...caller, userId: 'someone-else', walletId: 'wallet-someone-else' };
    expect((await cabinet('GET', '/api/v1/top-ups/{id}', { params: { id: first.id }, as: stranger })).status).toBe(404);
    expect((await cabinet('GET', '/api/v1/top-ups', { as: stranger })).body).toEqual({ items: [], nextCursor: null });
  });

  it('refuses a deposit under the minimum naming the field, an unknown method, and callers who have not verified their email', async () => {
    const small = await cabinet('POST', '/api/v1/top-ups', { body: { amount: '0.50', method: 'demo' } });
    expect(small).toEqual({ status: 400, body: { error: { code: 'amount_too_small', message: 'amount: the minimum deposit is 1.00 USD', field: 'amount' } } });
    const method = await cabinet('POST', '/api/v1/top-ups', { body: { amount: '5.00', method: 'paypal' } });
    expect(method.body.error).toMatchObject({ code: 'unknown_payment_method', field: 'method' });
    const missing = await cabinet('POST', '/api/v1/top-ups', { body: { amount: '5.00' } });
    expect(missing).toEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'method: Invalid input: expected string, received undefined', field: 'method' } },
    });
    const badLimit = await cabinet('GET', '/api/v1/top-ups', { query: { limit: '500' } });
    expect(badLimit.body.error).toMatchObject({ code: 'invalid_request', field: 'limit', message: expect.stringContaining('<=100') });
    const unverified = await cabinet('POST', '/api/v1/top-ups', { body: { amount: '5.00', method: 'demo' }, as: { ...caller, emailVerified: false } });
    expect(unverified.status).toBe(403);
  });

  it('answers 404 for the checkout of an unknown top-up', async () => {
    expect((await fetch(`${stack.apiBase}/api/v1/payments/demo/checkout/tu_0000000000000000000000000000`)).status).toBe(404);
  });
});
