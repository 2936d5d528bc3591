// The wallet bench's lease candidate (bench/lease-hot-path.ts) places what it is asked to from leases of the wallet,
// and its books check holds the wallet and every lease to their entries: its figures in docs/wallet-concurrency.md
// count orders whose money was accounted for. On the in-memory engine, each container with its own client.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { leaseBooksExact, leaseHotPath } from '../../../bench/lease-hot-path.js';
import { createDocumentClient } from '../../../lambdas/adapters/dynamodb/client.js';
import { BlockOrderIdAllocator } from '../../../lambdas/adapters/dynamodb/order-id-allocator.js';
import { DynamoOrderStore } from '../../../lambdas/adapters/dynamodb/order-store.js';
import { type PlaceOrderServices, placeOrder } from '../../../lambdas/orders/application/place-order.js';
import { isDomainError } from '../../../lambdas/shared/errors.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet, orderServicesOn } from '../../support/dynamo-table.js';

describe('the wallet bench lease candidate', () => {
  let table: TestTable;
  let env: ReturnType<typeof orderServicesOn>;

  beforeAll(async () => {
    table = await createTestTable('memory');
    env = orderServicesOn(table);
    await table.catalog.putService(TEST_SERVICE);
  });

  const container = (ordersPerLease: number, db = table.newClient()): PlaceOrderServices => {
    return {
      ...env.services,
      orders: new DynamoOrderStore(db, table.tableName, leaseHotPath(ordersPerLease)),
      orderIds: new BlockOrderIdAllocator(db, table.tableName, 10),
    };
  };

  const place = (services: PlaceOrderServices, walletId: string, i: number) =>
    placeOrder(services, { ownerId: `owner-${walletId}`, walletId, serviceId: 1, link: `https://youtube.com/watch?v=lease${i}`, quantity: 1000 });

  const leasesOf = async (walletId: string) => (await table.allItems()).filter((item) => item.entity === 'lease' && item.walletId === walletId);

  it('places every order of 4 containers from their own leases, with the wallet and each lease summing to their entries', async () => {
    await fundedWallet(table, 'w-lease', '100.00');
    const containers = Array.from({ length: 4 }, () => container(5));
    await Promise.all(
      containers.map(async (c, k) => {
        for (let i = 0; i < 12; i++) await place(c, 'w-lease', k * 12 + i);
      }),
    );
    // 12 orders of 0.90 from leases of 5: three leases a container, the last one with 3 orders' worth left.
    const leases = await leasesOf('w-lease');
    expect(leases).toHaveLength(12);
    expect(await leaseBooksExact(table.newClient(), table.tableName, 'w-lease', 48)).toBe(true);
    const { Item: wallet } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: 'WALLET#w-lease', sk: 'WALLET' } }));
    const leased = leases.reduce((sum, lease) => sum + Number(lease.remaining), 0);
    // What the customer has: the wallet's balance and what is left in the leases, 100.00 less 48 orders of 0.90.
    expect(Number(wallet!.balance) + leased).toBe(100_000_000 - 48 * 900_000);
    expect(leased).toBe(4 * 3 * 900_000);
  });

  it('leases what a wallet short of a whole lease has, and refuses an order only when the wallet is short of it', async () => {
    await fundedWallet(table, 'w-small', '2.00');
    const c = container(5);
    await place(c, 'w-small', 0);
    await place(c, 'w-small', 1);
    // 2.00 leased, two orders of 0.90 spent: 0.20 left in the lease, none in the wallet, and the third is refused.
    await expect(place(c, 'w-small', 2)).rejects.toSatisfy((error) => isDomainError(error, 'insufficient_funds'));
    const leases = await leasesOf('w-small');
    expect(leases.map((lease) => Number(lease.remaining))).toEqual([200_000]);
    expect(await leaseBooksExact(table.newClient(), table.tableName, 'w-small', 2)).toBe(true);
  });

  it('finds books that do not add up: a lease whose money moved without an entry, or an order counted that it did not charge', async () => {
    await fundedWallet(table, 'w-tampered', '10.00');
    const c = container(3);
    for (let i = 0; i < 4; i++) await place(c, 'w-tampered', i);
    expect(await leaseBooksExact(table.newClient(), table.tableName, 'w-tampered', 4)).toBe(true);
    expect(await leaseBooksExact(table.newClient(), table.tableName, 'w-tampered', 5)).toBe(false);
    const [lease] = await leasesOf('w-tampered');
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: lease!.pk, sk: 'LEASE' },
        UpdateExpression: 'SET remaining = remaining + :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    expect(await leaseBooksExact(table.newClient(), table.tableName, 'w-tampered', 4)).toBe(false);
  });

  it('goes on spending its lease after a transaction whose answer was lost, and answers an order it did place as placed', async () => {
    await fundedWallet(table, 'w-lost', '10.00');
    // A network that loses the answer of the next TransactWriteItems after the engine applied it.
    let loseNext = false;
    const inner = table.memory!.requestHandler as unknown as { handle: (request: { headers: Record<string, string> }, ...rest: unknown[]) => Promise<unknown> };
    const losing = new Proxy(inner, {
      get: (target, property, receiver) => {
        if (property === 'handle')
          return async (request: { headers: Record<string, string> }, ...rest: unknown[]) => {
            const answer = await target.handle(request, ...rest);
            if (loseNext && request.headers['x-amz-target']?.endsWith('.TransactWriteItems')) {
              loseNext = false;
              throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
            }
            return answer;
          };
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const c = container(5, createDocumentClient({ region: 'us-east-1', requestHandler: losing, maxAttempts: 1 }));
    await place(c, 'w-lost', 0);
    loseNext = true;
    await place(c, 'w-lost', 1); // committed, its answer lost: placed all the same
    await place(c, 'w-lost', 2);
    await place(c, 'w-lost', 3);
    expect(await leasesOf('w-lost')).toHaveLength(1);
    expect(await leaseBooksExact(table.newClient(), table.tableName, 'w-lost', 4)).toBe(true);
  });
});
