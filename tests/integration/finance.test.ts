// Finance on DynamoDB Local, from a known data set: deposits, orders placed, settled and refunded through the real
// money paths; the table's own stream handed to recordFinanceTotals as Lambda would (and once more, as a retry);
// the admin routes called through their handler; reconciliation run from its job item's stream record.
import { UpdateCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeLease } from '../../lambdas/adapters/dynamodb/balance-lease.js';
import { keys } from '../../lambdas/adapters/dynamodb/keys.js';
import { handler as recordTotalsHandler } from '../../lambdas/finance/handlers/record-totals-handler.js';
import { handler as reconcileHandler } from '../../lambdas/finance/handlers/reconcile-handler.js';
import { finalizeOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { handler as financeApi } from '../../lambdas/rest/admin/handlers/finance-handler.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import type { LedgerKind } from '../../lambdas/wallets/ports.js';
import { adminEvent } from '../support/admin-event.js';
import { TEST_SERVICE, type TestTable, createTestTable, orderServicesOn } from '../support/dynamo-table.js';
import { tableStream } from '../support/table-stream.js';

const ENV = ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'CURRENCY'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
let table: TestTable;
let stream: Awaited<ReturnType<typeof tableStream>>;
let streamRecords: Awaited<ReturnType<typeof stream.next>>;
const orders: Record<string, Order> = {};

const D1 = '2026-11-02'; // a Monday
const D2 = '2026-11-03';
const D3 = '2026-11-10'; // the next week
const D4 = '2026-12-01'; // the next month
const at = (day: string, time = '10:00:00') => `${day}T${time}.000Z`;

async function credit(walletId: string, amount: string, kind: string, reference: string, when: string) {
  await table.wallets.credit({
    walletId,
    amount: parseMoney(amount),
    kind: kind as LedgerKind,
    reference,
    idempotencyKey: `${walletId}-${reference}`,
    at: when,
  });
}

async function order(name: string, walletId: string, serviceId: number, quantity: number, placed: string) {
  const { services } = orderServicesOn(table);
  const placedOrder = await placeOrder(
    { ...services, clock: { now: () => new Date(placed) } },
    { ownerId: `owner-${walletId}`, walletId, serviceId, link: 'https://youtube.com/watch?v=abc', quantity },
  );
  orders[name] = placedOrder.order;
  return placedOrder.order;
}

async function settle(o: Order, when: string, outcome: { status: 'Completed' | 'Partial'; remains?: number; charge?: string } | 'rejected') {
  if (outcome === 'rejected') await table.orders.recordRejected(o.id, 'Provider refused', when);
  else {
    await table.orders.recordSubmitted(o, `ext-${o.id}`, when);
    await table.orders.recordProgress(
      o.id,
      {
        status: outcome.status,
        ...(outcome.remains !== undefined ? { remains: outcome.remains } : {}),
        ...(outcome.charge ? { charge: outcome.charge, currency: 'USD' } : {}),
      },
      when,
    );
  }
  const { services } = orderServicesOn(table);
  await finalizeOrder({ ...services, clock: { now: () => new Date(when) } }, o.id);
}

async function call(input: Parameters<typeof adminEvent>[0], headers: Record<string, string> = {}): Promise<APIGatewayProxyResult & { json: any }> {
  const event = adminEvent(input);
  Object.assign(event.headers, headers);
  const result = await financeApi(event);
  const isJson = String(result.headers?.['content-type']).startsWith('application/json');
  return { ...result, json: isJson && result.body ? JSON.parse(result.body) : undefined };
}

const summary = (query: Record<string, string>) => call({ method: 'GET', resource: '/admin/v1/finance/summary', query });
const ledger = (query: Record<string, string>, headers: Record<string, string> = {}) => call({ method: 'GET', resource: '/admin/v1/ledger', query }, headers);

beforeAll(async () => {
  table = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, CURRENCY: 'USD' });
  usePlatform({});
  stream = await tableStream(table.endpoint, table.tableName);
  await table.catalog.putService({ ...TEST_SERVICE, costPer1000: parseMoney('0.50') });
  await table.catalog.putService({
    ...TEST_SERVICE,
    id: 2,
    name: 'Likes',
    ratePer1000: parseMoney('2.00'),
    costPer1000: parseMoney('1.20'),
    providerId: 'other',
  });
  for (const [walletId, ownerId] of [
    ['w-a', 'owner-w-a'],
    ['w-b', 'owner-w-b'],
  ] as const) {
    await table.wallets.openWallet({ id: walletId, ownerId, currency: 'USD' }, at(D1, '00:00:00'));
    await table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.user(ownerId), entity: 'user', id: ownerId, walletId } }));
  }
  await credit('w-a', '100.00', 'deposit', 'top-up:a1', at(D1, '09:00:00'));
  await credit('w-b', '50.00', 'deposit', 'top-up:b1', at(D1, '09:30:00'));
  await settle(await order('o1', 'w-a', 1, 1000, at(D1, '10:00:00')), at(D1, '11:00:00'), { status: 'Completed', charge: '0.50' });
  const o2 = await order('o2', 'w-a', 2, 2000, at(D1, '12:00:00'));
  await settle(o2, at(D2, '08:00:00'), { status: 'Partial', remains: 500, charge: '1.85' });
  await settle(await order('o3', 'w-b', 1, 5000, at(D2, '09:00:00')), at(D2, '09:05:00'), 'rejected');
  await credit('w-b', '20.00', 'deposit', 'top-up:b2', at(D3, '10:00:00'));
  await credit('w-a', '-5.00', 'adjustment', 'admin:fix "late", refund', at(D3, '11:00:00'));
  await credit('w-b', '2.00', 'bonus', 'promo:WELCOME', at(D3, '10:00:01'));
  await settle(await order('o4', 'w-b', 2, 1000, at(D4, '10:00:00')), at(D4, '10:30:00'), { status: 'Completed' });
  streamRecords = await stream.next();
  await recordTotalsHandler({ Records: streamRecords });
});

afterAll(() => {
  stream?.close();
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  usePlatform({});
});

describe('the finance summary', () => {
  it('gives each day exactly what happened on it: ledger kinds, settled orders, provider cost, profit', async () => {
    const { statusCode, json } = await summary({ from: D1, to: D4, groupBy: 'day' });
    expect(statusCode).toBe(200);
    expect(json.currency).toBe('USD');
    expect(json.periods).toHaveLength(30);
    const day = (d: string) => json.periods.find((p: { from: string }) => p.from === d);
    expect(day(D1)).toMatchObject({
      charges: '4.90',
      refunds: '0.00',
      netRevenue: '4.90',
      providerCost: '0.50',
      profit: '4.40',
      deposits: '150.00',
      bonuses: '0.00',
      adjustments: '0.00',
      orders: { count: 1, charge: '0.90', refunded: '0.00', providerCost: '0.50' },
      ordersByStatus: { Completed: { count: 1, charge: '0.90', refunded: '0.00', providerCost: '0.50' } },
      ordersByService: { '1': { count: 1 } },
      ordersByProvider: { demo: { count: 1, providerCost: '0.50', reportedCharge: '0.50', reportedCount: 1 } },
    });
    expect(day(D2)).toMatchObject({
      charges: '4.50',
      refunds: '5.50',
      netRevenue: '-1.00',
      providerCost: '1.80',
      profit: '-2.80',
      ordersByStatus: {
        Partial: { count: 1, charge: '4.00', refunded: '1.00', providerCost: '1.80' },
        Canceled: { count: 1, charge: '4.50', refunded: '4.50', providerCost: '0.00' },
      },
      ordersByProvider: { other: { count: 1, providerCost: '1.80', reportedCharge: '1.85' }, demo: { count: 1, providerCost: '0.00' } },
    });
    expect(day(D3)).toMatchObject({
      deposits: '20.00',
      adjustments: '-5.00',
      bonuses: '2.00',
      ledger: { bonus: { amount: '2.00', count: 1 } },
      orders: { count: 0 },
    });
    expect(day(D4)).toMatchObject({ charges: '2.00', providerCost: '1.20', profit: '0.80', ordersByService: { '2': { count: 1, charge: '2.00' } } });
    expect(day('2026-11-20')).toMatchObject({ charges: '0.00', orders: { count: 0 }, ledger: {} });
    expect(json.total).toMatchObject({
      from: D1,
      to: D4,
      charges: '11.40',
      refunds: '5.50',
      netRevenue: '5.90',
      providerCost: '3.50',
      profit: '2.40',
      deposits: '170.00',
      bonuses: '2.00',
      adjustments: '-5.00',
      orders: { count: 4, charge: '11.40', refunded: '5.50', providerCost: '3.50' },
      ledger: { deposit: { amount: '170.00', count: 3 }, order_charge: { amount: '-11.40', count: 4 }, order_refund: { amount: '5.50', count: 2 } },
    });
  });

  it('groups by ISO week (Monday first) and by month, cut to the range', async () => {
    const weeks = (await summary({ from: D1, to: D4, groupBy: 'week' })).json;
    expect(weeks.periods.map((p: { from: string; to: string }) => [p.from, p.to])).toEqual([
      ['2026-11-02', '2026-11-08'],
      ['2026-11-09', '2026-11-15'],
      ['2026-11-16', '2026-11-22'],
      ['2026-11-23', '2026-11-29'],
      ['2026-11-30', '2026-12-01'],
    ]);
    expect(weeks.periods[0]).toMatchObject({ charges: '9.40', refunds: '5.50', providerCost: '2.30', profit: '1.60', deposits: '150.00' });
    expect(weeks.periods[1]).toMatchObject({ deposits: '20.00', bonuses: '2.00', adjustments: '-5.00' });
    expect(weeks.periods[4]).toMatchObject({ charges: '2.00', profit: '0.80' });
    const months = (await summary({ from: '2026-11-03', to: D4, groupBy: 'month' })).json;
    expect(months.periods.map((p: { from: string; to: string }) => [p.from, p.to])).toEqual([
      ['2026-11-03', '2026-11-30'],
      ['2026-12-01', '2026-12-01'],
    ]);
    expect(months.periods[0]).toMatchObject({ charges: '4.50', refunds: '5.50', providerCost: '1.80', deposits: '20.00', orders: { count: 2 } });
    expect(months.total).toMatchObject({ charges: '6.50', providerCost: '3.00' });
  });

  it('changes no total when the stream delivers the same batch again, or part of it', async () => {
    const before = (await summary({ from: D1, to: D4, groupBy: 'day' })).json;
    expect(await recordTotalsHandler({ Records: streamRecords })).toEqual({ batchItemFailures: [] });
    expect(await recordTotalsHandler({ Records: streamRecords.slice(5, 20) })).toEqual({ batchItemFailures: [] });
    expect((await summary({ from: D1, to: D4, groupBy: 'day' })).json).toEqual(before);
  });

  it('refuses a range upside down or longer than a year', async () => {
    expect((await summary({ from: D2, to: D1 })).statusCode).toBe(400);
    expect((await summary({ from: '2025-01-01', to: D4 })).statusCode).toBe(400);
    expect((await summary({ from: 'yesterday', to: D4 })).json.error).toMatchObject({ code: 'invalid_request', field: 'from' });
  });

  it('is for admins only', async () => {
    expect((await call({ method: 'GET', resource: '/admin/v1/finance/summary', query: { from: D1, to: D2 }, role: 'operator' })).statusCode).toBe(403);
  });
});

describe('the ledger', () => {
  it('lists every wallet day by day, oldest first, with money as decimal strings', async () => {
    const { json } = await ledger({ from: D1, to: D4 });
    expect(json.items).toHaveLength(11);
    expect(json.nextCursor).toBeNull();
    expect(json.items[0]).toEqual({
      walletId: 'w-a',
      seq: 1,
      kind: 'deposit',
      amount: '100.00',
      balanceAfter: '100.00',
      reference: 'top-up:a1',
      at: at(D1, '09:00:00'),
    });
    expect(json.items.map((e: { at: string }) => e.at)).toEqual([...json.items.map((e: { at: string }) => e.at)].sort());
  });

  it('filters by kind, reference and user, and pages with a cursor', async () => {
    expect((await ledger({ from: D1, to: D4, kind: 'deposit' })).json.items.map((e: { amount: string }) => e.amount)).toEqual(['100.00', '50.00', '20.00']);
    const byReference = (await ledger({ from: D1, to: D4, reference: `order:${orders.o2!.id}` })).json.items;
    expect(byReference.map((e: { kind: string; amount: string }) => [e.kind, e.amount])).toEqual([
      ['order_charge', '-4.00'],
      ['order_refund', '1.00'],
    ]);
    const mine = (await ledger({ from: D1, to: D4, user: 'owner-w-a' })).json;
    expect(mine.walletId).toBe('w-a');
    expect(mine.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await ledger({ from: D2, to: D4, user: 'owner-w-a' })).json.items.map((e: { seq: number }) => e.seq)).toEqual([4, 5]);
    expect((await ledger({ from: D1, to: D4, user: 'nobody' })).statusCode).toBe(404);
    const seen: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: any = (await ledger({ from: D1, to: D4, limit: '3', ...(cursor ? { cursor } : {}) })).json;
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual((await ledger({ from: D1, to: D4 })).json.items);
    expect((await ledger({ from: D1, to: D4, cursor: 'not-a-cursor' })).statusCode).toBe(400);
  });

  it('exports CSV (RFC 4180), in pages that concatenate, and audits each export', async () => {
    const first = await ledger({ from: D1, to: D4, format: 'csv', limit: '6' });
    expect(first.statusCode).toBe(200);
    expect(first.headers?.['content-type']).toMatch(/^text\/csv/);
    const lines = first.body.split('\r\n');
    expect(lines[0]).toBe('at,walletId,seq,kind,amount,balanceAfter,reference');
    expect(lines[1]).toBe(`${at(D1, '09:00:00')},w-a,1,deposit,100.00,100.00,top-up:a1`);
    expect(lines).toHaveLength(8);
    const cursor = String(first.headers?.['x-next-cursor']);
    expect(first.headers?.link).toContain('format=csv');
    const rest = await ledger({ from: D1, to: D4, cursor }, { accept: 'text/csv' });
    expect(rest.body.startsWith('at,')).toBe(false);
    expect(rest.headers?.['x-next-cursor']).toBeUndefined();
    expect(rest.body).toContain(`${at(D3, '11:00:00')},w-a,5,adjustment,-5.00,91.10,"admin:fix ""late"", refund"\r\n`);
    expect((first.body + rest.body).split('\r\n').filter(Boolean)).toHaveLength(12);
    const audit = await auditEntries('ledger.exported');
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: 'admin-sub-1', actorRole: 'admin', actorEmail: 'admin@codex.local', subject: 'all', source: '203.0.113.9' });
  });
});

async function auditEntries(action: string): Promise<Record<string, unknown>[]> {
  const day = new Date().toISOString().slice(0, 10);
  const { Items } = await table.db.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `AUDIT#${day}` } }),
  );
  return (Items ?? []).filter((i) => i.action === action);
}

async function reconcile(key: string): Promise<any> {
  const started = await call({ method: 'POST', resource: '/admin/v1/finance/reconciliation', body: {} }, { 'idempotency-key': key });
  expect(started.statusCode).toBe(202);
  expect(started.json.status).toBe('running');
  // The job item's INSERT, as the job's event source mapping delivers it (the handler skips every other record).
  await reconcileHandler({ Records: await stream.next() });
  const read = await call({ method: 'GET', resource: '/admin/v1/finance/reconciliation/{id}', pathParameters: { id: started.json.id } });
  expect(read.statusCode).toBe(200);
  return read.json;
}

describe('reconciliation', () => {
  it('finds no difference in clean data, and compares recorded provider cost with what providers charged', async () => {
    const job = await reconcile('clean');
    expect(job).toMatchObject({ status: 'done', requestedBy: 'admin-sub-1' });
    expect(job.result).toMatchObject({
      walletsChecked: 2,
      ledgerEntriesChecked: 11,
      ordersChecked: 4,
      ordersWithProviderCharge: 2,
      walletDifferences: 0,
      wallets: [],
      costDifferences: 1,
      costs: [{ orderId: orders.o2!.id, providerId: 'other', recordedCost: '1.80', providerCharge: '1.85', difference: '0.05' }],
    });
    expect(await auditEntries('finance.reconciliation_started')).toHaveLength(1);
  });

  it('gives the same job for the same Idempotency-Key', async () => {
    const again = await call({ method: 'POST', resource: '/admin/v1/finance/reconciliation', body: {} }, { 'idempotency-key': 'clean' });
    expect(again.statusCode).toBe(202);
    expect(again.json.status).toBe('done');
    expect(await auditEntries('finance.reconciliation_started')).toHaveLength(1);
  });

  it('finds a balance edited by hand', async () => {
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.wallet('w-b'),
        UpdateExpression: 'ADD balance :one',
        ExpressionAttributeValues: { ':one': 1_000_000 },
      }),
    );
    const job = await reconcile('after-edit');
    expect(job.result).toMatchObject({
      walletDifferences: 1,
      wallets: [{ walletId: 'w-b', ownerId: 'owner-w-b', balance: '71.00', ledgerSum: '70.00', difference: '1.00', gap: false }],
    });
  });

  it("counts money a balance lease holds as its wallet's: an open lease is no difference", async () => {
    await takeLease(table.db, table.tableName, { walletId: 'w-a', amount: parseMoney('10.00'), at: new Date().toISOString() });
    const job = await reconcile('with-lease');
    // Only the hand edit above: w-a's ledger sums to its balance and what its lease holds.
    expect(job.result).toMatchObject({ walletDifferences: 1, wallets: [{ walletId: 'w-b', difference: '1.00' }] });
  });

  it('answers 404 for an unknown job and 403 to an operator', async () => {
    expect((await call({ method: 'GET', resource: '/admin/v1/finance/reconciliation/{id}', pathParameters: { id: 'rec_00' } })).statusCode).toBe(404);
    expect((await call({ method: 'POST', resource: '/admin/v1/finance/reconciliation', body: {}, role: 'operator' })).statusCode).toBe(403);
  });
});
