// The cabinet's reads and limits on DynamoDB Local: an owner's orders newest first (filters, cursor while orders
// are being placed), order limits refused with nothing written, idempotent replays, and the ledger in pages.
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../local/dynamodb-local.js';
import { DynamoOrderLimits } from '../../lambdas/adapters/dynamodb/order-limits.js';
import { finalizeOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { listOwnerOrders } from '../../lambdas/orders/application/owner-orders.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import type { OrderSummary, OwnerOrdersQuery } from '../../lambdas/orders/ports.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { micros, parseMoney } from '../../lambdas/shared/money.js';
import { TEST_SERVICE, type TestTable, balanceAndLedger, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';

let table: TestTable;
let env: ReturnType<typeof orderServicesOn>;

beforeAll(async () => {
  table = await createTestTable();
  env = orderServicesOn(table);
  await table.catalog.putService(TEST_SERVICE);
  await table.catalog.putService({ ...TEST_SERVICE, id: 2, name: 'Likes', ratePer1000: parseMoney('2.00') });
});

const at = (iso: string) => ({ now: () => new Date(iso) });

function place(owner: string, opts: { link?: string; service?: number; quantity?: number; requestId?: string; now?: string; limits?: DynamoOrderLimits } = {}) {
  return placeOrder(
    { ...env.services, ...(opts.now ? { clock: at(opts.now) } : {}), ...(opts.limits ? { limits: opts.limits } : {}) },
    {
      ownerId: owner,
      walletId: `w-${owner}`,
      serviceId: opts.service ?? 1,
      link: opts.link ?? 'https://youtube.com/watch?v=abc',
      quantity: opts.quantity ?? 100,
      ...(opts.requestId ? { requestId: opts.requestId } : {}),
    },
  );
}

const list = (query: Omit<OwnerOrdersQuery, 'limit'> & { limit?: number }) => listOwnerOrders({ orders: table.orders }, { limit: 20, ...query });

async function everyPage(query: Omit<OwnerOrdersQuery, 'limit' | 'cursor'>, limit: number, between?: () => Promise<void>): Promise<OrderSummary[]> {
  const seen: OrderSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ ...query, limit, ...(cursor ? { cursor } : {}) });
    seen.push(...page.orders);
    cursor = page.cursor;
    await between?.();
  } while (cursor);
  return seen;
}

describe("an owner's order list", () => {
  it('shows only the owner’s orders, newest first, filtered by status, service, time and search', async () => {
    await fundedWallet(table, 'w-lister', '100.00');
    await fundedWallet(table, 'w-other', '100.00');
    const a = (await place('lister', { now: '2026-11-01T10:00:00.000Z', link: 'https://youtube.com/watch?v=first' })).order;
    const b = (await place('lister', { now: '2026-11-02T10:00:00.000Z', link: 'https://instagram.com/p/second', service: 2 })).order;
    const c = (await place('lister', { now: '2026-11-03T10:00:00.000Z', link: 'https://youtube.com/watch?v=third' })).order;
    await place('other', { now: '2026-11-02T11:00:00.000Z', link: 'https://youtube.com/watch?v=third' });
    await table.orders.recordSubmitted(c, 'ext-c', '2026-11-03T10:30:00.000Z');
    await table.orders.recordProgress(c.id, { status: 'In progress' }, '2026-11-03T11:00:00.000Z');

    const ids = async (query: Omit<OwnerOrdersQuery, 'limit' | 'ownerId'>) => (await list({ ownerId: 'lister', ...query })).orders.map((o) => o.id);
    expect(await ids({})).toEqual([c.id, b.id, a.id]);
    expect(await ids({ status: 'Pending' })).toEqual([b.id, a.id]);
    expect(await ids({ serviceId: 2 })).toEqual([b.id]);
    expect(await ids({ from: '2026-11-02T00:00:00.000Z' })).toEqual([c.id, b.id]);
    expect(await ids({ to: '2026-11-02T10:00:00.000Z' })).toEqual([b.id, a.id]);
    expect(await ids({ from: '2026-11-02T00:00:00.000Z', to: '2026-11-02T23:59:59.999Z' })).toEqual([b.id]);
    expect(await ids({ from: '2026-11-05T00:00:00.000Z', to: '2026-11-04T00:00:00.000Z' })).toEqual([]);
    expect(await ids({ q: 'instagram' })).toEqual([b.id]);
    expect(await ids({ q: String(a.id) })).toEqual([a.id]);
    expect(await ids({ q: 'watch', status: 'Pending' })).toEqual([a.id]);
    const [first] = (await list({ ownerId: 'lister' })).orders;
    expect(first).toMatchObject({
      id: c.id,
      serviceId: 1,
      link: 'https://youtube.com/watch?v=third',
      quantity: 100,
      charge: micros(90_000),
      status: 'In progress',
    });
  });

  it('pages skip and repeat nothing while new orders are being placed', async () => {
    await fundedWallet(table, 'w-pager', '1000.00');
    const before: number[] = [];
    for (let i = 0; i < 23; i++) before.push((await place('pager', { link: `https://youtube.com/watch?v=p${i}` })).order.id);
    let added = 0;
    const seen = await everyPage({ ownerId: 'pager' }, 5, async () => {
      // Two more orders between every two pages, some of them concurrently with each other.
      await Promise.all([
        place('pager', { link: `https://youtube.com/watch?v=new${added++}` }),
        place('pager', { link: `https://youtube.com/watch?v=new${added++}` }),
      ]);
    });
    const seenIds = seen.map((o) => o.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    expect(seenIds).toEqual([...before].reverse());
    expect(added).toBeGreaterThan(0);
  });

  it('keeps reading under a filter until the page is full, and the cursor continues after the last order shown', async () => {
    await fundedWallet(table, 'w-sparse', '1000.00');
    const wanted: number[] = [];
    for (let i = 0; i < 30; i++) {
      const { order } = await place('sparse', { link: `https://youtube.com/watch?v=${i % 3 === 0 ? 'needle' : 'hay'}${i}`, service: i % 3 === 0 ? 2 : 1 });
      if (i % 3 === 0) wanted.push(order.id);
    }
    const firstPage = await list({ ownerId: 'sparse', serviceId: 2, limit: 4 });
    expect(firstPage.orders.map((o) => o.id)).toEqual([...wanted].reverse().slice(0, 4));
    const all = await everyPage({ ownerId: 'sparse', serviceId: 2 }, 4);
    expect(all.map((o) => o.id)).toEqual([...wanted].reverse());
  });

  it('refuses a cursor it did not give', async () => {
    await expect(list({ ownerId: 'lister', cursor: 'bm90LWEtY3Vyc29y' })).rejects.toThrow('The cursor is not one this list gave');
  });
});

describe('order limits', () => {
  it('refuses an order past the most active orders, writing nothing, and takes orders again once one settles', async () => {
    await fundedWallet(table, 'w-busy', '100.00');
    const limits = new DynamoOrderLimits(table.db, table.tableName, { maxActiveOrders: 2, currency: 'USD' });
    const first = (await place('busy', { limits, link: 'https://youtube.com/watch?v=b1' })).order;
    await place('busy', { limits, link: 'https://youtube.com/watch?v=b2' });
    const before = await table.allItems();
    const refused = await place('busy', { limits, link: 'https://youtube.com/watch?v=b3' }).catch((e: unknown) => e);
    expect(isDomainError(refused, 'active_orders_limit')).toBe(true);
    expect((refused as Error).message).toBe('You have 2 active orders, the most allowed at once; place more when some have completed');
    expect(await table.allItems()).toEqual(before);

    await table.orders.recordSubmitted(first, 'ext-1', new Date().toISOString());
    await table.orders.recordProgress(first.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
    await finalizeOrder(env.services, first.id);
    await finalizeOrder(env.services, first.id); // a rerun frees nothing more
    await place('busy', { limits, link: 'https://youtube.com/watch?v=b4' });
    await expect(place('busy', { limits, link: 'https://youtube.com/watch?v=b5' })).rejects.toThrow('2 active orders');
  });

  it('refuses an order past the daily spending limit, writing nothing, and counts each UTC day apart', async () => {
    await fundedWallet(table, 'w-spender', '100.00');
    const limits = new DynamoOrderLimits(table.db, table.tableName, { maxDailySpend: parseMoney('2.00'), currency: 'USD' });
    // 0.90 + 0.90 = 1.80 fits; another 0.90 does not.
    await place('spender', { limits, quantity: 1000, now: '2026-11-10T08:00:00.000Z', link: 'https://youtube.com/watch?v=s1' });
    await place('spender', { limits, quantity: 1000, now: '2026-11-10T09:00:00.000Z', link: 'https://youtube.com/watch?v=s2' });
    const before = await table.allItems();
    const refused = await place('spender', { limits, quantity: 1000, now: '2026-11-10T23:00:00.000Z', link: 'https://youtube.com/watch?v=s3' }).catch(
      (e: unknown) => e,
    );
    expect(isDomainError(refused, 'daily_spend_limit')).toBe(true);
    expect((refused as Error).message).toBe(
      "This order would take today's spending (UTC) past the daily limit of 2.00 USD (what orders charged today; refunds do not give it back)",
    );
    expect(await table.allItems()).toEqual(before);
    // A smaller one still fits, and the next day starts from zero.
    await place('spender', { limits, quantity: 200, now: '2026-11-10T23:30:00.000Z', link: 'https://youtube.com/watch?v=s4' });
    await place('spender', { limits, quantity: 2000, now: '2026-11-11T00:00:01.000Z', link: 'https://youtube.com/watch?v=s5' });
  });

  it('gives back what it counted when the order is refused for want of funds (the active count was never taken)', async () => {
    await fundedWallet(table, 'w-broke', '0.50');
    const limits = new DynamoOrderLimits(table.db, table.tableName, { maxDailySpend: parseMoney('5.00'), maxActiveOrders: 5, currency: 'USD' });
    await expect(place('broke', { limits, quantity: 1000, now: '2026-11-12T08:00:00.000Z' })).rejects.toThrow('Not enough funds');
    const counters = (await table.allItems()).filter((item) => String(item.pk) === 'LIMIT#broke');
    expect(counters.map((c) => [c.sk, c.count])).toEqual([['SPEND#2026-11-12', 0]]);
  });

  it('a replayed request id places nothing, writes nothing and leaves the limits where they were', async () => {
    await fundedWallet(table, 'w-replay', '10.00');
    const limits = new DynamoOrderLimits(table.db, table.tableName, { maxDailySpend: parseMoney('5.00'), maxActiveOrders: 5, currency: 'USD' });
    const first = await place('replay', { limits, requestId: 'req-1', quantity: 1000 });
    const before = await table.allItems();
    const again = await place('replay', { limits, requestId: 'req-1', quantity: 1000 });
    expect(again).toMatchObject({ replayed: true, order: { id: first.order.id } });
    expect(await table.allItems()).toEqual(before);
  });
});

describe("a wallet's ledger in pages", () => {
  it('pages newest first, sums to the balance, and filters by kind', async () => {
    await fundedWallet(table, 'w-ledger', '50.00');
    for (let i = 0; i < 7; i++) await place('ledger', { link: `https://youtube.com/watch?v=l${i}` });
    const seqs: number[] = [];
    let sum = 0;
    let cursor: string | undefined;
    do {
      const page = await table.wallets.listLedgerPage('w-ledger', { limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.entries.length).toBeLessThanOrEqual(3);
      for (const entry of page.entries) {
        seqs.push(entry.seq);
        sum += entry.amount;
      }
      cursor = page.cursor;
    } while (cursor);
    expect(seqs).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    const { balance } = await balanceAndLedger(table, 'w-ledger');
    expect(sum).toBe(balance);
    const deposits = await table.wallets.listLedgerPage('w-ledger', { limit: 3, kind: 'deposit' });
    expect(deposits.entries.map((e) => [e.seq, e.kind])).toEqual([[1, 'deposit']]);
    expect(deposits.cursor).toBeUndefined();
  });
});

describe('a local table kept from before the owner-orders and admin-lists indexes and the old-image stream', () => {
  it('gets every index and a stream with old and new images when the stack starts on it', async () => {
    const endpoint = inject('dynamoEndpoint');
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const tableName = `old-${Date.now()}`;
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    );
    await ensureTable(endpoint, tableName);
    await ensureTable(endpoint, tableName);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual(['admin-lists', 'open-orders', 'owner-orders']);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    client.destroy();
  });
});
