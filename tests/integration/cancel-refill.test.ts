// Cancels, refills and one-open-order-per-link on DynamoDB Local, with a scripted provider.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { cancelOrders } from '../../lambdas/orders/application/cancel-orders.js';
import { finalizeOrder, giveUpSubmission, submitOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { ProviderOutcomeUnknown, ProviderRejected } from '../../lambdas/catalog/domain/provider-errors.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { refillOrders, refillStatuses } from '../../lambdas/orders/application/refill-orders.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { orderStatusAnswer } from '../../lambdas/reseller/v2-answers.js';
import { ScriptedProvider } from '../support/scripted-provider.js';
import { TEST_SERVICE, type TestTable, balanceAndLedger, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';
import { testProvider } from '../support/test-provider.js';

let table: TestTable;
let upstream: ScriptedProvider;
let env: ReturnType<typeof orderServicesOn>;
const OWNER = 'owner-w';

beforeAll(async () => {
  table = await createTestTable();
  upstream = new ScriptedProvider();
  env = orderServicesOn(table, { forProvider: async () => upstream });
  await table.catalog.putProvider(testProvider());
  await table.catalog.putService({ ...TEST_SERVICE, refill: true, refillDays: 30 });
  await table.catalog.putService({ ...TEST_SERVICE, id: 2, cancel: false, refill: false });
  await table.catalog.putService({ ...TEST_SERVICE, id: 3, exclusiveLink: true });
  await fundedWallet(table, 'w', '1000.00');
});

const place = (serviceId = 1, link = 'https://youtube.com/watch?v=abc') =>
  placeOrder(env.services, { ownerId: OWNER, walletId: 'w', serviceId, link, quantity: 1000 }).then((placed) => placed.order);

async function completed(serviceId = 1) {
  const order = await place(serviceId);
  await submitOrder(env.services, order.id);
  await table.orders.recordProgress(order.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
  await finalizeOrder(env.services, order.id);
  return (await table.orders.getOrder(order.id))!;
}

describe('cancelling orders', () => {
  it('refunds in full an order cancelled before it reached the provider, and never submits it', async () => {
    const before = (await balanceAndLedger(table, 'w')).balance;
    const order = await place();
    expect(await cancelOrders(env.services, OWNER, [String(order.id)])).toEqual([{ orderId: String(order.id), outcome: 'requested' }]);
    const placedBefore = upstream.placed.length;
    expect(await submitOrder(env.services, order.id)).toBe('rejected');
    expect(upstream.placed.length).toBe(placedBefore);
    await finalizeOrder(env.services, order.id);
    expect(await table.orders.getOrder(order.id)).toMatchObject({ status: 'Canceled', refunded: order.charge });
    expect((await balanceAndLedger(table, 'w')).balance).toBe(before);
  });

  it('asks the provider to cancel submitted orders in one call, and answers per order', async () => {
    const a = await place();
    const b = await place();
    await submitOrder(env.services, a.id);
    await submitOrder(env.services, b.id);
    const extA = (await table.orders.getOrder(a.id))!.externalOrderId!;
    upstream.cancelAnswers.set(extA, true);
    const calls = upstream.cancelCalls.length;
    const results = await cancelOrders(env.services, OWNER, [String(a.id), String(b.id), '999999', 'abc']);
    expect(upstream.cancelCalls.length).toBe(calls + 1);
    expect(results.map((r) => r.outcome)).toEqual(['requested', 'refused', 'refused', 'refused']);
    expect(results[2]).toMatchObject({ refusal: 'unknown_order' });
    expect((await table.orders.getOrder(a.id))!.cancelRequested).toBe(true);
    // Nothing is refunded until the provider reports the order as canceled.
    expect((await table.orders.getOrder(a.id))!.refunded).toBe(0);
  });

  it("refuses to cancel where the service does not allow it, or another customer's order", async () => {
    const order = await place(2);
    expect(await cancelOrders(env.services, OWNER, [String(order.id)])).toEqual([
      { orderId: String(order.id), outcome: 'refused', refusal: 'cancel_not_available' },
    ]);
    const mine = await place();
    expect((await cancelOrders(env.services, 'someone-else', [String(mine.id)]))[0]).toMatchObject({ outcome: 'refused', refusal: 'unknown_order' });
  });
});

describe('cancelling while the order reaches the provider', () => {
  it('asks the provider when the order was submitted after the cancel read it', async () => {
    const order = await place();
    const stale = (await table.orders.getOrder(order.id))!;
    await submitOrder(env.services, order.id);
    const ext = (await table.orders.getOrder(order.id))!.externalOrderId!;
    upstream.cancelAnswers.set(ext, true);
    const staleReads = { ...env.services, orders: Object.assign(Object.create(env.services.orders), { getOrders: async () => new Map([[order.id, stale]]) }) };
    expect(await cancelOrders(staleReads, OWNER, [String(order.id)])).toEqual([{ orderId: String(order.id), outcome: 'requested' }]);
    expect(upstream.cancelCalls.at(-1)).toEqual([ext]);
  });
});

describe('cancelling while a call to the provider may be under way', () => {
  it('refuses the cancel, and never refunds an order the provider may hold', async () => {
    const order = await place();
    upstream.placeScript.push(new ProviderOutcomeUnknown('timeout'));
    await submitOrder(env.services, order.id).catch(() => undefined);
    expect((await cancelOrders(env.services, OWNER, [String(order.id)]))[0]).toMatchObject({ outcome: 'refused', refusal: 'order_being_submitted' });
    // Resent with the same request_id, it goes through; nothing was refunded on the way.
    upstream.placeScript.push('p-maybe');
    expect(await submitOrder(env.services, order.id)).toBe('submitted');
    expect(await table.orders.getOrder(order.id)).toMatchObject({ externalOrderId: 'p-maybe', refunded: 0 });
  });

  it('after a crash in the middle of a submission, neither a cancel nor giving up refunds', async () => {
    const order = await place();
    await table.orders.markSubmitInFlight(order.id, new Date().toISOString());
    expect((await cancelOrders(env.services, OWNER, [String(order.id)]))[0]).toMatchObject({ outcome: 'refused' });
    expect(await giveUpSubmission(env.services, order.id, 'ProviderUnavailable')).toBe('retry_later');
    expect((await table.orders.getOrder(order.id))!.rejectedReason).toBeUndefined();
  });
});

describe('refills', () => {
  it("keeps the claim when the provider's answer to a refill is unclear, so it is not refilled twice", async () => {
    const order = await completed();
    upstream.refillScript.push(new ProviderOutcomeUnknown('timeout'));
    expect((await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]))[0]).toMatchObject({ refusal: 'provider_unconfirmed' });
    expect((await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]))[0]).toMatchObject({ refusal: 'refill_already_requested' });
  });

  it('gives the claim back when the provider refuses the refill', async () => {
    const order = await completed();
    upstream.refillScript.push(new ProviderRejected('Refill not possible yet'));
    expect((await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]))[0]).toMatchObject({
      refusal: 'provider_refused',
      providerMessage: 'Refill not possible yet',
    });
    expect((await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]))[0]).toMatchObject({ refillId: expect.any(Number) });
  });

  it('asks the provider for a refill of a completed order and gives back a numeric refill id', async () => {
    const order = await completed();
    const [result] = await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]);
    expect(result).toMatchObject({ orderId: String(order.id), refillId: expect.any(Number) });
    expect(upstream.refillCalls).toContain(order.externalOrderId);
  });

  it('shows a final status only once the order is settled, so a panel that acts on it at once can refill', async () => {
    const order = await place();
    await submitOrder(env.services, order.id);
    const shown = async () => orderStatusAnswer((await table.orders.getOrderStatuses([order.id])).get(order.id)!, 'USD');
    // The poller has written Partial, with 400 of 1,000 undelivered; the workflow has not settled the refund yet.
    await table.orders.recordProgress(order.id, { status: 'Partial', remains: 400 }, new Date().toISOString());
    expect(await shown()).toMatchObject({ status: 'In progress', charge: '0.90000', remains: '400' });
    expect((await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]))[0]).toMatchObject({ refusal: 'order_not_completed' });
    await finalizeOrder(env.services, order.id);
    expect(await shown()).toMatchObject({ status: 'Partial', charge: '0.54000', remains: '400' });
    expect((await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]))[0]).toMatchObject({ refillId: expect.any(Number) });
  });

  it('refuses a second refill of the same order within a day, and refills outside the rules', async () => {
    const order = await completed();
    await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]);
    const [again] = await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]);
    expect(again).toEqual({ orderId: String(order.id), refusal: 'refill_already_requested' });
    const open = await place();
    expect((await refillOrders(env.services, table.allocator(), OWNER, [String(open.id)]))[0]).toMatchObject({ refusal: 'order_not_completed' });
    const noRefill = await completed(2);
    expect((await refillOrders(env.services, table.allocator(), OWNER, [String(noRefill.id)]))[0]).toMatchObject({ refusal: 'refill_not_available' });
  });

  it('asks the provider once when the same order is refilled twice in one request or at once', async () => {
    const order = await completed();
    const calls = upstream.refillCalls.length;
    const [inOne, concurrent] = await Promise.all([
      refillOrders(env.services, table.allocator(), OWNER, [String(order.id), String(order.id)]),
      refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]),
    ]);
    expect(upstream.refillCalls.length - calls).toBe(1);
    expect([...inOne, ...concurrent].filter((r) => 'refillId' in r)).toHaveLength(1);
  });

  it('reports refill status, asking the provider again only for refills not yet final', async () => {
    const order = await completed();
    const [result] = await refillOrders(env.services, table.allocator(), OWNER, [String(order.id)]);
    const refillId = String((result as { refillId: number }).refillId);
    expect(await refillStatuses(env.services, OWNER, [refillId, '424242'])).toEqual([
      { refillId, status: 'Pending' },
      { refillId: '424242', refusal: 'unknown_refill' },
    ]);
    upstream.refillStatuses.set(`r-${order.externalOrderId}`, 'Completed');
    const later = { ...env.services, clock: { now: () => new Date(Date.now() + 120_000) } };
    expect(await refillStatuses(later, OWNER, [refillId])).toEqual([{ refillId, status: 'Completed' }]);
    expect(await refillStatuses(env.services, 'someone-else', [refillId])).toEqual([{ refillId, refusal: 'unknown_refill' }]);
  });
});

describe('one open order per link', () => {
  it('refuses a second open order for the same link with the usual message and charges nothing', async () => {
    const first = await place(3, 'https://youtube.com/watch?v=exclusive');
    const before = (await balanceAndLedger(table, 'w')).balance;
    const second = await place(3, 'https://youtube.com/watch?v=exclusive').catch((error: unknown) => error);
    expect(isDomainError(second, 'link_busy')).toBe(true);
    expect((second as Error).message).toBe('You have active order with this link. Please wait until order being completed.');
    expect((await balanceAndLedger(table, 'w')).balance).toBe(before);

    await submitOrder(env.services, first.id);
    await table.orders.recordProgress(first.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
    await finalizeOrder(env.services, first.id);
    const third = await place(3, 'https://youtube.com/watch?v=exclusive');
    expect(third.charge).toBe(parseMoney('0.90'));
  });

  it('releases the link on a rerun of Finalize even if the first run stopped before releasing it', async () => {
    const link = 'https://youtube.com/watch?v=exclusive-rerun';
    const first = await place(3, link);
    await submitOrder(env.services, first.id);
    await table.orders.recordProgress(first.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
    await finalizeOrder(env.services, first.id);
    // As if that run stopped between settling and releasing: the lock is back.
    const lockKey = (await table.orders.getOrder(first.id))!.exclusiveLinkKey!;
    await table.db.send(
      new PutCommand({ TableName: table.tableName, Item: { pk: `LINK#${lockKey}`, sk: 'LINK', entity: 'exclusive-link', orderId: first.id } }),
    );
    expect(isDomainError(await place(3, link).catch((e: unknown) => e), 'link_busy')).toBe(true);
    await finalizeOrder(env.services, first.id);
    expect((await place(3, link)).charge).toBe(parseMoney('0.90'));
  });
});
