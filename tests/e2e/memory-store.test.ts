// The local stack on the in-memory DynamoDB engine (store 'memory', no Java): an order placed through /api/v2 is
// charged exactly and completes, its events leave through the engine's stream; with manualStreams nothing moves
// until the stream is pumped.
import { afterEach, describe, expect, it } from 'vitest';
import { type CatalogueEvent, parseEvent } from '../../lambdas/events/catalogue.js';
import { formatMoney, micros, parseMoney } from '../../lambdas/shared/money.js';
import { closeLease, takeLease } from '../../lambdas/adapters/dynamodb/balance-lease.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { spendFromLease } from '../../lambdas/adapters/dynamodb/lease-placement.js';
import { newOrder } from '../../lambdas/orders/domain/orders.js';
import { LOCAL_TABLE_NAME, type LocalStack, startLocalStack } from '../../local/stack.js';
import { TEST_SERVICE } from '../support/dynamo-table.js';

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const v2 = async (s: LocalStack, fields: Record<string, string>) =>
  (await fetch(s.v2Url, { method: 'POST', body: new URLSearchParams({ key: s.reseller.apiKey, ...fields }) })).json() as Promise<Record<string, any>>;

const orderEvents = (s: LocalStack, orderId: number) =>
  s.events.events
    .filter((e): e is CatalogueEvent => 'version' in e)
    .map((e) => parseEvent(e))
    .filter((e) => e.type.startsWith('order.') && (e.data as { orderId: number }).orderId === orderId);

describe('the local stack on the in-memory engine', () => {
  it('takes a v2 order to Completed, charging exactly, with its events from the stream, and no DynamoDB Local', async () => {
    const s = (stack = await startLocalStack({ port: 0, store: 'memory', providerSpeed: 20, pollEveryMs: 300 }));
    expect(s.memoryStore).toBeDefined();
    expect(s.dynamoEndpoint).toBe('');
    const before = parseMoney((await v2(s, { action: 'balance' })).balance);
    const placed = await v2(s, { action: 'add', service: '1', link: 'https://youtube.com/watch?v=memory', quantity: '2000' });
    const orderId = Number(placed.order);
    expect(orderId).toBeGreaterThan(0);
    expect(parseMoney((await v2(s, { action: 'balance' })).balance)).toBe(micros(before - parseMoney('1.80')));
    const done = await until(async () => {
      const status = await v2(s, { action: 'status', order: String(orderId) });
      return status.status === 'Completed' ? status : undefined;
    });
    expect(done).toMatchObject({ charge: '1.80000', remains: '0', currency: 'USD' });
    await until(() => orderEvents(s, orderId).find((e) => e.type === 'order.completed'));
    expect(orderEvents(s, orderId).filter((e) => e.type === 'order.created')).toHaveLength(1);

    // The wallet's balance is the sum of its ledger, read straight from the engine.
    const items = s.memoryStore!.items('codex');
    const wallet = items.find((i) => i.entity === 'wallet' && i.id === s.reseller.walletId) as { balance: number };
    const ledger = items.filter((i) => i.entity === 'ledger' && i.walletId === s.reseller.walletId) as { amount: number }[];
    expect(formatMoney(micros(ledger.reduce((sum, e) => sum + e.amount, 0)))).toBe(formatMoney(micros(wallet.balance)));
  });

  it('with manualStreams, starts an order only when the stream is pumped', async () => {
    const s = (stack = await startLocalStack({ port: 0, store: 'memory', manualStreams: true, providerSpeed: 20, pollEveryMs: 300 }));
    const placed = await v2(s, { action: 'add', service: '1', link: 'https://youtube.com/watch?v=manual', quantity: '100' });
    const orderId = Number(placed.order);
    await new Promise((r) => setTimeout(r, 300));
    expect(orderEvents(s, orderId)).toEqual([]);
    expect(await s.pumpStreams()).toBeGreaterThan(0);
    expect(orderEvents(s, orderId).map((e) => e.type)).toContain('order.created');
    // Nothing is left once a pump has ended.
    expect(s.memoryStore!.pendingStreamRecords()).toBe(0);
  });

  it('settles a balance lease from the stream as soon as its holder closes it, as the mapping on AWS does', async () => {
    const s = (stack = await startLocalStack({ port: 0, store: 'memory', manualStreams: true, providerSpeed: 20, pollEveryMs: 300 }));
    const db = createDocumentClient({ region: 'us-east-1', requestHandler: s.memoryStore!.requestHandler });
    const walletId = s.reseller.walletId;
    const lease = await takeLease(db, LOCAL_TABLE_NAME, { walletId, amount: parseMoney('1.80'), at: new Date().toISOString() });
    const order = newOrder(
      TEST_SERVICE,
      { ownerId: 'reseller', walletId, link: 'https://youtube.com/watch?v=leased', quantity: 1000 },
      990_001,
      new Date().toISOString(),
    );
    expect(await spendFromLease(db, LOCAL_TABLE_NAME, lease, order)).toBe('placed');
    await s.pumpStreams();
    const charges = () => s.memoryStore!.items('codex').filter((i) => i.entity === 'ledger' && i.reference === `order:${order.id}`);
    // Open, the lease keeps its charge; closed, the stream's reader numbers it into the ledger.
    expect(charges()).toEqual([]);
    await closeLease(db, LOCAL_TABLE_NAME, { walletId, leaseId: lease.id, at: new Date().toISOString() });
    await s.pumpStreams();
    expect(charges()).toHaveLength(1);
    expect(s.memoryStore!.items('codex').find((i) => i.entity === 'lease' && i.leaseId === lease.id)).toMatchObject({ settledAt: expect.any(String) });
    db.destroy();
  });
});
