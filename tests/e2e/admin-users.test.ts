// The admin users API end to end, over HTTP on the local stack with the admin's Cognito ID token: onboard a reseller,
// credit it, give it a wholesale rate, and watch it order through /api/v2 with the key the onboarding showed once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { v2 } from '../support/local-process.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

async function admin(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = stack.admin.idToken) {
  const response = await fetch(`${stack.adminUrl}${path}`, {
    method,
    headers: { authorization: token, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('the admin users API on the local stack', () => {
  it('onboards a reseller, credits it, prices it, and the reseller orders through /api/v2 at its rate', async () => {
    const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
    const onboarded = await admin('POST', '/users', { email, tier: 'standard' });
    expect(onboarded).toMatchObject({ status: 201, body: { usageKey: 'pending' } });
    const { id, apiKey } = onboarded.body;
    expect(apiKey).toMatch(/^cdx_/);
    expect((await admin('POST', '/users', { email })).status).toBe(200);

    const credit = await admin('POST', `/users/${id}/adjustments`, { amount: '10', reason: 'e2e credit' }, { 'idempotency-key': `e2e-${id}` });
    expect(credit).toMatchObject({ status: 200, body: { balanceAfter: '10.00' } });
    expect((await admin('POST', `/users/${id}/adjustments`, { amount: '10', reason: 'e2e credit' }, { 'idempotency-key': `e2e-${id}` })).body).toEqual(
      credit.body,
    );
    expect((await admin('PUT', `/users/${id}/pricing`, { tier: 'standard', rates: { '1': '0.60' } })).status).toBe(200);

    const services = await v2(stack.v2Url, { key: apiKey, action: 'services' });
    expect(services.body.find((s: { service: number }) => s.service === 1).rate).toBe('0.60');
    const placed = await v2(stack.v2Url, { key: apiKey, action: 'add', service: 1, link: 'https://youtube.com/watch?v=admin-e2e', quantity: 1000 });
    expect(placed.body.order).toEqual(expect.any(Number));
    expect((await v2(stack.v2Url, { key: apiKey, action: 'balance' })).body.balance).toBe('9.40000');

    // An operator sees it; an operator may not move money.
    const seen = await admin('GET', `/users?q=${encodeURIComponent(email)}`, undefined, {}, stack.operator.idToken);
    expect(seen.body.items).toEqual([expect.objectContaining({ id, email, balance: '9.40' })]);
    const detail = await admin('GET', `/users/${id}`, undefined, {}, stack.operator.idToken);
    expect(detail.body.orders).toMatchObject({ counted: 1, charged: '0.60' });
    const refused = await admin('POST', `/users/${id}/adjustments`, { amount: '1', reason: 'x' }, { 'idempotency-key': 'op' }, stack.operator.idToken);
    expect(refused.status).toBe(403);

    // Blocked: its key is suspended (the reseller API's containers stop trusting their cached copy within 60 s).
    expect((await admin('POST', `/users/${id}/block`, { reason: 'e2e' })).body).toMatchObject({ blocked: true, keysSuspended: 1 });
    expect((await admin('GET', `/users/${id}`)).body.apiKeys).toEqual([expect.objectContaining({ status: 'suspended' })]);
  });

  it("gives an onboarded reseller its usage key from the table's stream, and moves it when pricing changes the tier", async () => {
    const onboarded = await admin('POST', '/users', { email: `e2e-${randomUUID().slice(0, 8)}@example.com`, tier: 'standard' });
    const { id } = onboarded.body;
    const inStep = (tier: string) =>
      eventually(async () => {
        const { body } = await admin('GET', `/users/${id}`);
        return body.usageKey === 'ready' && body.apiGatewayKey?.tier === tier ? body : undefined;
      });
    const first = await inStep('standard');
    expect((await admin('PUT', `/users/${id}/pricing`, { tier: 'pro' })).status).toBe(200);
    const moved = await inStep('pro');
    expect(moved.apiGatewayKey.id).toBe(first.apiGatewayKey.id);
    expect(moved.tier).toBe('pro');
  });
});
