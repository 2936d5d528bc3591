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
  it('gives ids asked for without an owner consecutively from the shared block, with one counter write per block', async () => {
    const ids = container('ownerless');
    const taken = [];
    for (let i = 0; i < 120; i++) taken.push(await ids.next());
    expect(taken).toEqual(Array.from({ length: 120 }, (_, i) => 10_000 + i));
    const counter = (await table.allItems()).find((item) => item.pk === 'COUNTER#ownerless');
    expect(counter?.value).toBe(10_199);
  });

  it("gives each owner pages of its own from its first order, so an owner's orders sit together", async () => {
    const ids = container('busy');
    const busy: number[] = [];
    const others: number[] = [];
    const ownerless: number[] = [];
    for (let i = 0; i < 120; i++) {
      busy.push(await ids.next('reseller'));
      others.push(await ids.next('other-reseller'));
      ownerless.push(await ids.next());
    }
    // Consecutive ids from page-aligned blocks that hold only this owner's orders.
    expect(busy.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => busy[0]! + i));
    expect(busy[0]! % ORDER_PAGE_SIZE).toBe(0);
    const pagesOf = (list: number[]) => new Set(list.map((id) => Math.floor(id / ORDER_PAGE_SIZE)));
    expect(pagesOf(busy).size).toBe(2);
    const busyPages = pagesOf(busy);
    expect([...others, ...ownerless].some((id) => busyPages.has(Math.floor(id / ORDER_PAGE_SIZE)))).toBe(false);
  });

  it('never hands out an id twice, across containers and under concurrency', async () => {
    const containers = [container('shared-counter'), container('shared-counter', { maxOwners: 2 }), container('shared-counter', { ownBlockAfter: 3 })];
    const all = await Promise.all(Array.from({ length: 900 }, (_, i) => containers[i % 3]!.next(i % 7 === 0 ? undefined : `owner-${i % 5}`)));
    expect(new Set(all).size).toBe(900);
    expect(Math.min(...all)).toBe(10_000);
  });
});
