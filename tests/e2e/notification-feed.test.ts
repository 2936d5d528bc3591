// The cabinet's notification feed over HTTP on the local stack: a customer's demo top-up and the order it pays for
// reach the feed through the stream, the bus and recordNotifications; the customer pages through it, marks some and
// then all read; a reseller (with its API key) neither sees nor marks the customer's notifications.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { v1Client } from '../support/v1-client.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 300 });
});

afterAll(async () => {
  await stack?.stop();
});

const call = v1Client(() => stack.v1Url);
const asReseller = () => ({ headers: { 'x-api-key': stack.reseller.apiKey } });

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Feed {
  items: { id: string; type: string; title: string; text: string; at: string; read: boolean; orderId?: number; topUpId?: string }[];
  unread: number;
  nextCursor: string | null;
}

describe('the notification feed', () => {
  it('shows a customer’s deposit and completed order newest first, pages, marks read, and keeps each user to their own', async () => {
    const login = await call('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
    expect(login.status).toBe(200);
    const token = login.body.accessToken as string;
    const feed = async (query = '') => {
      const answer = await call('GET', `/notifications${query}`, { token });
      expect(answer.status).toBe(200);
      return answer.body as Feed;
    };

    const topUp = await call('POST', '/top-ups', { token, body: { amount: '25.00', method: 'demo' } });
    expect(topUp.status).toBe(201);
    const paid = await fetch(`${topUp.body.checkoutUrl}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(paid.status).toBe(200);
    const deposit = await until(async () => (await feed()).items.find((n) => n.topUpId === topUp.body.id));
    expect(deposit).toMatchObject({ type: 'deposit.credited', title: 'Deposit of 25.00 USD credited', read: false });

    const placed = await call('POST', '/orders', { token, body: { service: '1', link: 'https://youtube.com/watch?v=feed', quantity: 100 } });
    expect(placed.status).toBe(201);
    const orderId = Number(placed.body.id);
    const completed = await until(async () => (await feed()).items.find((n) => n.orderId === orderId && n.type === 'order.completed'), 90_000);
    expect(completed.title).toBe(`Order ${orderId} completed`);
    await stack.queues.drained();

    // Newest first, one a page, the cursor leading to the older one.
    const all = await feed();
    expect(all.items.map((n) => n.id)).toEqual([completed.id, deposit.id]);
    expect(all.unread).toBe(2);
    const first = await feed('?limit=1');
    expect(first.items.map((n) => n.id)).toEqual([completed.id]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await feed(`?limit=1&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ items: [{ id: deposit.id }], unread: 2, nextCursor: null });
    expect(stack.queues.deadLetters).toEqual([]);

    // Another user sees none of it and cannot mark it.
    const theirs = await call('GET', '/notifications', asReseller());
    expect(theirs.status).toBe(200);
    expect((theirs.body as Feed).items.map((n) => n.id)).not.toContain(deposit.id);
    const theirMark = await call('POST', '/notifications/read', { ...asReseller(), body: { ids: [deposit.id, completed.id] } });
    expect(theirMark.status).toBe(200);
    expect((await feed()).unread).toBe(2);
    expect((await call('POST', '/notifications/read', { ...asReseller(), body: { all: true } })).status).toBe(200);
    expect((await feed()).unread).toBe(2);

    // Marking one, twice, then all.
    for (let i = 0; i < 2; i++) {
      const marked = await call('POST', '/notifications/read', { token, body: { ids: [deposit.id] } });
      expect(marked).toMatchObject({ status: 200, body: { unread: 1 } });
    }
    expect((await feed()).items.map((n) => [n.id, n.read])).toEqual([
      [completed.id, false],
      [deposit.id, true],
    ]);
    expect((await call('POST', '/notifications/read', { token, body: { all: true } })).body).toEqual({ unread: 0 });
    const after = await feed();
    expect(after.unread).toBe(0);
    expect(after.items.every((n) => n.read)).toBe(true);
  }, 180_000);

  it('answers wrong input with 400 naming the field, and no caller with 401', async () => {
    const login = await call('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
    const token = login.body.accessToken as string;
    const cases: [unknown, string][] = [
      [{ ids: [] }, 'ids'],
      [{ ids: [42] }, 'ids.0'],
      [{ ids: Array.from({ length: 101 }, (_, i) => `evt_${i}`) }, 'ids'],
      [{ all: false }, 'all'],
      [{}, 'ids'],
      [{ ids: ['evt_1'], all: true }, 'all'],
    ];
    for (const [body, field] of cases) {
      const answer = await call('POST', '/notifications/read', { token, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error, JSON.stringify(body)).toMatchObject({ code: 'invalid_request', field });
    }
    const badCursor = await call('GET', '/notifications?cursor=bm9wZQ', { token });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error).toMatchObject({ code: 'invalid_request', field: 'cursor' });
    expect((await call('GET', '/notifications?limit=500', { token })).body.error).toMatchObject({ field: 'limit' });
    expect((await call('GET', '/notifications')).status).toBe(401);
  });
});
