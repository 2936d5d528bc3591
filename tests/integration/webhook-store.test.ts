// Reseller webhooks and their delivery records on DynamoDB Local.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoWebhookStore } from '../../lambdas/adapters/dynamodb/webhook-store.js';
import { newDeliveryId } from '../../lambdas/notifications/domain/webhooks.js';
import type { StoredWebhook } from '../../lambdas/notifications/ports.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';

let table: TestTable;
let store: DynamoWebhookStore;
beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoWebhookStore(table.db, table.tableName);
});

const webhook = (userId: string): StoredWebhook => ({
  userId,
  url: 'https://example.com/hook',
  events: ['order.completed'],
  secret: 'v1.sealed',
  createdAt: '2026-12-01T07:00:00.000Z',
  updatedAt: '2026-12-01T07:00:00.000Z',
  health: { consecutiveFailures: 0 },
  disabled: false,
});

describe('the webhook store', () => {
  it('keeps one webhook per user, reads it back and removes it', async () => {
    await store.put(webhook('u1'));
    expect(await store.get('u1')).toEqual(webhook('u1'));
    expect(await store.get('u2')).toBeUndefined();
    expect(await store.remove('u1')).toBe(true);
    expect(await store.remove('u1')).toBe(false);
    expect(await store.get('u1')).toBeUndefined();
  });

  it('lists deliveries newest first, a page at a time, each user only their own, expiring after 30 days', async () => {
    const base = Date.parse('2026-12-01T07:00:00.000Z');
    for (let i = 0; i < 5; i++) {
      const at = new Date(base + i * 1000);
      await store.recordDelivery('u3', {
        id: newDeliveryId(at, randomBytes(5)),
        eventId: `evt_${i}`,
        type: 'webhook.test',
        at: at.toISOString(),
        status: 200,
        latencyMs: 3,
        attempt: 1,
        body: '{}',
      });
    }
    const first = await store.listDeliveries('u3', { limit: 3 });
    expect(first.items.map((d) => d.eventId)).toEqual(['evt_4', 'evt_3', 'evt_2']);
    expect(first.items[0]).toMatchObject({ type: 'webhook.test', status: 200, attempt: 1, body: '{}' });
    const second = await store.listDeliveries('u3', { limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((d) => d.eventId)).toEqual(['evt_1', 'evt_0']);
    expect(second.nextCursor).toBeNull();
    expect((await store.listDeliveries('u4', { limit: 3 })).items).toEqual([]);
    await expect(store.listDeliveries('u3', { limit: 3, cursor: 'bm9wZQ' })).rejects.toThrow(/cursor/);
    const item = (await table.allItems()).find((i) => String(i.sk).startsWith('WHDELIVERY#'));
    expect(item?.expiresAt).toBe(Math.floor(base / 1000) + 30 * 24 * 3600);
  });
});
