// A provider pushes an order's status over HTTP to the local stack: the signed callback settles the order and refunds
// once, as the poller would; a forged, replayed or garbled one changes nothing. Signed by the standardwebhooks package.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWebhookSecret } from '../../lambdas/notifications/domain/webhooks.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { LOCAL_DEMO_PROVIDER_CALLBACK_SECRET, type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
});

afterAll(async () => {
  await stack?.stop();
});

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: stack.reseller.apiKey, ...fields }) })).json() as Promise<Record<string, any>>;

function signed(body: string, secret = LOCAL_DEMO_PROVIDER_CALLBACK_SECRET, id = `msg_${Math.random().toString(36).slice(2)}`): Record<string, string> {
  const at = new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

const push = async (body: string, headers: Record<string, string>, provider = 'demo') => {
  const response = await fetch(`${stack.v1Url}/providers/${provider}/callback`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
};

async function ledger() {
  const entries = await stack.deps.wallets.listLedger(stack.reseller.walletId);
  const wallet = await stack.deps.wallets.getWallet(stack.reseller.walletId);
  return { balance: wallet!.balance, sum: entries.reduce((s, e) => s + e.amount, 0), entries };
}

describe('a provider pushing status callbacks', () => {
  it('settles a Partial order through a signed callback, refunding once however often it is sent', async () => {
    // A slow order: the demo provider would take minutes, so only the callback can end it now.
    const placed = await v2({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=push&codex-test=slow', quantity: '1000' });
    const orderId = Number(placed.order);
    const external = await eventually(async () => (await stack.deps.orders.getOrder(orderId))?.externalOrderId, 30_000, 200);

    const partial = JSON.stringify({ order: external, status: 'Partial', remains: '300', start_count: '5', charge: '0.63' });
    const before = await stack.deps.orders.getOrder(orderId);
    const forged = await push(partial, signed(partial, generateWebhookSecret()));
    expect(forged).toEqual({ status: 401, body: { error: { code: 'invalid_signature', message: expect.any(String) } } });
    const tampered = await push(partial.replace('"300"', '"0"'), signed(partial));
    expect(tampered.status).toBe(401);
    expect((await stack.deps.orders.getOrder(orderId))?.status).toBe(before?.status);

    const headers = signed(partial);
    expect(await push(partial, headers)).toEqual({ status: 200, body: { orders: { [external]: 'updated' } } });
    await eventually(async () => ((await v2({ action: 'status', order: String(orderId) })).status === 'Partial' ? true : undefined), 30_000, 200);
    const refunded = await eventually(async () => {
      const order = await stack.deps.orders.getOrder(orderId);
      return order?.phase === 'finalized' ? order : undefined;
    });
    expect(refunded).toMatchObject({ status: 'Partial', remains: 300, startCount: 5, refunded: parseMoney('0.27') });

    // The same delivery again (a provider retrying), then the same news under a new id: nothing more moves.
    expect(await push(partial, headers)).toEqual({ status: 200, body: { orders: { [external]: 'unchanged' } } });
    expect(await push(partial, signed(partial))).toEqual({ status: 200, body: { orders: { [external]: 'unchanged' } } });
    const { balance, sum, entries } = await ledger();
    expect(balance).toBe(sum);
    expect(entries.filter((e) => e.kind === 'order_refund' && e.reference === `order:${orderId}`)).toHaveLength(1);
    expect(await v2({ action: 'status', order: String(orderId) })).toMatchObject({ status: 'Partial', remains: '300', start_count: '5' });
  });

  it('answers 404 for a provider that does not push and for an order that is not ours, 400 for a garbled body', async () => {
    const body = JSON.stringify({ order: '999999', status: 'Completed' });
    expect(await push(body, signed(body), 'nope')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await push(body, signed(body))).toMatchObject({ status: 404, body: { error: { code: 'unknown_order' } } });
    // Unsigned, an unknown order is refused like any other: nothing tells a forger which orders exist.
    expect(await push(body, { 'content-type': 'application/json' })).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature' } } });
    const garbled = JSON.stringify({ status: 'Completed' });
    expect(await push(garbled, signed(garbled))).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
    const unknownStatus = JSON.stringify({ order: '1', status: 'Teleported' });
    expect(await push(unknownStatus, signed(unknownStatus))).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', field: 'status' } } });
  });
});
