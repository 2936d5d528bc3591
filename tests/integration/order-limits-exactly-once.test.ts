// The active-orders count (MAX_ACTIVE_ORDERS) is taken in the order's own transaction and given back in its
// settlement's: whatever fails or stops in between, a place is neither kept by an order that is gone nor freed
// while its order still runs. Failures are injected into the DynamoDB client the stores use.
import { placeByGroupCommit } from '../../lambdas/adapters/dynamodb/group-commit.js';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoOrderLimits } from '../../lambdas/adapters/dynamodb/order-limits.js';
import { DynamoOrderStore } from '../../lambdas/adapters/dynamodb/order-store.js';
import { finalizeOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import type { OrderLimits } from '../../lambdas/orders/ports.js';
import { isDomainError } from '../../lambdas/shared/errors.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
  await table.catalog.putService(TEST_SERVICE);
});

type Send = (command: unknown) => Promise<unknown>;

/** The table's client, with `send` going through `intercept` (which may call the real one, or not). */
function clientWith(intercept: (command: unknown, real: Send) => Promise<unknown>): TestTable['db'] {
  const real: Send = (command) => table.db.send(command as never);
  const db = Object.create(table.db) as TestTable['db'];
  db.send = ((command: unknown) => intercept(command, real)) as TestTable['db']['send'];
  return db;
}

const isActiveCount = (key: unknown) => (key as { sk?: string } | undefined)?.sk === 'ACTIVE';
const placesOrder = (command: unknown) =>
  command instanceof TransactWriteCommand && (command.input.TransactItems ?? []).some((item) => item.Put?.Item?.entity === 'order');

async function activeCount(owner: string): Promise<number | undefined> {
  const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: `LIMIT#${owner}`, sk: 'ACTIVE' }, ConsistentRead: true }));
  return Item === undefined ? undefined : Number(Item.count);
}

function servicesFor(db: TestTable['db'], limits: OrderLimits | undefined) {
  const base = orderServicesOn(table).services;
  return { ...base, orders: new DynamoOrderStore(db, table.tableName, placeByGroupCommit), ...(limits ? { limits } : {}) };
}

const request = (owner: string, n: number) => ({
  ownerId: owner,
  walletId: `w-${owner}`,
  serviceId: 1,
  link: `https://youtube.com/watch?v=${owner}${n}`,
  quantity: 100,
});

/** The order completes and settles (with the placing side's limits, as a settling function would have them). */
async function complete(order: Order, limits: OrderLimits | undefined, db: TestTable['db'] = table.db): Promise<void> {
  await table.orders.recordSubmitted(order, `ext-${order.id}`, new Date().toISOString());
  await table.orders.recordProgress(order.id, { status: 'Completed', remains: 0 }, new Date().toISOString());
  await finalizeOrder(servicesFor(db, limits), order.id);
}

describe('the active-orders count', () => {
  it('keeps no place for an order that failed, even when giving back what was reserved fails too', async () => {
    await fundedWallet(table, 'w-failing', '10.00');
    const real = new DynamoOrderLimits(table.db, table.tableName, { maxActiveOrders: 1, maxDailySpend: parseMoney('5.00'), currency: 'USD' });
    const flaky: OrderLimits = Object.assign(Object.create(real) as OrderLimits, {
      release: async () => {
        throw new Error('the process stopped here');
      },
    });
    const broken = clientWith(async (command, send) => {
      if (placesOrder(command)) throw Object.assign(new Error('connection reset'), { name: 'NetworkingError' });
      return send(command);
    });
    const failed = await placeOrder(servicesFor(broken, flaky), request('failing', 1)).catch((e: unknown) => e);
    expect((failed as Error).message).toBe('connection reset');
    expect((await activeCount('failing')) ?? 0).toBe(0);
    // The one place is free: the next order is taken.
    await expect(placeOrder(servicesFor(table.db, real), request('failing', 2))).resolves.toMatchObject({ replayed: false });
  });

  it('gives the place back with the settlement, so a settlement that stops right after it frees the place anyway', async () => {
    await fundedWallet(table, 'w-settling', '10.00');
    const limits = new DynamoOrderLimits(table.db, table.tableName, { maxActiveOrders: 1, currency: 'USD' });
    const { order } = await placeOrder(servicesFor(table.db, limits), request('settling', 1));
    expect(await activeCount('settling')).toBe(1);
    // Anything written to the count apart from the settlement's own write is lost, as if the process stopped there.
    const stopsAfterSettling = clientWith(async (command, send) => {
      if (command instanceof UpdateCommand && isActiveCount(command.input.Key)) throw new Error('the process stopped here');
      return send(command);
    });
    const settlingLimits = new DynamoOrderLimits(stopsAfterSettling, table.tableName, { maxActiveOrders: 1, currency: 'USD' });
    await complete(order, settlingLimits, stopsAfterSettling).catch(() => undefined);
    await finalizeOrder(servicesFor(table.db, limits), order.id); // the workflow's rerun
    expect(await activeCount('settling')).toBe(0);
    await expect(placeOrder(servicesFor(table.db, limits), request('settling', 2))).resolves.toMatchObject({ replayed: false });
  });

  it('keeps the place of an order whose transaction committed though the call failed and was retried', async () => {
    await fundedWallet(table, 'w-retried', '10.00');
    const limits = new DynamoOrderLimits(table.db, table.tableName, { maxActiveOrders: 1, currency: 'USD' });
    let first = true;
    const retrying = clientWith(async (command, send) => {
      if (first && placesOrder(command)) {
        first = false;
        await send(command); // committed, but the answer is lost: the retry finds the order already there
        return send(new TransactWriteCommand((command as TransactWriteCommand).input));
      }
      return send(command);
    });
    const placed = await placeOrder(servicesFor(retrying, limits), request('retried', 1));
    expect(placed).toMatchObject({ replayed: false, order: { ownerId: 'retried' } });
    expect(await table.orders.getOrder(placed.order.id)).toBeDefined();
    expect(await activeCount('retried')).toBe(1);
    const refused = await placeOrder(servicesFor(table.db, limits), request('retried', 2)).catch((e: unknown) => e);
    expect(isDomainError(refused, 'active_orders_limit')).toBe(true);
    await complete(placed.order, limits);
    expect(await activeCount('retried')).toBe(0);
  });

  it('costs nothing while the limit is off: no count written, a settlement without refund stays one UpdateItem', async () => {
    await fundedWallet(table, 'w-off', '10.00');
    const sent: string[] = [];
    const recording = clientWith(async (command, send) => {
      sent.push((command as object).constructor.name);
      return send(command);
    });
    const { order } = await placeOrder(servicesFor(recording, undefined), request('off', 1));
    expect(order.activeCounted).toBeUndefined();
    sent.length = 0;
    await complete(order, undefined, recording);
    expect(sent.filter((name) => name !== 'GetCommand')).toEqual(['UpdateCommand']);
    expect(await activeCount('off')).toBeUndefined();
  });
});
