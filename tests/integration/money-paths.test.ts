// Every path money takes, on DynamoDB Local and the in-memory engine: charges, refunds, deposits, concurrency, idempotency.
import { placeByGroupCommit } from '../../lambdas/adapters/dynamodb/group-commit.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { finalizeOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { parseMoney, micros } from '../../lambdas/shared/money.js';
import { settle } from '../../lambdas/orders/domain/orders.js';
import { DynamoOrderStore } from '../../lambdas/adapters/dynamodb/order-store.js';
import { BlockOrderIdAllocator } from '../../lambdas/adapters/dynamodb/order-id-allocator.js';
import { TEST_SERVICE, type TestTable, balanceAndLedger, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';

// The same paths on DynamoDB Local and on the in-memory engine the simulation runs on.
describe.each(['dynamodb-local', 'memory'] as const)('money paths on %s', (engine) => {
  let table: TestTable;
  let env: ReturnType<typeof orderServicesOn>;

  beforeAll(async () => {
    table = await createTestTable(engine);
    env = orderServicesOn(table);
    await table.catalog.putService(TEST_SERVICE);
  });

  const orderFor = (walletId: string, quantity = 1000, extra: { requestId?: string; link?: string } = {}) =>
    placeOrder(env.services, {
      ownerId: `owner-${walletId}`,
      walletId,
      serviceId: 1,
      link: extra.link ?? 'https://youtube.com/watch?v=abc',
      quantity,
      ...(extra.requestId ? { requestId: extra.requestId } : {}),
    }).then((placed) => placed.order);

  describe('placing an order', () => {
    it('debits exactly the charge and records it in the ledger in the same write', async () => {
      await fundedWallet(table, 'w-place', '10.00');
      const order = await orderFor('w-place', 1000);
      expect(order.charge).toBe(parseMoney('0.90'));
      const { balance, ledgerSum, entries } = await balanceAndLedger(table, 'w-place');
      expect(balance).toBe(parseMoney('9.10'));
      expect(ledgerSum).toBe(balance);
      expect(entries).toBe(2);
      const ledger = await table.wallets.listLedger('w-place');
      expect(ledger[1]).toMatchObject({ seq: 2, kind: 'order_charge', amount: -900_000, balanceAfter: parseMoney('9.10'), reference: `order:${order.id}` });
      expect(await table.orders.getOrder(order.id)).toMatchObject({ status: 'Pending', phase: 'accepted', charge: 900_000, refunded: 0 });
    });

    it('refuses an order the balance cannot pay for, and writes nothing', async () => {
      await fundedWallet(table, 'w-poor', '0.50');
      // The one write allowed is the id counter: ids are reserved by the hundred before the charge is tried, and a
      // refused order leaves a gap, as a database sequence does. No order, no ledger entry, no change of balance.
      const notCounter = (items: Record<string, unknown>[]) => items.filter((item) => !String(item.pk).startsWith('COUNTER#'));
      const before = await table.allItems();
      await expect(orderFor('w-poor', 1000)).rejects.toThrow('Not enough funds on balance');
      expect(notCounter(await table.allItems())).toEqual(notCounter(before));
    });

    it('refuses bad input before any write', async () => {
      await fundedWallet(table, 'w-bad', '10.00');
      const before = await table.allItems();
      const attempts = [
        placeOrder(env.services, { ownerId: 'o', walletId: 'w-bad', serviceId: 999, link: 'https://x.com/a', quantity: 100 }),
        orderFor('w-bad', 10),
        orderFor('w-bad', 1_000_000),
        orderFor('w-bad', 100, { link: 'not a link' }),
      ];
      const codes = (await Promise.allSettled(attempts)).map((r) => (r.status === 'rejected' && isDomainError(r.reason) ? r.reason.code : 'accepted'));
      expect(codes).toEqual(['unknown_service', 'quantity_too_small', 'quantity_too_large', 'invalid_link']);
      expect(await table.allItems()).toEqual(before);
    });

    it('accepts exactly as many of 50 concurrent orders as the wallet can pay for, and never overdraws', async () => {
      await fundedWallet(table, 'w-hot', '18.00'); // 20 orders of 0.90
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => orderFor('w-hot', 1000)));
      const accepted = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      expect(accepted).toHaveLength(20);
      for (const r of refused) expect(isDomainError((r as PromiseRejectedResult).reason, 'insufficient_funds')).toBe(true);
      const { balance, ledgerSum, entries } = await balanceAndLedger(table, 'w-hot');
      expect(balance).toBe(0);
      expect(ledgerSum).toBe(0);
      expect(entries).toBe(21);
      const seqs = (await table.wallets.listLedger('w-hot')).map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    });

    it('keeps the wallet exact when 50 orders race from 10 separate containers', async () => {
      await fundedWallet(table, 'w-race', '18.00');
      const containers = Array.from({ length: 10 }, () => {
        const db = table.newClient();
        return {
          ...env.services,
          orders: new DynamoOrderStore(db, table.tableName, placeByGroupCommit),
          orderIds: new BlockOrderIdAllocator(db, table.tableName, 5),
        };
      });
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          placeOrder(containers[i % 10]!, {
            ownerId: 'owner-w-race',
            walletId: 'w-race',
            serviceId: 1,
            link: 'https://youtube.com/watch?v=race',
            quantity: 1000,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(20);
      for (const r of results.filter((r) => r.status === 'rejected'))
        expect(isDomainError((r as PromiseRejectedResult).reason, 'insufficient_funds')).toBe(true);
      expect(await balanceAndLedger(table, 'w-race')).toEqual({ balance: 0, ledgerSum: 0, entries: 21 });
    });

    it('turns a retried add with the same request_id into the original order, charged once', async () => {
      await fundedWallet(table, 'w-idem', '10.00');
      const first = await orderFor('w-idem', 1000, { requestId: 'r-1' });
      const again = await Promise.all(Array.from({ length: 10 }, () => orderFor('w-idem', 1000, { requestId: 'r-1' })));
      for (const order of again) expect(order.id).toBe(first.id);
      const { balance, entries } = await balanceAndLedger(table, 'w-idem');
      expect(balance).toBe(parseMoney('9.10'));
      expect(entries).toBe(2);
    });

    it('charges concurrent first attempts with one request_id only once', async () => {
      await fundedWallet(table, 'w-idem2', '10.00');
      const orders = await Promise.all(Array.from({ length: 8 }, () => orderFor('w-idem2', 1000, { requestId: 'same' })));
      expect(new Set(orders.map((o) => o.id)).size).toBe(1);
      expect((await balanceAndLedger(table, 'w-idem2')).balance).toBe(parseMoney('9.10'));
    });

    it('says which answer was a replay, so the daily quota counts only new orders', async () => {
      await fundedWallet(table, 'w-idem3', '10.00');
      const place = () =>
        placeOrder(env.services, {
          ownerId: 'owner-w-idem3',
          walletId: 'w-idem3',
          serviceId: 1,
          link: 'https://youtube.com/watch?v=q',
          quantity: 1000,
          requestId: 'quota',
        });
      const attempts = await Promise.all(Array.from({ length: 6 }, place));
      expect(attempts.filter((a) => !a.replayed)).toHaveLength(1);
      expect((await place()).replayed).toBe(true);
      expect(new Set(attempts.map((a) => a.order.id)).size).toBe(1);
    });
  });

  describe('settling an order', () => {
    it('refunds the undelivered part of a partial order once, however often finalize runs', async () => {
      await fundedWallet(table, 'w-partial', '10.00');
      const order = await orderFor('w-partial', 1000);
      await table.orders.beginSubmit(order.id, new Date().toISOString());
      await table.orders.recordSubmitted(order, 'ext-1', new Date().toISOString());
      await table.orders.recordProgress(order.id, { status: 'Partial', remains: 157, startCount: 10 }, new Date().toISOString());
      const results = await Promise.all(Array.from({ length: 10 }, () => finalizeOrder(env.services, order.id)));
      for (const r of results) expect(r).toMatchObject({ status: 'Partial', refund: '0.14130' });
      const { balance, ledgerSum, entries } = await balanceAndLedger(table, 'w-partial');
      expect(entries).toBe(3);
      expect(balance).toBe(parseMoney('9.2413'));
      expect(ledgerSum).toBe(balance);
      const final = await table.orders.getOrder(order.id);
      expect(final).toMatchObject({ phase: 'finalized', status: 'Partial', refunded: 141_300, remains: 157 });
      // Its events come from the settlement's write through the table's stream, not from this step.
      expect(env.published).toEqual([]);
    });

    it('refunds everything for an order the provider rejected', async () => {
      await fundedWallet(table, 'w-rejected', '10.00');
      const order = await orderFor('w-rejected', 2000);
      await table.orders.recordRejected(order.id, 'Link is private', new Date().toISOString());
      await finalizeOrder(env.services, order.id);
      expect((await balanceAndLedger(table, 'w-rejected')).balance).toBe(parseMoney('10.00'));
      expect(await table.orders.getOrder(order.id)).toMatchObject({ status: 'Canceled', phase: 'finalized', refunded: order.charge });
    });

    it('takes nothing back and writes no ledger entry for a completed order', async () => {
      await fundedWallet(table, 'w-done', '10.00');
      const order = await orderFor('w-done', 1000);
      await table.orders.beginSubmit(order.id, new Date().toISOString());
      await table.orders.recordSubmitted(order, 'ext-2', new Date().toISOString());
      await table.orders.recordProgress(order.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
      await finalizeOrder(env.services, order.id);
      expect(await balanceAndLedger(table, 'w-done')).toMatchObject({ balance: parseMoney('9.10'), entries: 2 });
      expect((await table.orders.listOpenOrders('demo')).orders.map((o) => o.id)).not.toContain(order.id);
    });

    it('refuses a refund larger than the charge', async () => {
      await fundedWallet(table, 'w-over', '10.00');
      const order = await orderFor('w-over', 1000);
      await table.orders.recordRejected(order.id, 'x', new Date().toISOString());
      const current = (await table.orders.getOrder(order.id))!;
      const tooMuch = { ...settle(current), refund: micros(current.charge + 1) };
      await table.orders.finalize(current, tooMuch, new Date().toISOString());
      expect(await balanceAndLedger(table, 'w-over')).toMatchObject({ balance: parseMoney('9.10'), entries: 2 });
      expect((await table.orders.getOrder(order.id))!.phase).toBe('accepted');
    });
  });

  describe('deposits', () => {
    it('credits once per idempotency key', async () => {
      await fundedWallet(table, 'w-dep', '1.00');
      const credit = () =>
        table.wallets.credit({
          walletId: 'w-dep',
          amount: parseMoney('5.00'),
          kind: 'deposit',
          reference: 'payment:1',
          idempotencyKey: 'payment-1',
          at: new Date().toISOString(),
        });
      const results = await Promise.all([credit(), credit(), credit()]);
      expect(results.filter((r) => r === 'applied')).toHaveLength(1);
      expect(await balanceAndLedger(table, 'w-dep')).toMatchObject({ balance: parseMoney('6.00'), ledgerSum: parseMoney('6.00'), entries: 2 });
    });
  });

  describe('order ids', () => {
    it('are unique across containers and increase within each', async () => {
      const containers = [table.allocator(7), table.allocator(7), table.allocator(7)];
      const ids = await Promise.all(containers.map((c) => Promise.all(Array.from({ length: 50 }, () => c.next()))));
      const all = ids.flat();
      expect(new Set(all).size).toBe(150);
      for (const list of ids) expect([...list].sort((a, b) => a - b)).toEqual(list);
      expect(Math.min(...all)).toBeGreaterThanOrEqual(10_000);
    });
  });
});
