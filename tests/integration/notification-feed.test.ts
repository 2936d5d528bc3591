// The notification feed on DynamoDB Local: one notification per event id, newest first by the event's time whatever
// the arrival order, and an unread count that stays exact through redeliveries, late arrivals, marks (some, all,
// concurrent) and notifications leaving the feed after 90 days.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoNotificationFeed } from '../../lambdas/adapters/dynamodb/notification-feed-store.js';
import { keys } from '../../lambdas/adapters/dynamodb/keys.js';
import type { FeedNotification } from '../../lambdas/notifications/domain/notification-feed.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';

let table: TestTable;
let now = new Date('2026-12-01T12:00:00.000Z');
let feed: DynamoNotificationFeed;
beforeAll(async () => {
  table = await createTestTable();
  feed = new DynamoNotificationFeed(table.db, table.tableName, { now: () => now });
});

const MINUTE = 60_000;
const base = Date.parse('2026-12-01T10:00:00.000Z');
const note = (userId: string, n: number, at = new Date(base + n * MINUTE).toISOString()): FeedNotification => ({
  id: `evt_${userId}_${n}`,
  userId,
  type: 'order.completed',
  title: `Order ${n} completed`,
  text: '100 delivered to https://example.com/p.',
  at,
  orderId: n,
});

/** The whole feed, page by page, and the unread count the last page gave. */
async function everything(userId: string, limit = 3) {
  const items: { id: string; read: boolean; at: string }[] = [];
  let cursor: string | undefined;
  let unread = 0;
  do {
    const page = await feed.list(userId, { limit, ...(cursor ? { cursor } : {}) });
    items.push(...page.items.map(({ id, read, at }) => ({ id, read, at })));
    unread = page.unread;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { items, unread, unreadShown: items.filter((i) => !i.read).length };
}

describe('the notification feed', () => {
  it('keeps one notification per event id: a redelivery writes nothing and counts nothing', async () => {
    expect(await feed.add(note('dup', 1))).toBe('added');
    expect(await feed.add(note('dup', 1))).toBe('duplicate');
    await Promise.all([feed.add(note('dup', 2)), feed.add(note('dup', 2)), feed.add(note('dup', 2))]);
    const page = await feed.list('dup', { limit: 10 });
    expect(page.items.map((i) => i.id)).toEqual(['evt_dup_2', 'evt_dup_1']);
    expect(page.items[0]).toMatchObject({ type: 'order.completed', title: 'Order 2 completed', orderId: 2, read: false });
    expect(page.unread).toBe(2);
    const stored = (await table.allItems()).find((i) => i.sk === keys.notification('dup', note('dup', 1).at, 'evt_dup_1').sk);
    // Kept 90 whole days after the event's day, then the table's TTL removes it.
    expect(stored?.expiresAt).toBe(Date.parse('2026-12-01T00:00:00.000Z') / 1000 + 91 * 86_400);
  });

  it('lists newest first by the time of the event, not of arrival, a page at a time, each user only their own', async () => {
    for (const n of [3, 1, 5, 2, 4]) await feed.add(note('order', n));
    await feed.add(note('someone-else', 9));
    const { items, unread } = await everything('order', 2);
    expect(items.map((i) => i.id)).toEqual(['evt_order_5', 'evt_order_4', 'evt_order_3', 'evt_order_2', 'evt_order_1']);
    expect(unread).toBe(5);
    await expect(feed.list('order', { limit: 2, cursor: 'bm9wZQ' })).rejects.toThrow(/cursor/);
  });

  it('marks some read: unknown ids and other users’ are ignored, marking twice changes nothing', async () => {
    for (let n = 1; n <= 4; n++) await feed.add(note('some', n));
    await feed.add(note('other', 1));
    expect(await feed.markRead('some', ['evt_some_1', 'evt_some_3', 'evt_nope', 'evt_other_1'])).toBe(2);
    expect(await feed.markRead('some', ['evt_some_1', 'evt_some_3'])).toBe(2);
    expect(await feed.markRead('some', ['evt_some_3', 'evt_some_4'])).toBe(1);
    const { items, unread } = await everything('some');
    expect(items.map((i) => [i.id, i.read])).toEqual([
      ['evt_some_4', true],
      ['evt_some_3', true],
      ['evt_some_2', false],
      ['evt_some_1', true],
    ]);
    expect(unread).toBe(1);
    expect((await feed.list('other', { limit: 5 })).items[0]?.read).toBe(false);
  });

  it('marks all read in one write; a late event from before that point arrives read, a newer one unread', async () => {
    for (let n = 1; n <= 5; n++) await feed.add(note('all', n * 10));
    await feed.markRead('all', ['evt_all_20']);
    expect(await feed.markAllRead('all')).toBe(0);
    expect(await feed.markAllRead('all')).toBe(0);
    expect((await everything('all')).unreadShown).toBe(0);

    // Delivered late, about something before the newest notification the user had when marking all.
    expect(await feed.add(note('all', 15))).toBe('added');
    expect(await feed.add(note('all', 60))).toBe('added');
    const { items, unread } = await everything('all');
    expect(items.find((i) => i.id === 'evt_all_15')?.read).toBe(true);
    expect(items.find((i) => i.id === 'evt_all_60')?.read).toBe(false);
    expect(unread).toBe(1);
    expect(await feed.markRead('all', ['evt_all_15', 'evt_all_30'])).toBe(1);
    expect(await feed.markRead('all', ['evt_all_60'])).toBe(0);
  });

  it('keeps the count exact under concurrent marks, marks all and inserts arriving out of order', async () => {
    const user = 'race';
    const order = Array.from({ length: 40 }, (_, i) => (i * 17) % 40);
    await Promise.all(order.slice(0, 20).map((n) => feed.add(note(user, n))));
    const ids = (ns: number[]) => ns.map((n) => `evt_${user}_${n}`);
    await Promise.all([
      ...order.slice(20).map((n) => feed.add(note(user, n))),
      ...order.slice(0, 20).map((n) => feed.add(note(user, n))),
      feed.markRead(user, ids([0, 1, 2, 3, 4, 5])),
      feed.markRead(user, ids([3, 4, 5, 6, 7, 8])),
      feed.markRead(user, ids([8, 30, 31, 32, 33])),
      feed.markRead(user, ids([0, 33, 39])),
      feed.markAllRead(user),
      feed.markRead(user, ids([12, 13, 14, 35, 36])),
    ]);
    const after = await everything(user, 7);
    expect(after.items).toHaveLength(40);
    expect(after.unread).toBe(after.unreadShown);
    expect(after.unread).toBeGreaterThanOrEqual(0);

    await Promise.all([feed.markRead(user, ids(order.slice(0, 25))), feed.markRead(user, ids(order.slice(15))), feed.markAllRead(user)]);
    const done = await everything(user, 7);
    expect(done.unread).toBe(0);
    expect(done.unreadShown).toBe(0);
  });

  it('drops notifications older than 90 days from the feed and the count, and refuses events that old', async () => {
    const user = 'old';
    await feed.add(note(user, 1, '2026-12-01T09:00:00.000Z'));
    await feed.add(note(user, 2, '2026-12-20T09:00:00.000Z'));
    await feed.add(note(user, 3, '2026-12-20T10:00:00.000Z'));
    expect((await feed.list(user, { limit: 5 })).unread).toBe(3);
    const saved = now;
    try {
      now = new Date('2027-03-02T00:00:00.000Z'); // 91 days after Dec 1: Dec 1 has left the window.
      expect(await feed.add(note(user, 4, '2026-12-01T11:00:00.000Z'))).toBe('expired');
      const page = await feed.list(user, { limit: 5 });
      expect(page.items.map((i) => i.id)).toEqual(['evt_old_3', 'evt_old_2']);
      expect(page.unread).toBe(2);
      // The gone day's count is tidied away by that reading.
      const counts = (await table.allItems()).find((i) => i.pk === 'USER#old' && i.sk === 'NOTIFICATIONS');
      expect(counts).not.toHaveProperty('u20261201');
      expect(counts).toHaveProperty('u20261220', 2);
      expect(await feed.markRead(user, ['evt_old_1', 'evt_old_2'])).toBe(1);
    } finally {
      now = saved;
    }
  });
});
