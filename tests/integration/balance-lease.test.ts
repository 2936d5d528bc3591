// Balance leases (balance-lease.ts) on DynamoDB Local and on the in-memory engine: money taken out of a wallet into a
// lease, orders paid from it, the lease settled into the wallet's ledger. Each container is its own client, so only
// the table serialises them. What a customer would notice: the balance they have never moves but by what they spent,
// every order is charged once in one gapless ledger, and an order a lease was recalled under is not placed.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoIdleLeases,
  type HeldLease,
  MAX_CHARGES_PER_LEASE,
  leaseCovers,
  readVisibleBalance,
  recallLeases,
  closeLease,
  settleLease,
  takeLease,
} from '../../lambdas/adapters/dynamodb/balance-lease.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { placeByGroupCommit } from '../../lambdas/adapters/dynamodb/group-commit.js';
import { keys } from '../../lambdas/adapters/dynamodb/keys.js';
import { spendFromLease } from '../../lambdas/adapters/dynamodb/lease-placement.js';
import { moveMoney } from '../../lambdas/adapters/dynamodb/wallet-transaction.js';
import { newOrder } from '../../lambdas/orders/domain/orders.js';
import { IDLE_LEASE_AGE_MS, settleIdleLeases } from '../../lambdas/wallets/application/settle-idle-leases.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { type Micros, micros, parseMoney } from '../../lambdas/shared/money.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet } from '../support/dynamo-table.js';

describe.each(['dynamodb-local', 'memory'] as const)('balance leases, on %s', (engine) => {
  let table: TestTable;
  let nextOrderId = 1;

  beforeAll(async () => {
    table = await createTestTable(engine);
  });

  const now = () => new Date().toISOString();
  /** An order of 1,000 views at 0.90, as placeOrder builds it. */
  const order = (walletId: string, extra: { requestId?: string } = {}) =>
    newOrder(
      TEST_SERVICE,
      { ownerId: `owner-${walletId}`, walletId, link: 'https://youtube.com/watch?v=lease', quantity: 1000, ...extra },
      nextOrderId++,
      now(),
    );
  const visible = async (walletId: string) => (await readVisibleBalance(table.db, table.tableName, walletId))!;
  const ledger = (walletId: string) => table.wallets.listLedger(walletId);
  const orderItem = async (id: number) => (await table.allItems()).find((item) => item.entity === 'order' && item.id === id);

  /** The wallet's books: gapless, summing to its balance and what its leases hold, and the order charges in it. */
  async function books(walletId: string) {
    const entries = await ledger(walletId);
    const wallet = await table.wallets.getWallet(walletId);
    const raw = (await table.allItems()).find((item) => item.pk === `WALLET#${walletId}` && item.sk === 'WALLET')!;
    return {
      gapless: entries.every((entry, i) => entry.seq === i + 1) && Number(raw.seq) === entries.length,
      sumIsBalance: entries.reduce((sum, entry) => sum + entry.amount, 0) === Number(raw.balance) + Number(raw.held ?? 0),
      never: Number(raw.balance) >= 0 && Number(raw.held ?? 0) >= 0,
      charged: entries.filter((entry) => entry.kind === 'order_charge').map((entry) => entry.reference),
      visible: wallet!.balance,
    };
  }

  it('pays for orders from a lease, shows the balance with the lease in it, and numbers the charges into the ledger when it settles', async () => {
    await fundedWallet(table, 'w-pay', '10.00');
    const lease = await takeLease(table.db, table.tableName, { walletId: 'w-pay', amount: parseMoney('4.50'), at: now() });
    // Taken: the wallet holds 5.50, the lease 4.50; the customer has 10.00 either way.
    expect(await visible('w-pay')).toMatchObject({ balance: parseMoney('10.00'), leased: parseMoney('4.50'), openLeases: 1 });
    expect(await visible('w-pay')).toMatchObject({ wallet: { balance: parseMoney('5.50'), held: parseMoney('4.50') } });
    const placed = [order('w-pay'), order('w-pay'), order('w-pay')];
    for (const o of placed) expect(await spendFromLease(table.db, table.tableName, lease, o)).toBe('placed');
    expect(lease.remaining).toBe(parseMoney('1.80'));
    expect(await visible('w-pay')).toMatchObject({ balance: parseMoney('7.30'), leased: parseMoney('1.80') });
    for (const o of placed) expect(await orderItem(o.id)).toBeDefined();
    // Until it settles, the charges are the lease's; a hold is no entry of the customer's statement.
    expect((await ledger('w-pay')).map((e) => e.kind)).toEqual(['deposit']);
    expect(await books('w-pay')).toMatchObject({ gapless: true, sumIsBalance: true });

    expect(await settleLease(table.db, table.tableName, { walletId: 'w-pay', leaseId: lease.id, at: now() })).toBe('settled');
    const entries = await ledger('w-pay');
    expect(entries.map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([
      ['deposit', parseMoney('10.00'), parseMoney('10.00')],
      ['order_charge', parseMoney('-0.90'), parseMoney('9.10')],
      ['order_charge', parseMoney('-0.90'), parseMoney('8.20')],
      ['order_charge', parseMoney('-0.90'), parseMoney('7.30')],
    ]);
    // Each charge keeps the time of its order, and names it.
    expect(entries.slice(1).map((e) => [e.reference, e.at])).toEqual(placed.map((o) => [`order:${o.id}`, o.createdAt]));
    expect(await visible('w-pay')).toMatchObject({ balance: parseMoney('7.30'), leased: 0, openLeases: 0, wallet: { balance: parseMoney('7.30'), held: 0 } });
    expect(await books('w-pay')).toMatchObject({ gapless: true, sumIsBalance: true, never: true, visible: parseMoney('7.30') });
    // Settling again changes nothing; the lease is closed to its holder too.
    expect(await settleLease(table.db, table.tableName, { walletId: 'w-pay', leaseId: lease.id, at: now() })).toBe('already_settled');
    expect(await ledger('w-pay')).toHaveLength(4);
  });

  type WalletTransaction = { input: { TransactItems?: { Update?: { Key?: { pk?: string } }; ConditionCheck?: { Key?: { pk?: string } } }[] } };
  /** A client whose first transaction on the wallet (a write or a check) waits until `meanwhile` has run. */
  function writerOvertaken(walletId: string, meanwhile: () => Promise<unknown>) {
    const db = table.newClient();
    let ran = false;
    db.middlewareStack.add(
      ((next: (args: WalletTransaction) => Promise<unknown>, context: { commandName: string }) => async (args: WalletTransaction) => {
        const onWallet = args.input.TransactItems?.some((item) => (item.Update ?? item.ConditionCheck)?.Key?.pk === `WALLET#${walletId}`);
        if (context.commandName === 'TransactWriteItemsCommand' && onWallet && !ran) {
          ran = true;
          await meanwhile();
        }
        return next(args);
      }) as never,
      { step: 'initialize' },
    );
    return { db, taken: () => ran };
  }
  /** The same, overtaken by another container taking a lease of `amount` (a take reads nothing and moves no sequence). */
  const writerOvertakenByLease = (walletId: string, amount: Micros) =>
    writerOvertaken(walletId, () => takeLease(table.newClient(), table.tableName, { walletId, amount, at: now() }));

  it('decides a debit again when a lease was taken between its read and its write: never below zero, the ledger exact', async () => {
    const debit = (db: typeof table.db, walletId: string, amount: string, reference: string) =>
      moveMoney(db, table.tableName, { walletId, amount: micros(-parseMoney(amount)), kind: 'adjustment', reference, at: now(), companions: [] });
    // 10.00, 6.00 leased under a debit of 5.00: 4.00 is left, so the debit is refused and nothing is written.
    await fundedWallet(table, 'w-over', '10.00');
    const over = writerOvertakenByLease('w-over', parseMoney('6.00'));
    const refused = await debit(over.db, 'w-over', '5.00', 'adjustment:too-much').catch((e) => e);
    expect(over.taken()).toBe(true);
    expect(isDomainError(refused) && refused.code).toBe('insufficient_funds');
    expect(await visible('w-over')).toMatchObject({ balance: parseMoney('10.00'), wallet: { balance: parseMoney('4.00'), held: parseMoney('6.00') } });
    expect(await books('w-over')).toMatchObject({ gapless: true, sumIsBalance: true, never: true });
    // 10.00, 3.00 leased under a debit of 5.00: it fits, and its entry says what the ledger sums to after it.
    await fundedWallet(table, 'w-fits', '10.00');
    const fits = writerOvertakenByLease('w-fits', parseMoney('3.00'));
    expect(await debit(fits.db, 'w-fits', '5.00', 'adjustment:fits')).toBe('applied');
    expect((await ledger('w-fits')).map((e) => [e.amount, e.balanceAfter])).toEqual([
      [parseMoney('10.00'), parseMoney('10.00')],
      [parseMoney('-5.00'), parseMoney('5.00')],
    ]);
    expect(await visible('w-fits')).toMatchObject({ balance: parseMoney('5.00'), wallet: { balance: parseMoney('2.00'), held: parseMoney('3.00') } });
    expect(await books('w-fits')).toMatchObject({ gapless: true, sumIsBalance: true, never: true });
  });

  it("places an order through the wallet's line again when a lease was taken between its read and its write", async () => {
    // 1.00 on the wallet, 0.50 leased under an order of 0.90: refused for funds, never charged.
    await fundedWallet(table, 'w-line', '1.00');
    const line = writerOvertakenByLease('w-line', parseMoney('0.50'));
    const refused = await placeByGroupCommit(line.db, table.tableName, order('w-line')).catch((e) => e);
    expect(line.taken()).toBe(true);
    expect(isDomainError(refused) && refused.code).toBe('insufficient_funds');
    expect(await books('w-line')).toMatchObject({ gapless: true, sumIsBalance: true, never: true, charged: [] });
    expect(await visible('w-line')).toMatchObject({ balance: parseMoney('1.00'), wallet: { balance: parseMoney('0.50') } });
  });

  it("commits a refusal for funds only on the balance as it is: a lease settled without charges since the line's read makes it read again", async () => {
    // 1.00 on the wallet, 0.50 of it leased; an intent of 0.90 waits in the line (its container gone).
    await fundedWallet(table, 'w-stale', '1.00');
    const lease = await takeLease(table.db, table.tableName, { walletId: 'w-stale', amount: parseMoney('0.50'), at: now() });
    const orphan = newOrder(
      TEST_SERVICE,
      { ownerId: 'owner-w-stale', walletId: 'w-stale', link: 'https://youtube.com/watch?v=stale', quantity: 1000 },
      nextOrderId++,
      new Date(Date.now() - 1000).toISOString(),
    );
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.orderIntent('w-stale', orphan.createdAt, orphan.id), entity: 'order-intent', orderId: orphan.id, order: orphan },
      }),
    );
    // The next order's container commits the line, read with 0.50 on the wallet: both refused. The lease is settled
    // (no charges: no sequence moved) before that commit lands; the orphan then fits, and is placed.
    const line = writerOvertaken('w-stale', () => settleLease(table.newClient(), table.tableName, { walletId: 'w-stale', leaseId: lease.id, at: now() }));
    const refused = await placeByGroupCommit(line.db, table.tableName, order('w-stale')).catch((e) => e);
    expect(line.taken()).toBe(true);
    expect(isDomainError(refused) && refused.code).toBe('insufficient_funds');
    expect(await books('w-stale')).toMatchObject({ gapless: true, sumIsBalance: true, never: true, charged: [`order:${orphan.id}`] });
    expect(await visible('w-stale')).toMatchObject({ balance: parseMoney('0.10'), openLeases: 0 });
  });

  it('refuses a lease the wallet cannot pay for, and writes nothing', async () => {
    await fundedWallet(table, 'w-short', '1.00');
    const before = (await table.allItems()).length;
    const refused = await takeLease(table.db, table.tableName, { walletId: 'w-short', amount: parseMoney('1.01'), at: now() }).catch((e) => e);
    expect(isDomainError(refused) && refused.code).toBe('insufficient_funds');
    expect((await table.allItems()).length).toBe(before);
  });

  it('refuses an order whose request id was used, without touching the lease', async () => {
    await fundedWallet(table, 'w-dup', '5.00');
    const lease = await takeLease(table.db, table.tableName, { walletId: 'w-dup', amount: parseMoney('2.70'), at: now() });
    expect(await spendFromLease(table.db, table.tableName, lease, order('w-dup', { requestId: 'r-1' }))).toBe('placed');
    const again = await spendFromLease(table.db, table.tableName, lease, order('w-dup', { requestId: 'r-1' })).catch((e) => e);
    expect(isDomainError(again) && again.code).toBe('already_applied');
    expect(lease).toMatchObject({ remaining: parseMoney('1.80'), charges: 1 });
    await settleLease(table.db, table.tableName, { walletId: 'w-dup', leaseId: lease.id, at: now() });
    expect((await books('w-dup')).charged).toHaveLength(1);
    expect(await visible('w-dup')).toMatchObject({ balance: parseMoney('4.10') });
  });

  it('holds at most MAX_CHARGES_PER_LEASE charges, all of which one settlement numbers', async () => {
    await fundedWallet(table, 'w-full', '100.00');
    const lease = await takeLease(table.db, table.tableName, { walletId: 'w-full', amount: parseMoney('90.00'), at: now() });
    let placed = 0;
    while (leaseCovers(lease, parseMoney('0.90'))) {
      await spendFromLease(table.db, table.tableName, lease, order('w-full'));
      placed++;
    }
    expect(placed).toBe(MAX_CHARGES_PER_LEASE);
    await settleLease(table.db, table.tableName, { walletId: 'w-full', leaseId: lease.id, at: now() });
    const settled = await books('w-full');
    expect(settled).toMatchObject({ gapless: true, sumIsBalance: true, visible: micros(parseMoney('100.00') - MAX_CHARGES_PER_LEASE * parseMoney('0.90')) });
    expect(settled.charged).toHaveLength(MAX_CHARGES_PER_LEASE);
  });

  it('recalls leases while their holders spend: an order is placed and charged once, or not placed at all', async () => {
    await fundedWallet(table, 'w-race', '50.00');
    const holders = Array.from({ length: 4 }, () => table.newClient());
    const answers: { orderId: number; answer: string }[] = [];
    const recaller = table.newClient();
    let spending = true;
    let recalled = 0;
    const spenders = Promise.all(
      holders.map(async (db) => {
        let lease: HeldLease | undefined;
        for (let i = 0; i < 12; i++) {
          if (!lease) lease = await takeLease(db, table.tableName, { walletId: 'w-race', amount: parseMoney('2.70'), at: now() });
          const o = order('w-race');
          const answer = await spendFromLease(db, table.tableName, lease, o);
          answers.push({ orderId: o.id, answer });
          if (answer === 'lease_closed' || !leaseCovers(lease, parseMoney('0.90'))) lease = undefined;
        }
      }),
    ).finally(() => {
      spending = false;
    });
    const recalls = (async () => {
      while (spending) recalled += await recallLeases(recaller, table.tableName, 'w-race', now());
    })();
    await Promise.all([spenders, recalls]);
    await recallLeases(recaller, table.tableName, 'w-race', now());
    const placed = answers.filter((a) => a.answer === 'placed').map((a) => `order:${a.orderId}`);
    const closed = answers.filter((a) => a.answer === 'lease_closed');
    const settled = await books('w-race');
    expect(settled).toMatchObject({ gapless: true, sumIsBalance: true });
    expect(settled.charged.sort()).toEqual(placed.sort());
    expect(settled.visible).toBe(micros(parseMoney('50.00') - placed.length * parseMoney('0.90')));
    // The race was run: leases were recalled under their holders, and some of their orders found theirs closed.
    expect(recalled).toBeGreaterThan(0);
    expect(closed.length).toBeGreaterThan(0);
    for (const { orderId } of closed) expect(await orderItem(orderId)).toBeUndefined();
    expect((await visible('w-race')).openLeases).toBe(0);
  });

  it('settles the leases their holders closed on the next sweep, however recent: closed, a lease takes no more charges', async () => {
    await fundedWallet(table, 'w-closed', '10.00');
    const used = await takeLease(table.db, table.tableName, { walletId: 'w-closed', amount: parseMoney('1.80'), at: now() });
    await spendFromLease(table.db, table.tableName, used, order('w-closed'));
    await closeLease(table.db, table.tableName, { walletId: 'w-closed', leaseId: used.id, at: now() });
    expect(await spendFromLease(table.db, table.tableName, used, order('w-closed'))).toBe('lease_closed');
    // Closed but not settled: its money is still the customer's, its charge not yet in the ledger.
    expect(await visible('w-closed')).toMatchObject({ balance: parseMoney('9.10'), openLeases: 1 });
    const leases = new DynamoIdleLeases(table.db, table.tableName);
    expect(await settleIdleLeases({ leases, clock: { now: () => new Date() } })).toMatchObject({ settled: 1 });
    expect(await books('w-closed')).toMatchObject({ gapless: true, sumIsBalance: true, visible: parseMoney('9.10') });
    expect((await books('w-closed')).charged).toHaveLength(1);
  });

  it('settles the leases of containers gone quiet on schedule, and leaves the recent ones to their holders', async () => {
    await fundedWallet(table, 'w-idle', '10.00');
    const quiet = await takeLease(table.db, table.tableName, { walletId: 'w-idle', amount: parseMoney('2.70'), at: now() });
    await spendFromLease(table.db, table.tableName, quiet, order('w-idle'));
    const leases = new DynamoIdleLeases(table.db, table.tableName);
    const later = (ms: number) => ({ leases, clock: { now: () => new Date(Date.now() + ms) } });
    // A minute on, the lease is its holder's still.
    expect(await settleIdleLeases(later(60_000))).toMatchObject({ settled: 0 });
    const recent = await takeLease(table.db, table.tableName, {
      walletId: 'w-idle',
      amount: parseMoney('1.80'),
      at: new Date(Date.now() + IDLE_LEASE_AGE_MS).toISOString(),
    });
    // Past the idle age, the quiet one is settled: its charge in the ledger; the one taken since stays open.
    const run = await settleIdleLeases(later(IDLE_LEASE_AGE_MS + 1_000));
    expect(run.settled).toBeGreaterThanOrEqual(1);
    const settled = await books('w-idle');
    expect(settled.charged).toHaveLength(1);
    expect(settled).toMatchObject({ gapless: true, sumIsBalance: true, visible: parseMoney('9.10') });
    expect(await visible('w-idle')).toMatchObject({ openLeases: 1, leased: parseMoney('1.80') });
    expect(await settleLease(table.db, table.tableName, { walletId: 'w-idle', leaseId: recent.id, at: now() })).toBe('settled');
  });

  it('shows the same balance while leases are taken and settled around the reader', async () => {
    await fundedWallet(table, 'w-still', '20.00');
    let done = false;
    const seen: number[] = [];
    const takers = Promise.all(
      Array.from({ length: 3 }, async () => {
        const db = table.newClient();
        for (let i = 0; i < 5; i++) {
          const lease = await takeLease(db, table.tableName, { walletId: 'w-still', amount: parseMoney('3.00'), at: now() });
          await settleLease(db, table.tableName, { walletId: 'w-still', leaseId: lease.id, at: now() });
        }
      }),
    ).finally(() => {
      done = true;
    });
    const reader = (async () => {
      const db = table.newClient();
      while (!done) {
        seen.push((await readVisibleBalance(db, table.tableName, 'w-still'))!.balance);
        // The in-memory engine answers without I/O: let the takers' timers (their backoff) run between reads.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await Promise.all([takers, reader]);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([parseMoney('20.00')]));
    expect(await books('w-still')).toMatchObject({ gapless: true, sumIsBalance: true, charged: [], visible: parseMoney('20.00') });
  });
});
