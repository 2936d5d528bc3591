// The admin API's orders over HTTP on the local stack, with the demo admin and operator tokens: a reseller orders
// through /api/v2, an operator finds the order in /admin/v1/orders and reads its page (provider calls, ledger), an
// admin refunds part of it once it settled, and a retry with the same Idempotency-Key moves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
});
afterAll(() => stack?.stop());

async function admin(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${stack.adminUrl}${path}`, {
    method,
    headers: {
      authorization: options.token ?? stack.admin.idToken,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

describe('admin orders on the local stack', () => {
  it('shows a reseller order to an operator, and lets an admin refund part of it once', async () => {
    const placed = await fetch(stack.v2Url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key: stack.reseller.apiKey, action: 'add', service: '1', link: 'https://youtube.com/watch?v=admin-e2e', quantity: '1000' }),
    });
    const orderId = Number(((await placed.json()) as { order: number }).order);
    expect(orderId).toBeGreaterThan(0);

    const operator = stack.operator.idToken;
    const list = await admin('GET', `/orders?user=${encodeURIComponent(stack.reseller.id)}&link=admin-e2e`, { token: operator });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({ id: orderId, userId: stack.reseller.id, service: 1, link: 'https://youtube.com/watch?v=admin-e2e' });
    const byDay = await admin('GET', '/orders?link=admin-e2e', { token: operator });
    expect(byDay.body.items.map((o: { id: number }) => o.id)).toContain(orderId);

    const settled = await eventually(
      async () => {
        const page = await admin('GET', `/orders/${orderId}`, { token: operator });
        return page.body.order?.phase === 'finalized' ? page.body : undefined;
      },
      60_000,
      500,
    );
    expect(settled.providerCalls.map((c: { action: string }) => c.action)).toContain('add');
    expect(JSON.stringify(settled)).not.toContain('key=');
    expect(settled.ledger[0]).toMatchObject({ kind: 'order_charge', reference: `order:${orderId}` });

    const refund = (token: string) =>
      admin('POST', `/orders/${orderId}/refund`, { token, body: { amount: '0.10', reason: 'e2e goodwill' }, headers: { 'idempotency-key': `e2e-${orderId}` } });
    expect((await refund(operator)).status).toBe(403);
    const first = await refund(stack.admin.idToken);
    expect(first.status).toBe(200);
    const again = await refund(stack.admin.idToken);
    expect(again.body.refunded).toBe(first.body.refunded);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const after = await admin('GET', `/orders/${orderId}`);
    expect(after.body.ledger.filter((e: { kind: string; amount: string }) => e.kind === 'order_refund' && e.amount === '0.10')).toHaveLength(1);
    expect(after.body.actions).toMatchObject([{ action: 'refund', actor: expect.any(String) }]);
  });
});
