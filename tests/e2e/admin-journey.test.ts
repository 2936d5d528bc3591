// Issue 11's journey on the local stack, with the demo admin's Cognito ID token: register a provider and a service,
// onboard a reseller, credit it, watch it order through /api/v2, find the order in /admin/v1/orders, refund part of
// it, find every step in the audit log, and reconcile with no difference.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PROVIDER_KEY, type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { v2 } from '../support/local-process.js';

let stack: LocalStack;
const answers: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 200, retryDelayMs: 100 });
});
afterAll(() => stack?.stop());

async function admin(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.adminUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.admin.idToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  answers.push(text);
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

describe('running the business through the admin API', () => {
  it('takes a provider, a service and a reseller from nothing to a refunded order, all of it audited and reconciled', async () => {
    const startedAt = new Date().toISOString();
    const suffix = randomUUID().slice(0, 8);
    const providerId = `journey-${suffix}`;

    // 1. The provider (its key goes to the secret store, never back out) and a service it fulfils.
    const provider = await admin('POST', '/providers', {
      id: providerId,
      name: 'Journey panel',
      apiUrl: stack.provider.url,
      apiKey: DEMO_PROVIDER_KEY,
      acceptsRequestId: true,
    });
    expect(provider.status).toBe(201);
    const service = await admin(
      'POST',
      '/services',
      { name: 'Journey views', category: 'YouTube', type: 'Default', rate: '1.50', cost: '0.40', min: 10, max: 100_000, providerId, providerServiceId: '101' },
      { 'idempotency-key': `journey-service-${suffix}` },
    );
    expect(service).toMatchObject({ status: 201, body: { rate: '1.50', cost: '0.40', margin: '1.10' } });
    const serviceId: number = service.body.id;

    // 2. A reseller, onboarded with its first API key (shown this once), and credited 20.00 once under one key.
    const email = `journey-${suffix}@example.com`;
    const onboarded = await admin('POST', '/users', { email, tier: 'standard' });
    expect(onboarded.status).toBe(201);
    const { id: resellerId, apiKey } = onboarded.body as { id: string; apiKey: string };
    const credit = { amount: '20.00', reason: 'journey: opening credit' };
    expect((await admin('POST', `/users/${resellerId}/adjustments`, credit, { 'idempotency-key': `journey-credit-${suffix}` })).status).toBe(200);
    expect((await admin('POST', `/users/${resellerId}/adjustments`, credit, { 'idempotency-key': `journey-credit-${suffix}` })).status).toBe(200);
    expect((await v2(stack.v2Url, { key: apiKey, action: 'balance' })).body.balance).toBe('20.00000');

    // 3. The reseller orders 1,000 of the new service through /api/v2 (the order path sees the catalog within 30 s).
    const placed = await eventually(
      async () => {
        const answer = await v2(stack.v2Url, { key: apiKey, action: 'add', service: serviceId, link: `https://youtube.com/watch?v=${suffix}`, quantity: 1000 });
        return answer.body.order ? answer : undefined;
      },
      40_000,
      1000,
    );
    const orderId = Number(placed.body.order);
    const completed = await eventually(
      async () => {
        const status = await v2(stack.v2Url, { key: apiKey, action: 'status', order: orderId });
        return status.body.status === 'Completed' ? status.body : undefined;
      },
      60_000,
      300,
    );
    expect(completed).toMatchObject({ charge: '1.50000', remains: '0' });

    // 4. The admin finds it by the reseller, with its provider and charge, and its provider calls on its page.
    const listed = await admin('GET', `/orders?user=${resellerId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: orderId, userId: resellerId, provider: providerId, charge: '1.50' })]);
    const page = await eventually(async () => {
      const read = await admin('GET', `/orders/${orderId}`);
      return read.body.order?.status === 'Completed' ? read.body : undefined;
    });
    expect(page.providerCalls).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'add' })]));

    // 5. A part refund of 0.25, once under its key, never above what is left of the charge.
    const refund = { amount: '0.25', reason: 'journey: goodwill' };
    const refunded = await admin('POST', `/orders/${orderId}/refund`, refund, { 'idempotency-key': `journey-refund-${suffix}` });
    expect(refunded).toMatchObject({ status: 200, body: { refunded: '0.25', charge: '1.50' } });
    expect((await admin('POST', `/orders/${orderId}/refund`, refund, { 'idempotency-key': `journey-refund-${suffix}` })).body).toEqual(refunded.body);
    const tooMuch = await admin(
      'POST',
      `/orders/${orderId}/refund`,
      { amount: '1.26', reason: 'journey: too much' },
      { 'idempotency-key': `journey-over-${suffix}` },
    );
    expect(tooMuch.status).toBe(409);
    expect((await v2(stack.v2Url, { key: apiKey, action: 'balance' })).body.balance).toBe('18.75000');

    // 6. Every step is in the audit log, by the admin, with the reseller's and the order's ids.
    const audit = await eventually(async () => {
      const read = await admin('GET', `/audit?from=${encodeURIComponent(startedAt)}&limit=100`);
      const actions = (read.body.items as { action: string }[]).map((entry) => entry.action);
      return actions.includes('order.refunded') ? (read.body.items as Record<string, unknown>[]) : undefined;
    });
    const find = (action: string, subject: string) => audit.find((entry) => entry.action === action && entry.subject === subject);
    expect(find('provider.created', providerId)).toMatchObject({ actorRole: 'admin', actorEmail: stack.admin.email });
    expect(find('service.created', String(serviceId))).toBeDefined();
    expect(find('user.onboarded', resellerId)).toBeDefined();
    expect(audit.filter((entry) => entry.action === 'user.balance_adjusted' && entry.subject === resellerId)).toHaveLength(1);
    expect(find('order.refunded', String(orderId))).toMatchObject({ actorRole: 'admin' });

    // 7. Reconciliation: every wallet's balance is the sum of its ledger.
    const job = await admin('POST', '/finance/reconciliation', undefined, { 'idempotency-key': `journey-reconcile-${suffix}` });
    expect(job.status).toBe(202);
    const done = await eventually(
      async () => {
        const read = await admin('GET', `/finance/reconciliation/${job.body.id}`);
        return read.body.status === 'running' ? undefined : read.body;
      },
      60_000,
      300,
    );
    expect(done).toMatchObject({ status: 'done', result: { walletDifferences: 0, wallets: [] } });

    // The provider's key never came back in any answer.
    for (const text of answers) expect(text).not.toContain(DEMO_PROVIDER_KEY);
  });
});
