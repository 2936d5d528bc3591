// The demo provider over HTTP: every service type's `add` fields, drip-feed and subscription status answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DEMO_SERVICES, type DemoProvider, startDemoProvider } from '../../local/demo-provider/server.js';
import { SERVICE_TYPES } from '../../lambdas/catalog/domain/service-types.js';

const KEY = 'demo-types-key';
let provider: DemoProvider;

beforeAll(async () => {
  // 100x: the normal timeline (20 s) ends in 0.2 s, the slow one (240 s) in 2.4 s.
  provider = await startDemoProvider({ apiKey: KEY, speed: 100, flakyHangMs: 50 });
});

afterAll(async () => {
  await provider.close();
});

async function call(fields: Record<string, string | number>): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new URLSearchParams(Object.entries({ key: KEY, ...fields }).map(([name, value]): [string, string] => [name, String(value)]));
  const response = await fetch(provider.url, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function placed(fields: Record<string, string | number>): Promise<number> {
  const { body } = await call({ action: 'add', ...fields });
  expect(body).toEqual({ order: expect.any(Number) });
  return body.order as number;
}

describe('demo provider service types', () => {
  it('lists one service per type and keeps 101-104 as they were', async () => {
    const { body } = await call({ action: 'services' });
    const list = body as unknown as typeof DEMO_SERVICES;
    expect(new Set(list.map((s) => s.type))).toEqual(new Set(SERVICE_TYPES));
    expect(list.slice(0, 4)).toEqual([
      { service: 101, name: 'YouTube Views', type: 'Default', category: 'YouTube', rate: '0.50', min: '50', max: '1000000', refill: false, cancel: true },
      { service: 102, name: 'Instagram Followers', type: 'Default', category: 'Instagram', rate: '1.20', min: '10', max: '50000', refill: true, cancel: true },
      { service: 103, name: 'TikTok Likes', type: 'Default', category: 'TikTok', rate: '0.20', min: '10', max: '100000', refill: false, cancel: false },
      { service: 104, name: 'Telegram Members', type: 'Default', category: 'Telegram', rate: '0.80', min: '100', max: '20000', refill: true, cancel: true },
    ]);
  });

  it('accepts each type with its own fields', async () => {
    const link = 'https://instagram.com/p/demo';
    const orders: Record<string, string | number>[] = [
      { service: 106, link },
      { service: 107, link, comments: 'a\nb\nc\nd\ne' },
      { service: 108, link, comments: 'nice\ncool' },
      { service: 109, link, quantity: 100, usernames: 'alice\nbob' },
      { service: 110, link, quantity: 100, usernames: 'alice', hashtags: '#fun' },
      { service: 111, link, usernames: Array.from({ length: 10 }, (_, i) => `user${i}`).join('\n') },
      { service: 112, link, quantity: 100, hashtag: '#travel' },
      { service: 113, link, quantity: 100, username: 'natgeo' },
      { service: 114, link, quantity: 100, media: 'https://instagram.com/p/media' },
      { service: 115, link, quantity: 20, username: 'alice' },
      { service: 116, link, username: 'alice', comments: 'r1\nr2\nr3\nr4\nr5' },
      { service: 117, link: 'https://t.me/channel/5', quantity: 50, answer_number: 2 },
      { service: 118, link: 'https://example.com', quantity: 100, keywords: 'buy shoes\nrunning shoes' },
      { service: 119, link: 'https://t.me/channel', quantity: 100, groups: 'https://t.me/a\nhttps://t.me/b' },
      { service: 120, username: 'natgeo', min: 50, max: 100, posts: 3, delay: 0 },
    ];
    const before = provider.orderCount();
    for (const fields of orders) await placed(fields);
    expect(provider.orderCount()).toBe(before + orders.length);
  });

  it('answers like a panel when a type misses its fields', async () => {
    const link = 'https://instagram.com/p/demo';
    expect((await call({ action: 'add', service: 107, link })).body).toEqual({ error: 'Missing field: comments' });
    expect((await call({ action: 'add', service: 109, link, quantity: 100 })).body).toEqual({ error: 'Missing field: usernames' });
    expect((await call({ action: 'add', service: 117, link, quantity: 50 })).body).toEqual({ error: 'Missing field: answer_number' });
    expect((await call({ action: 'add', service: 120, min: 50, max: 100 })).body).toEqual({ error: 'Missing field: username' });
    expect((await call({ action: 'add', service: 107, link, comments: 'just one' })).body).toEqual({ error: 'Quantity less than minimal 5' });
    expect((await call({ action: 'add', service: 101, link, quantity: 100, runs: 2, interval: 5 })).body).toEqual({
      error: 'This service does not support drip-feed',
    });
    expect((await call({ action: 'add', service: 101, link, quantity: 10 })).body).toEqual({ error: 'Quantity less than minimal 50' });
  });

  it('delivers a drip-feed order as runs x quantity and shows its runs', async () => {
    const id = await placed({ service: 105, link: 'https://instagram.com/p/drip', quantity: 100, runs: 4, interval: 30 });
    await pause(400);
    expect((await call({ action: 'status', order: id })).body).toEqual({
      charge: '0.16000',
      start_count: expect.any(String),
      status: 'Completed',
      remains: '0',
      currency: 'USD',
      runs: '4',
    });
  });

  it('shows a running subscription as Active with its posts and expiry, then Completed', async () => {
    const id = await placed({
      service: 120,
      username: 'https://instagram.com/natgeo?codex-test=slow',
      min: 50,
      max: 100,
      posts: 2,
      delay: 30,
      expiry: '31/12/2099',
    });
    await pause(1200);
    expect((await call({ action: 'status', order: id })).body).toMatchObject({ status: 'Active', posts: '2', expiry: '31/12/2099', currency: 'USD' });
    await pause(2000);
    expect((await call({ action: 'status', order: id })).body).toMatchObject({
      status: 'Completed',
      remains: '0',
      charge: '0.12000',
      posts: '2',
      expiry: '31/12/2099',
    });
  });

  it('keeps the scenario hints for other types: partial comments, failing mentions, canceled packages', async () => {
    const partial = await placed({
      service: 107,
      link: 'https://instagram.com/p/x?codex-test=partial',
      comments: Array.from({ length: 10 }, (_, i) => `c${i}`).join('\n'),
    });
    const fail = await call({ action: 'add', service: 109, link: 'https://instagram.com/p/x?codex-test=fail', quantity: 100, usernames: 'alice' });
    const canceled = await placed({ service: 106, link: 'https://instagram.com/p/x?codex-test=cancel' });
    expect(fail.body).toEqual({ error: 'Link is private or does not exist (codex-test=fail)' });
    await pause(400);
    const { body } = await call({ action: 'status', orders: `${partial},${canceled}` });
    expect(body[String(partial)]).toMatchObject({ status: 'Partial', remains: '3', charge: '0.08400' });
    expect(body[String(canceled)]).toMatchObject({ status: 'Canceled', remains: '1', charge: '0.00000' });
  });

  it('still deduplicates on request_id and plays the flaky scenario for other types', async () => {
    const fields = {
      action: 'add',
      service: 112,
      link: 'https://instagram.com/p/f?codex-test=flaky',
      quantity: 100,
      hashtag: '#x',
      request_id: 'types-flaky-1',
    };
    expect(await call(fields)).toEqual({ status: 503, body: { error: 'Service temporarily unavailable' } });
    const second = await call(fields);
    const third = await call(fields);
    expect(second.body).toEqual({ order: expect.any(Number) });
    expect(third.body).toEqual(second.body);
  });
});

describe('demo provider ids named like Object.prototype members', () => {
  it('are unknown ids, answered per id and never as an inherited member', async () => {
    const raw = async (fields: Record<string, string>) =>
      (await fetch(provider.url, { method: 'POST', body: new URLSearchParams({ key: KEY, ...fields }) })).text();
    expect(await raw({ action: 'status', orders: '__proto__,constructor' })).toBe(
      '{"__proto__":{"error":"Incorrect order ID"},"constructor":{"error":"Incorrect order ID"}}',
    );
    expect(JSON.parse(await raw({ action: 'status', order: 'constructor' }))).toEqual({ error: 'Incorrect order ID' });
    expect(JSON.parse(await raw({ action: 'refill', order: 'toString' }))).toEqual({ error: 'Incorrect order ID' });
    expect(JSON.parse(await raw({ action: 'refill_status', refill: 'constructor' }))).toEqual({ error: 'Refill not found' });
    expect(JSON.parse(await raw({ action: 'cancel', orders: 'hasOwnProperty' }))).toMatchObject([{ cancel: { error: 'Incorrect order ID' } }]);
  });
});
