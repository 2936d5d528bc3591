// Reading many orders at once (a multi-id `status`, `cancel` or `refill`), on DynamoDB Local.
import { beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { planOrderReads } from '../../lambdas/adapters/dynamodb/order-reads.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { orderStatusAnswer } from '../../lambdas/reseller/v2-answers.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';

let table: TestTable;
const placed: Order[] = [];

beforeAll(async () => {
  table = await createTestTable();
  const env = orderServicesOn(table);
  await table.catalog.putService(TEST_SERVICE);
  await fundedWallet(table, 'w-a', '1000.00');
  await fundedWallet(table, 'w-b', '1000.00');
  // 130 orders of two owners, interleaved, across two pages of ids.
  for (let i = 0; i < 130; i++) {
    const walletId = i % 2 === 0 ? 'w-a' : 'w-b';
    placed.push(
      (await placeOrder(env.services, { ownerId: `owner-${walletId}`, walletId, serviceId: 1, link: `https://youtube.com/watch?v=r${i}`, quantity: 100 + i }))
        .order,
    );
  }
}, 60_000);

describe('reading many orders at once', () => {
  it('returns exactly the orders asked for, across pages, and none of the neighbours in their ranges', async () => {
    const ownerA = placed.filter((o) => o.walletId === 'w-a');
    expect(new Set(placed.map((o) => Math.floor(o.id / 100))).size).toBeGreaterThan(1);
    const found = await table.orders.getOrderStatuses(ownerA.map((o) => o.id));
    expect([...found.keys()].sort()).toEqual(ownerA.map((o) => o.id).sort());
    for (const order of ownerA)
      expect(found.get(order.id)).toMatchObject({ id: order.id, ownerId: 'owner-w-a', units: order.units, charge: order.charge, status: 'Pending' });
  });

  it('answers drip-feed, subscription and comment orders from the status view as from the full order', async () => {
    const env = orderServicesOn(table);
    await table.catalog.putService({ ...TEST_SERVICE, id: 2, dripfeed: true });
    await table.catalog.putService({ ...TEST_SERVICE, id: 3, type: 'Subscriptions', name: 'Auto likes' });
    await table.catalog.putService({ ...TEST_SERVICE, id: 4, type: 'Custom Comments', name: 'Comments' });
    const owner = { ownerId: 'owner-w-a', walletId: 'w-a' };
    const orders = [
      (
        await placeOrder(env.services, {
          ...owner,
          serviceId: 2,
          fields: { link: 'https://youtube.com/watch?v=drip', quantity: '100', runs: '5', interval: '30' },
        })
      ).order,
      (await placeOrder(env.services, { ...owner, serviceId: 3, fields: { username: 'natgeo', min: '100', max: '200', posts: '4', expiry: '5/3/2030' } }))
        .order,
      (await placeOrder(env.services, { ...owner, serviceId: 4, fields: { link: 'https://youtube.com/watch?v=c', comments: 'one\ntwo\n'.repeat(40) } })).order,
    ];
    const views = await table.orders.getOrderStatuses(orders.map((o) => o.id));
    const answers = orders.map((o) => orderStatusAnswer(views.get(o.id)!, 'USD'));
    for (const [i, order] of orders.entries()) expect(answers[i]).toEqual(orderStatusAnswer((await table.orders.getOrder(order.id))!, 'USD'));
    expect(answers[0]).toMatchObject({ runs: '5', remains: '500' });
    expect(answers[1]).toMatchObject({ posts: '4', expiry: '05/03/2030', status: 'Pending' });
    // The comments list is forwarded to the provider, never read back by a status check.
    expect(JSON.stringify(views.get(orders[2]!.id))).not.toContain('two');
  });

  it('reads in the status view everything a status answer shows', async () => {
    const ids = placed.slice(0, 40).map((o) => o.id);
    const now = new Date().toISOString();
    await table.orders.recordSubmitted({ id: ids[3]!, providerId: TEST_SERVICE.providerId }, 'p-3', now);
    await table.orders.recordProgress(ids[3]!, { status: 'In progress', startCount: 70, remains: 12 }, now);
    const views = await table.orders.getOrderStatuses(ids);
    for (const id of ids) expect(orderStatusAnswer(views.get(id)!, 'USD')).toEqual(orderStatusAnswer((await table.orders.getOrder(id))!, 'USD'));
    expect(orderStatusAnswer(views.get(ids[3]!)!, 'USD')).toMatchObject({ start_count: '70', remains: '12' });
  });

  it('gives the same full orders as reading them one by one, for dense, sparse and missing ids', async () => {
    const dense = placed.slice(10, 60).map((o) => o.id);
    const sparse = [placed[0]!.id, placed[99]!.id, placed[129]!.id];
    const missing = [1, 99_999_999];
    const found = await table.orders.getOrders([...dense, ...sparse, ...missing, dense[0]!]);
    expect(found.size).toBe(dense.length + sparse.length);
    for (const id of [...dense, ...sparse]) expect(found.get(id)).toEqual(await table.orders.getOrder(id));
    for (const id of missing) expect(found.has(id)).toBe(false);
    const scattered = await table.orders.getOrders(sparse);
    expect([...scattered.keys()].sort()).toEqual([...sparse].sort());
  });
});

describe('planning the reads', () => {
  it('reads a dense run of ids as one range per page and scattered ids one by one', () => {
    const run = Array.from({ length: 100 }, (_, i) => 10_050 + i);
    expect(planOrderReads(run)).toEqual({
      ranges: [
        { first: 10_050, last: 10_099, ids: run.slice(0, 50) },
        { first: 10_100, last: 10_149, ids: run.slice(50) },
      ],
      singles: [],
    });
    expect(planOrderReads([10_000, 10_050, 10_099, 20_000])).toEqual({ ranges: [], singles: [10_000, 10_050, 10_099, 20_000] });
    // Every other id is still dense enough: the range costs fewer read units than the item reads.
    expect(planOrderReads([10_000, 10_002, 10_004, 10_006]).ranges).toEqual([{ first: 10_000, last: 10_006, ids: [10_000, 10_002, 10_004, 10_006] }]);
    expect(planOrderReads([10_000]).singles).toEqual([10_000]);
  });
});
