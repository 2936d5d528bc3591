// settleIdleLeases as the table stream's reader of balance leases closed by their holders (docs/wallet-concurrency.md):
// fed the stream's records as Lambda would, it settles each closed lease at once (its orders' charges into the
// ledger) and nothing else; the same records again change nothing.
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeLease, readVisibleBalance, takeLease } from '../../lambdas/adapters/dynamodb/balance-lease.js';
import { spendFromLease } from '../../lambdas/adapters/dynamodb/lease-placement.js';
import { newOrder } from '../../lambdas/orders/domain/orders.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { handler } from '../../lambdas/wallets/handlers/settle-leases-handler.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet } from '../support/dynamo-table.js';
import { tableStream } from '../support/table-stream.js';

let table: TestTable;
let stream: Awaited<ReturnType<typeof tableStream>>;

beforeAll(async () => {
  table = await createTestTable();
  Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, CURRENCY: 'USD' });
  usePlatform({});
  stream = await tableStream(table.endpoint, table.tableName);
});

afterAll(() => stream?.close());

const now = () => new Date().toISOString();
let nextOrderId = 1;

describe('settleIdleLeases, from the table stream', () => {
  it('settles a lease as soon as its holder closes it, leaves an open one alone, and takes its records again harmlessly', async () => {
    await fundedWallet(table, 'w-stream', '10.00');
    const used = await takeLease(table.db, table.tableName, { walletId: 'w-stream', amount: parseMoney('2.70'), at: now() });
    const open = await takeLease(table.db, table.tableName, { walletId: 'w-stream', amount: parseMoney('1.80'), at: now() });
    const placed = [];
    for (let i = 0; i < 2; i++) {
      const order = newOrder(
        TEST_SERVICE,
        { ownerId: 'owner-w-stream', walletId: 'w-stream', link: `https://youtube.com/watch?v=s${i}`, quantity: 1000 },
        nextOrderId++,
        now(),
      );
      expect(await spendFromLease(table.db, table.tableName, used, order)).toBe('placed');
      placed.push(`order:${order.id}`);
    }
    await closeLease(table.db, table.tableName, { walletId: 'w-stream', leaseId: used.id, at: now() });

    // Every record since the table began: the takes, the spends, the close. Only the close is the reader's.
    const records = await stream.next();
    expect(await handler({ Records: records }, {} as Context)).toEqual({ batchItemFailures: [] });
    const ledger = await table.wallets.listLedger('w-stream');
    expect(ledger.map((e) => [e.kind, e.reference])).toEqual([['deposit', 'test'], ...placed.map((ref) => ['order_charge', ref])]);
    // The open lease is still open and counted; the customer has 10.00 less the two orders either way.
    expect(await readVisibleBalance(table.db, table.tableName, 'w-stream')).toMatchObject({
      balance: parseMoney('8.20'),
      openLeases: 1,
      leased: open.amount,
      wallet: { held: open.amount },
    });
    // A retried batch finds the lease settled: nothing more is written.
    expect(await handler({ Records: records }, {} as Context)).toEqual({ batchItemFailures: [] });
    expect(await table.wallets.listLedger('w-stream')).toHaveLength(3);
  });

  it('sweeps on its schedule, as before: a closed lease the stream missed is settled by the next run', async () => {
    await fundedWallet(table, 'w-missed', '5.00');
    const lease = await takeLease(table.db, table.tableName, { walletId: 'w-missed', amount: parseMoney('1.80'), at: now() });
    const order = newOrder(
      TEST_SERVICE,
      { ownerId: 'owner-w-missed', walletId: 'w-missed', link: 'https://youtube.com/watch?v=m', quantity: 1000 },
      nextOrderId++,
      now(),
    );
    expect(await spendFromLease(table.db, table.tableName, lease, order)).toBe('placed');
    await closeLease(table.db, table.tableName, { walletId: 'w-missed', leaseId: lease.id, at: now() });
    await stream.next();
    expect(await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' } as never, {} as Context)).toMatchObject({ settled: 1 });
    expect((await table.wallets.listLedger('w-missed')).map((e) => e.reference)).toEqual(['test', `order:${order.id}`]);
  });
});
