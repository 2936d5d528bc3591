// The placement the order functions are wired with (lease-placement.ts): containers placing at a pace take balance
// leases and pay from them, others go through the wallet's line, and the whole balance decides every refusal. On
// DynamoDB Local and on the in-memory engine, each container its own client and stores, as Lambda containers are.
import { beforeAll, describe, expect, it } from 'vitest';
import { recallLeases } from '../../lambdas/adapters/dynamodb/balance-lease.js';
import { placeFromLeaseOrLine } from '../../lambdas/adapters/dynamodb/lease-placement.js';
import { BlockOrderIdAllocator } from '../../lambdas/adapters/dynamodb/order-id-allocator.js';
import { DynamoOrderStore } from '../../lambdas/adapters/dynamodb/order-store.js';
import { type PlaceOrderServices, placeOrder } from '../../lambdas/orders/application/place-order.js';
import { settle } from '../../lambdas/orders/domain/orders.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { micros, parseMoney } from '../../lambdas/shared/money.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';

describe.each(['dynamodb-local', 'memory'] as const)('orders placed from balance leases or the line, on %s', (engine) => {
  let table: TestTable;
  let env: ReturnType<typeof orderServicesOn>;

  beforeAll(async () => {
    table = await createTestTable(engine);
    env = orderServicesOn(table);
    await table.catalog.putService(TEST_SERVICE);
  });

  /** A container: its own client, stores and id block, wired as the order functions are. */
  const container = (): PlaceOrderServices & { db: ReturnType<TestTable['newClient']> } => {
    const db = table.newClient();
    return {
      ...env.services,
      db,
      orders: new DynamoOrderStore(db, table.tableName, placeFromLeaseOrLine),
      orderIds: new BlockOrderIdAllocator(db, table.tableName, 10),
    };
  };
  const place = (services: PlaceOrderServices, walletId: string) =>
    placeOrder(services, { ownerId: `owner-${walletId}`, walletId, serviceId: 1, link: 'https://youtube.com/watch?v=leased', quantity: 1000 });

  /** Each container places its orders one after another, as a Lambda container serves one request at a time. */
  async function fromContainers(count: number, perContainer: number, walletId: string) {
    const answers: string[] = [];
    await Promise.all(
      Array.from({ length: count }, async () => {
        const c = container();
        for (let i = 0; i < perContainer; i++) {
          const [result] = await Promise.allSettled([place(c, walletId)]);
          answers.push(result!.status === 'fulfilled' ? 'accepted' : isDomainError(result!.reason) ? result!.reason.code : String(result!.reason));
        }
      }),
    );
    return answers;
  }

  const items = async (entity: string, walletId: string) => (await table.allItems()).filter((item) => item.entity === entity && item.walletId === walletId);

  /** The wallet's books once every lease is settled: gapless, summing to the balance, one charge per order placed. */
  async function settledBooks(walletId: string) {
    await recallLeases(table.newClient(), table.tableName, walletId, new Date().toISOString());
    const ledger = await table.wallets.listLedger(walletId);
    const orders = (await table.allItems()).filter((item) => item.entity === 'order' && item.walletId === walletId);
    const charges = ledger.filter((e) => e.kind === 'order_charge').map((e) => e.reference);
    return {
      gapless: ledger.every((e, i) => e.seq === i + 1),
      neverNegative: ledger.every((e) => e.balanceAfter >= 0),
      sum: micros(ledger.reduce((s, e) => s + e.amount, 0)),
      balance: (await table.wallets.getWallet(walletId))!.balance,
      oneChargePerOrder: charges.length === orders.length && new Set(charges).size === charges.length,
      orders: orders.length,
    };
  }

  it('has containers placing at a pace pay from leases, the balance shown exact all along', async () => {
    await fundedWallet(table, 'w-busy', '500.00');
    const answers = await fromContainers(6, 10, 'w-busy');
    expect(answers.every((a) => a === 'accepted')).toBe(true);
    // Each container leased after its first few orders; the orders after that were paid from its lease.
    const leased = (await table.allItems()).filter((item) => item.entity === 'order' && item.walletId === 'w-busy' && item.leaseId);
    expect(leased.length).toBeGreaterThanOrEqual(6 * 7);
    expect((await items('lease', 'w-busy')).length).toBeGreaterThanOrEqual(6);
    // Before any lease settles, the customer's balance already counts every order.
    expect((await table.wallets.getWallet('w-busy'))!.balance).toBe(parseMoney('446.00'));
    expect(await settledBooks('w-busy')).toEqual({
      gapless: true,
      neverNegative: true,
      sum: parseMoney('446.00'),
      balance: parseMoney('446.00'),
      oneChargePerOrder: true,
      orders: 60,
    });
  });

  it('refuses an order only when the whole balance cannot pay for it, wherever the money was leased', async () => {
    await fundedWallet(table, 'w-tight', '27.00'); // 30 orders of 0.90, of the 72 asked
    const answers = await fromContainers(8, 9, 'w-tight');
    expect(answers.filter((a) => a === 'accepted')).toHaveLength(30);
    expect(answers.filter((a) => a !== 'accepted').every((a) => a === 'insufficient_funds')).toBe(true);
    expect(await settledBooks('w-tight')).toEqual({ gapless: true, neverNegative: true, sum: 0, balance: 0, oneChargePerOrder: true, orders: 30 });
  });

  it('places the orders of one worker alone through the line, each charge in the ledger as it is made', async () => {
    await fundedWallet(table, 'w-alone', '10.00');
    const c = container();
    for (let i = 0; i < 8; i++) await place(c, 'w-alone');
    expect(await items('lease', 'w-alone')).toEqual([]);
    expect((await table.wallets.listLedger('w-alone')).map((e) => e.kind)).toEqual(['deposit', ...Array(8).fill('order_charge')]);
  });

  it('settles the lease that paid for an order before refunding it: the charge comes first in the ledger', async () => {
    await fundedWallet(table, 'w-refund', '50.00');
    expect(await fromContainers(4, 8, 'w-refund')).toEqual(Array(32).fill('accepted'));
    // An order paid from a lease still open (each container's last lease is: nobody needed its money).
    const open = new Set((await items('lease', 'w-refund')).filter((lease) => lease.settledAt === undefined).map((lease) => lease.leaseId));
    const paid = (await table.allItems()).find((item) => item.entity === 'order' && item.walletId === 'w-refund' && open.has(item.leaseId));
    expect(paid).toBeDefined();
    const last = (await table.orders.getOrder(Number(paid!.id)))!;
    // The provider canceled it: the whole charge goes back.
    const canceled = { ...last, status: 'Canceled' as const };
    expect(await table.orders.finalize(canceled, settle(canceled), new Date().toISOString())).toBe('applied');
    const ledger = await table.wallets.listLedger('w-refund');
    const reference = `order:${last.id}`;
    const charge = ledger.findIndex((e) => e.kind === 'order_charge' && e.reference === reference);
    const refund = ledger.findIndex((e) => e.kind === 'order_refund' && e.reference === reference);
    expect(charge).toBeGreaterThan(0);
    expect(refund).toBeGreaterThan(charge);
    // 50.00 less 32 orders of 0.90, plus the one refunded.
    expect((await table.wallets.getWallet('w-refund'))!.balance).toBe(parseMoney('22.10'));
    expect(await settledBooks('w-refund')).toMatchObject({ gapless: true, neverNegative: true, sum: parseMoney('22.10'), oneChargePerOrder: true });
  });
});
