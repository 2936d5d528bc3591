// Orders on one wallet from many containers at once, committed together (group-commit.ts), on DynamoDB Local and on
// the in-memory engine: each container is its own DocumentClient with its own stores, so nothing in memory serialises
// them; only the table does.
import { placeByGroupCommit } from '../../lambdas/adapters/dynamodb/group-commit.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../lambdas/adapters/dynamodb/keys.js';
import { BlockOrderIdAllocator } from '../../lambdas/adapters/dynamodb/order-id-allocator.js';
import { DynamoOrderLimits } from '../../lambdas/adapters/dynamodb/order-limits.js';
import { DynamoOrderStore } from '../../lambdas/adapters/dynamodb/order-store.js';
import { DynamoWalletStore } from '../../lambdas/adapters/dynamodb/wallet-store.js';
import { type PlaceOrderServices, placeOrder } from '../../lambdas/orders/application/place-order.js';
import { newOrder } from '../../lambdas/orders/domain/orders.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { micros, parseMoney } from '../../lambdas/shared/money.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { withAwsLatency } from '../../local/aws-latency.js';
import { TEST_SERVICE, type TestTable, balanceAndLedger, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';

describe.each(['dynamodb-local', 'memory'] as const)('group commit of orders on one wallet, on %s', (engine) => {
  let table: TestTable;
  let env: ReturnType<typeof orderServicesOn>;

  beforeAll(async () => {
    table = await createTestTable(engine);
    env = orderServicesOn(table);
    await table.catalog.putService(TEST_SERVICE);
    await table.catalog.putService({ ...TEST_SERVICE, id: 2, exclusiveLink: true });
  });

  /** A container: its own client, stores and id block, as a Lambda container builds them. */
  const container = (extra: Partial<PlaceOrderServices> = {}): PlaceOrderServices => {
    const db = table.newClient();
    return {
      ...env.services,
      orders: new DynamoOrderStore(db, table.tableName, placeByGroupCommit),
      orderIds: new BlockOrderIdAllocator(db, table.tableName, 10),
      ...extra,
    };
  };

  const order = (services: PlaceOrderServices, walletId: string, extra: { requestId?: string; serviceId?: number; link?: string } = {}) =>
    placeOrder(services, {
      ownerId: `owner-${walletId}`,
      walletId,
      serviceId: extra.serviceId ?? 1,
      link: extra.link ?? 'https://youtube.com/watch?v=group',
      quantity: 1000,
      ...(extra.requestId ? { requestId: extra.requestId } : {}),
    });

  /** Each container places orders one after another, as a Lambda container serves one request at a time. */
  async function fromContainers(containers: PlaceOrderServices[], perContainer: number, place: (c: PlaceOrderServices, i: number) => Promise<unknown>) {
    const results: PromiseSettledResult<unknown>[] = [];
    await Promise.all(
      containers.map(async (c, k) => {
        for (let i = 0; i < perContainer; i++) {
          const [result] = await Promise.allSettled([place(c, k * perContainer + i)]);
          results.push(result!);
        }
      }),
    );
    return results;
  }

  const codes = (results: PromiseSettledResult<unknown>[]) =>
    results.map((r) => (r.status === 'fulfilled' ? 'accepted' : isDomainError(r.reason) ? r.reason.code : String(r.reason)));

  const pendingIntents = async (walletId: string) =>
    (await table.allItems()).filter((item) => item.pk === keys.walletIntents(walletId) && String(item.sk).startsWith(keys.intentPrefix));

  it('accepts exactly as many orders from 12 containers as the wallet pays for: no overdraft, one gapless ledger, no intent left', async () => {
    await fundedWallet(table, 'w-many', '27.00'); // 30 orders of 0.90, of the 72 asked
    const results = await fromContainers(
      Array.from({ length: 12 }, () => container()),
      6,
      (c) => order(c, 'w-many'),
    );
    const answered = codes(results);
    expect(answered.filter((c) => c === 'accepted')).toHaveLength(30);
    expect(answered.filter((c) => c !== 'accepted').every((c) => c === 'insufficient_funds')).toBe(true);
    const ledger = await table.wallets.listLedger('w-many');
    expect(ledger.map((e) => e.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(ledger.every((e) => e.balanceAfter >= 0)).toBe(true);
    expect(await balanceAndLedger(table, 'w-many')).toEqual({ balance: 0, ledgerSum: 0, entries: 31 });
    // Every accepted order charged once, by its own entry.
    const charges = ledger.filter((e) => e.kind === 'order_charge').map((e) => e.reference);
    expect(new Set(charges).size).toBe(30);
    expect(await pendingIntents('w-many')).toEqual([]);
  });

  it('serialises deposits made meanwhile (moveMoney) with the group commits on the same wallet', async () => {
    await fundedWallet(table, 'w-mixed', '9.00'); // 10 orders
    const wallets = new DynamoWalletStore(table.newClient(), table.tableName);
    const deposits = Array.from({ length: 5 }, (_, i) =>
      wallets.credit({
        walletId: 'w-mixed',
        amount: parseMoney('0.90'),
        kind: 'deposit',
        reference: `deposit-${i}`,
        idempotencyKey: `mixed-${i}`,
        at: new Date().toISOString(),
      }),
    );
    const orders = fromContainers(
      Array.from({ length: 6 }, () => container()),
      5,
      (c) => order(c, 'w-mixed'),
    );
    const [results] = await Promise.all([orders, Promise.all(deposits)]);
    // 9.00 + 5 deposits of 0.90 pay for exactly 15 orders, whichever way they interleave.
    expect(codes(results).filter((c) => c === 'accepted')).toHaveLength(15);
    const ledger = await table.wallets.listLedger('w-mixed');
    expect(ledger.map((e) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(await balanceAndLedger(table, 'w-mixed')).toEqual({ balance: 0, ledgerSum: 0, entries: 21 });
  });

  it('charges one request id once when its retries arrive at several containers together', async () => {
    await fundedWallet(table, 'w-retry', '10.00');
    const containers = Array.from({ length: 5 }, () => container());
    const placed = await Promise.all(containers.map((c) => order(c, 'w-retry', { requestId: 'same-request' })));
    expect(new Set(placed.map((p) => p.order.id)).size).toBe(1);
    expect(placed.filter((p) => !p.replayed)).toHaveLength(1);
    expect(await balanceAndLedger(table, 'w-retry')).toEqual({ balance: parseMoney('9.10'), ledgerSum: parseMoney('9.10'), entries: 2 });
  });

  it('gives an exclusive link to one of many containers asking for it at once; the others hear the link is busy', async () => {
    await fundedWallet(table, 'w-link', '10.00');
    const containers = Array.from({ length: 5 }, () => container());
    const results = await Promise.allSettled(containers.map((c) => order(c, 'w-link', { serviceId: 2, link: 'https://youtube.com/watch?v=one' })));
    expect(codes(results).sort()).toEqual(['accepted', 'link_busy', 'link_busy', 'link_busy', 'link_busy']);
    expect((await balanceAndLedger(table, 'w-link')).entries).toBe(2);
  });

  it('counts the active-orders limit exactly across containers', async () => {
    await fundedWallet(table, 'w-limit', '10.00');
    const containers = Array.from({ length: 6 }, () => {
      const db = table.newClient();
      return container({ limits: new DynamoOrderLimits(db, table.tableName, { maxActiveOrders: 4, currency: 'USD' }) });
    });
    const results = await Promise.allSettled(containers.map((c) => order(c, 'w-limit')));
    expect(codes(results).sort()).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'active_orders_limit', 'active_orders_limit']);
    expect((await balanceAndLedger(table, 'w-limit')).balance).toBe(parseMoney('6.40'));
  });

  it('commits an order whose container died after writing its intent, once another order comes, and charges it once', async () => {
    await fundedWallet(table, 'w-orphan', '10.00');
    // A container wrote its intent and stopped before any commit: the next order's container finds it stalled.
    const orphan = {
      ...newOrder(
        TEST_SERVICE,
        { ownerId: 'owner-w-orphan', walletId: 'w-orphan', link: 'https://youtube.com/watch?v=o', quantity: 1000 },
        777_001,
        new Date(Date.now() - 1000).toISOString(),
      ),
    };
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.orderIntent('w-orphan', orphan.createdAt, orphan.id), entity: 'order-intent', orderId: orphan.id, order: orphan },
      }),
    );
    const next = await order(container(), 'w-orphan');
    expect(await table.orders.getOrder(orphan.id)).toMatchObject({ id: orphan.id, charge: parseMoney('0.90') });
    const ledger = await table.wallets.listLedger('w-orphan');
    expect(ledger.map((e) => e.reference)).toEqual(['test', `order:${orphan.id}`, `order:${next.order.id}`]);
    expect(await balanceAndLedger(table, 'w-orphan')).toEqual({ balance: parseMoney('8.20'), ledgerSum: parseMoney('8.20'), entries: 3 });
    expect(await pendingIntents('w-orphan')).toEqual([]);
  });

  it("answers placed, not refused, when its intent's Put is retried after a commit placed the order (the Put's answer lost)", async () => {
    // Funded for one order: the second copy of the intent no longer fits, and the exclusive link is taken by the first.
    for (const [walletId, serviceId] of [
      ['w-twice-funds', 1],
      ['w-twice-link', 2],
    ] as const) {
      await fundedWallet(table, walletId, serviceId === 1 ? '1.00' : '10.00');
      const db = table.newClient();
      const placed = newOrder(
        serviceId === 1 ? TEST_SERVICE : { ...TEST_SERVICE, id: 2, exclusiveLink: true },
        { ownerId: `owner-${walletId}`, walletId, link: `https://youtube.com/watch?v=${walletId}`, quantity: 1000 },
        880_000 + serviceId,
        new Date().toISOString(),
      );
      await placeByGroupCommit(db, table.tableName, placed);
      // The SDK's retry of the lost Put writes the intent again, and the same container commits it itself.
      await placeByGroupCommit(db, table.tableName, placed);
      expect(await table.orders.getOrder(placed.id)).toMatchObject({ id: placed.id });
      const ledger = await table.wallets.listLedger(walletId);
      expect(ledger.map((e) => e.reference)).toEqual(['test', `order:${placed.id}`]);
      const { balance, ledgerSum } = await balanceAndLedger(table, walletId);
      expect(ledgerSum).toBe(balance);
      expect(await pendingIntents(walletId)).toEqual([]);
    }
  });

  it('places the orders of a container alone on its wallet with one transaction each and no intent written', async () => {
    await fundedWallet(table, 'w-alone', '10.00');
    const db = table.newClient();
    const calls: string[] = [];
    db.middlewareStack.add(
      ((next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => (args: unknown) => {
        calls.push(context.commandName);
        return next(args);
      }) as never,
      { step: 'initialize' },
    );
    const alone = container({ orders: new DynamoOrderStore(db, table.tableName, placeByGroupCommit) });
    for (let i = 0; i < 3; i++) await order(alone, 'w-alone', { link: `https://youtube.com/watch?v=alone${i}` });
    expect(calls.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(3);
    expect(calls.filter((c) => c === 'PutItemCommand')).toHaveLength(0);
    expect(await balanceAndLedger(table, 'w-alone')).toEqual({ balance: parseMoney('7.30'), ledgerSum: parseMoney('7.30'), entries: 4 });
  });

  it("places an order once when a lone container's transaction ends in a 500 after the SDK's retries, applied or not", async () => {
    for (const applied of [true, false]) {
      const walletId = applied ? 'w-lost-applied' : 'w-lost-unapplied';
      await fundedWallet(table, walletId, '10.00');
      const db = table.newClient();
      let failed = 0;
      // The caller hears a 500 for its first transaction, which DynamoDB applied (every answer lost) or never did.
      db.middlewareStack.add(
        ((next: (args: unknown) => Promise<unknown>, context: { commandName: string }) => async (args: unknown) => {
          if (context.commandName !== 'TransactWriteItemsCommand' || failed++ > 0) return next(args);
          if (applied) await next(args);
          throw Object.assign(new Error('Internal server error'), { name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
        }) as never,
        { step: 'initialize' },
      );
      const alone = container({ orders: new DynamoOrderStore(db, table.tableName, placeByGroupCommit) });
      const placed = await order(alone, walletId, { link: `https://youtube.com/watch?v=${walletId}` });
      expect(failed).toBeGreaterThan(0);
      const ledger = await table.wallets.listLedger(walletId);
      expect(ledger.map((e) => e.reference)).toEqual(['test', `order:${placed.order.id}`]);
      expect(await balanceAndLedger(table, walletId)).toEqual({ balance: parseMoney('9.10'), ledgerSum: parseMoney('9.10'), entries: 2 });
      expect(await pendingIntents(walletId)).toEqual([]);
    }
  });

  it('refuses, never charges, a copy of an intent written after its order was placed, when the next commit meets it', async () => {
    await fundedWallet(table, 'w-copy', '10.00');
    const placed = newOrder(
      TEST_SERVICE,
      { ownerId: 'owner-w-copy', walletId: 'w-copy', link: 'https://youtube.com/watch?v=copy', quantity: 1000 },
      880_010,
      new Date().toISOString(),
    );
    await placeByGroupCommit(table.newClient(), table.tableName, placed);
    // A lost Put's retry lands after the order was placed: the copy waits in the line, its container gone.
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.orderIntent('w-copy', new Date().toISOString(), placed.id), entity: 'order-intent', orderId: placed.id, order: placed },
      }),
    );
    const next = await order(container(), 'w-copy');
    const ledger = await table.wallets.listLedger('w-copy');
    expect(ledger.map((e) => e.reference)).toEqual(['test', `order:${placed.id}`, `order:${next.order.id}`]);
    expect(await balanceAndLedger(table, 'w-copy')).toEqual({ balance: parseMoney('8.20'), ledgerSum: parseMoney('8.20'), entries: 3 });
    expect(await pendingIntents('w-copy')).toEqual([]);
  });

  it('commits the intents written while its commit was in flight before it answers: one transaction more, no wallet read', async () => {
    await fundedWallet(table, 'w-relay', '10.00');
    const intentOf = (id: number, writtenAt: string) => {
      const o = newOrder(
        TEST_SERVICE,
        { ownerId: 'owner-w-relay', walletId: 'w-relay', link: `https://youtube.com/watch?v=r${id}`, quantity: 1000 },
        id,
        writtenAt,
      );
      return { ...keys.orderIntent('w-relay', writtenAt, o.id), entity: 'order-intent', orderId: o.id, order: o };
    };
    // Another container's intent, written after this one's (by a clock a little ahead), puts this order in the line.
    await table.db.send(new PutCommand({ TableName: table.tableName, Item: intentOf(778_000, new Date(Date.now() + 5000).toISOString()) }));
    const db = table.newClient();
    const calls: string[] = [];
    let written = false;
    db.middlewareStack.add(
      ((next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName: string }) =>
        async (args: { input: Record<string, unknown> }) => {
          const walletRead = context.commandName === 'GetItemCommand' && JSON.stringify(args.input.Key).includes('WALLET#w-relay');
          calls.push(walletRead ? 'wallet read' : context.commandName);
          // Other containers write three intents while this container's commit is in flight (when it reads the line
          // behind its batch), and stop there: only the relay can commit them before this order is answered.
          // The line read behind a commit: whole intents (a look reads keys), more than a commit's own read (24).
          const readBehind = context.commandName === 'QueryCommand' && !args.input.ProjectionExpression && Number(args.input.Limit) > 24;
          if (readBehind && !written) {
            written = true;
            for (const id of [778_001, 778_002, 778_003])
              await table.db.send(new PutCommand({ TableName: table.tableName, Item: intentOf(id, new Date().toISOString()) }));
          }
          return next(args);
        }) as never,
      { step: 'initialize' },
    );
    const placed = await order(container({ orders: new DynamoOrderStore(db, table.tableName, placeByGroupCommit) }), 'w-relay');
    expect(written).toBe(true);
    const ledger = await table.wallets.listLedger('w-relay');
    expect(ledger.map((e) => e.reference)).toEqual(['test', `order:${placed.order.id}`, 'order:778000', 'order:778001', 'order:778002', 'order:778003']);
    expect(await balanceAndLedger(table, 'w-relay')).toEqual({ balance: parseMoney('5.50'), ledgerSum: parseMoney('5.50'), entries: 6 });
    expect(await pendingIntents('w-relay')).toEqual([]);
    // The commit, then the relay's one transaction, started from what was read while the commit was in flight.
    const afterCommit = calls.slice(calls.indexOf('TransactWriteItemsCommand'));
    expect(afterCommit.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(2);
    expect(afterCommit).not.toContain('wallet read');
  });

  it('drops an intent older than a minute instead of charging it: its placer answered an error long ago', async () => {
    await fundedWallet(table, 'w-stale', '10.00');
    const writtenAt = new Date(Date.now() - 2 * 60_000).toISOString();
    const stale = newOrder(
      TEST_SERVICE,
      { ownerId: 'owner-w-stale', walletId: 'w-stale', link: 'https://youtube.com/watch?v=s', quantity: 1000 },
      777_002,
      writtenAt,
    );
    await table.db.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.orderIntent('w-stale', writtenAt, stale.id), entity: 'order-intent', orderId: stale.id, order: stale },
      }),
    );
    const next = await order(container(), 'w-stale');
    expect(await table.orders.getOrder(stale.id)).toBeUndefined();
    const ledger = await table.wallets.listLedger('w-stale');
    expect(ledger.map((e) => e.reference)).toEqual(['test', `order:${next.order.id}`]);
    expect(await balanceAndLedger(table, 'w-stale')).toEqual({ balance: parseMoney('9.10'), ledgerSum: parseMoney('9.10'), entries: 2 });
    expect(await pendingIntents('w-stale')).toEqual([]);
  });
});

// What neither local store shows on its own: AWS cancels a transaction (or refuses a single write) that meets an item
// another transaction is still committing. The in-memory engine emulates it (MemoryDynamo.emulateTransactionConflicts),
// with AWS's round trips in front of it, so that commits, relays, deposits and intents' writes meet it as on AWS.
describe("group commit with AWS's round trips and TransactionConflict emulated (in-memory engine)", () => {
  it('keeps the books exact and answers every order placed or refused for funds while commits and deposits conflict', async () => {
    const table = await createTestTable('memory');
    const env = orderServicesOn(table);
    await table.catalog.putService(TEST_SERVICE);
    // Items held for 14 ms after each transaction commits, of a 15 ms write: a relay's next round (sent once the last
    // has answered) almost never meets its own, anything else close behind a commit does.
    table.memory!.emulateTransactionConflicts(14);
    const awsClient = () =>
      createDocumentClient({ region: 'us-east-1', requestHandler: withAwsLatency(table.memory!.requestHandler, { readMs: 4, writeMs: 15 }) });
    const container = (): PlaceOrderServices => {
      const db = awsClient();
      return {
        ...env.services,
        orders: new DynamoOrderStore(db, table.tableName, placeByGroupCommit),
        orderIds: new BlockOrderIdAllocator(db, table.tableName, 10),
      };
    };
    await fundedWallet(table, 'w-aws', '9.00'); // 10 orders, and 6 deposits of 0.90 on the way: at most 16 of the 40 asked
    const wallets = new DynamoWalletStore(awsClient(), table.tableName);
    const deposits = (async () => {
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 15));
        await wallets.credit({
          walletId: 'w-aws',
          amount: parseMoney('0.90'),
          kind: 'deposit',
          reference: `aws-${i}`,
          idempotencyKey: `aws-${i}`,
          at: new Date().toISOString(),
        });
      }
    })();
    const answers: string[] = [];
    const orders = Promise.all(
      Array.from({ length: 8 }, async () => {
        const services = container();
        for (let i = 0; i < 5; i++) {
          const [result] = await Promise.allSettled([
            placeOrder(services, { ownerId: 'owner-w-aws', walletId: 'w-aws', serviceId: 1, link: 'https://youtube.com/watch?v=aws', quantity: 1000 }),
          ]);
          answers.push(result!.status === 'fulfilled' ? 'accepted' : isDomainError(result!.reason) ? result!.reason.code : String(result!.reason));
        }
      }),
    );
    await Promise.all([orders, deposits]);
    expect(table.memory!.transactionConflicts).toBeGreaterThan(0);
    const accepted = answers.filter((a) => a === 'accepted').length;
    expect(answers.filter((a) => a !== 'accepted' && a !== 'insufficient_funds')).toEqual([]);
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThanOrEqual(16);
    const ledger = await table.wallets.listLedger('w-aws');
    expect(ledger.map((e) => e.seq)).toEqual(Array.from({ length: 7 + accepted }, (_, i) => i + 1));
    expect(ledger.filter((e) => e.kind === 'order_charge')).toHaveLength(accepted);
    const left = micros((16 - accepted) * parseMoney('0.90'));
    expect(await balanceAndLedger(table, 'w-aws')).toEqual({ balance: left, ledgerSum: left, entries: 7 + accepted });
    const intents = (await table.allItems()).filter((item) => item.pk === keys.walletIntents('w-aws'));
    expect(intents).toEqual([]);
  });
});
