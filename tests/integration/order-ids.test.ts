// Order ids from the block allocator, on DynamoDB Local: unique across containers, and close together per busy owner.
import { beforeAll, describe, expect, it } from 'vitest';
import { BlockOrderIdAllocator } from '../../lambdas/adapters/dynamodb/order-id-allocator.js';
import { ORDER_PAGE_SIZE } from '../../lambdas/adapters/dynamodb/keys.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';

let table: TestTable;
beforeAll(async () => {
  table = await createTestTable();
});

const container = (counterName: string, options: { ownBlockAfter?: number; maxOwners?: number } = {}) =>
  new BlockOrderIdAllocator(table.db, table.tableName, 100, { counterName, ...options });

describe('order ids', () => {
  it('gives occasional owners consecutive ids from the shared block, with no write of their own', async () => {
    const ids = container('occasional');
    const taken = [];
    for (let i = 0; i < 20; i++) taken.push(await ids.next(`customer-${i}`));
    expect(taken).toEqual(Array.from({ length: 20 }, (_, i) => 10_000 + i));
  });

  it('gives an owner who orders often a page of its own, so its orders sit together', async () => {
    const ids = container('busy');
    const busy: number[] = [];
    const others: number[] = [];
    for (let i = 0; i < 120; i++) {
      busy.push(await ids.next('reseller'));
      others.push(await ids.next(`customer-${i}`));
    }
    // The first five come from the shared block; then whole pages that hold only the reseller's orders.
    expect(busy.slice(0, 5)).toEqual([10_000, 10_002, 10_004, 10_006, 10_008]);
    const own = busy.slice(5);
    expect(own.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => own[0]! + i));
    expect(own[0]! % ORDER_PAGE_SIZE).toBe(0);
    const ownPages = new Set(own.map((id) => Math.floor(id / ORDER_PAGE_SIZE)));
    expect(others.some((id) => ownPages.has(Math.floor(id / ORDER_PAGE_SIZE)))).toBe(false);
  });

  it('never hands out an id twice, across containers and under concurrency', async () => {
    const containers = [container('shared-counter'), container('shared-counter', { maxOwners: 2 }), container('shared-counter', { ownBlockAfter: 0 })];
    const all = await Promise.all(
      Array.from({ length: 900 }, (_, i) => containers[i % 3]!.next(i % 7 === 0 ? undefined : `owner-${i % 5}`)),
    );
    expect(new Set(all).size).toBe(900);
    expect(Math.min(...all)).toBe(10_000);
  });
});
