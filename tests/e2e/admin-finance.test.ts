// Finance over HTTP on the local stack, with the demo admin's token: an order placed through /api/v2 reaches the
// day's totals through the table stream (charge, settlement, provider cost), the ledger lists and exports it, and a
// reconciliation started over the API finds no difference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 300 });
});
afterAll(() => stack?.stop());

async function admin(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${stack.adminUrl}${path}`, { method, headers: { authorization: stack.admin.idToken, ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: stack.reseller.apiKey, ...fields }) })).json() as Promise<Record<string, any>>;

const summaryToday = async () => (await admin('GET', `/finance/summary?from=${today}&to=${today}`)).body.total;

describe('finance on the local stack', () => {
  it('counts an order placed through /api/v2 in the day’s totals, lists it in the ledger and reconciles to zero differences', async () => {
    const before = await summaryToday();
    const placed = await v2({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=finance', quantity: '1000' });
    const orderId = Number(placed.order);
    expect(orderId).toBeGreaterThan(0);
    const after = await eventually(
      async () => {
        const total = await summaryToday();
        return total.orders.count === before.orders.count + 1 ? total : undefined;
      },
      60_000,
      300,
    );
    const status = await v2({ action: 'status', order: String(orderId) });
    expect(status.status).toBe('Completed');
    const cents = (money: string) => Math.round(Number(money) * 100);
    expect(cents(after.charges) - cents(before.charges)).toBe(cents(status.charge));
    expect(Number(after.providerCost)).toBeGreaterThan(Number(before.providerCost));
    expect(after.ordersByStatus.Completed.count).toBe((before.ordersByStatus.Completed?.count ?? 0) + 1);

    const ledger = await admin('GET', `/ledger?from=${today}&to=${today}&reference=order:${orderId}`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.items).toEqual([expect.objectContaining({ kind: 'order_charge', walletId: stack.reseller.walletId, reference: `order:${orderId}` })]);
    const csv = await admin('GET', `/ledger?from=${today}&to=${today}&user=${stack.reseller.id}`, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.body).toContain(`,order_charge,-${status.charge.replace(/0+$/, '').replace(/\.$/, '')}`);

    const started = await admin('POST', '/finance/reconciliation', { 'idempotency-key': `e2e-${Date.now()}` });
    expect(started.status).toBe(202);
    const job = await eventually(
      async () => {
        const read = await admin('GET', `/finance/reconciliation/${started.body.id}`);
        return read.body.status === 'running' ? undefined : read.body;
      },
      60_000,
      300,
    );
    expect(job).toMatchObject({ status: 'done', result: { walletDifferences: 0, wallets: [] } });
    expect(job.result.walletsChecked).toBeGreaterThanOrEqual(2);
  });

  it('refuses the operator', async () => {
    const response = await fetch(`${stack.adminUrl}/finance/summary?from=${today}&to=${today}`, { headers: { authorization: stack.operator.idToken } });
    expect(response.status).toBe(403);
  });
});
