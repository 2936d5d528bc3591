// Every service type end to end: `add` over HTTP with the type's own fields, the demo provider fulfils it,
// `status` shows it in the panel shape, and the charge is exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { v2 } from '../support/local-process.js';

let stack: LocalStack;
let key: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 200, retryDelayMs: 100 });
  // A key of its own with room for the polling below; the demo key keeps the default 120 requests a minute.
  key = (
    await stack.deps.keyManagement.createApiKey(stack.reseller.id, stack.reseller.walletId, { label: 'types test', limits: { requestsPerMinute: 10_000 } })
  ).key;
});

afterAll(async () => {
  await stack?.stop();
});

const lines = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join('\n');
const nextYear = `01/01/${new Date().getUTCFullYear() + 1}`;

const CASES: { type: string; service: number; fields: Record<string, string>; charge: string; extras?: Record<string, string> }[] = [
  { type: 'Default', service: 1, fields: { link: 'https://youtube.com/watch?v=t1', quantity: '100' }, charge: '0.09000' },
  {
    type: 'Default with drip-feed',
    service: 5,
    fields: { link: 'https://instagram.com/p/t5', quantity: '100', runs: '3', interval: '5' },
    charge: '0.21000',
    extras: { runs: '3' },
  },
  { type: 'Package', service: 6, fields: { link: 'https://instagram.com/stories/t6' }, charge: '4.00000' },
  { type: 'Custom Comments', service: 7, fields: { link: 'https://instagram.com/p/t7', comments: lines('nice ', 5) }, charge: '0.10000' },
  { type: 'Custom Comments Package', service: 8, fields: { link: 'https://instagram.com/p/t8', comments: lines('wow ', 3) }, charge: '6.00000' },
  { type: 'Mentions', service: 9, fields: { link: 'https://instagram.com/p/t9', quantity: '100', usernames: lines('user', 3) }, charge: '0.90000' },
  {
    type: 'Mentions with Hashtags',
    service: 10,
    fields: { link: 'https://instagram.com/p/t10', quantity: '100', usernames: lines('user', 2), hashtags: '#one\n#two' },
    charge: '1.00000',
  },
  { type: 'Mentions Custom List', service: 11, fields: { link: 'https://instagram.com/p/t11', usernames: lines('user', 10) }, charge: '0.12000' },
  { type: 'Mentions Hashtag', service: 12, fields: { link: 'https://instagram.com/p/t12', quantity: '100', hashtag: '#travel' }, charge: '0.95000' },
  { type: 'Mentions User Followers', service: 13, fields: { link: 'https://instagram.com/p/t13', quantity: '100', username: 'someone' }, charge: '0.95000' },
  {
    type: 'Mentions Media Likers',
    service: 14,
    fields: { link: 'https://instagram.com/p/t14', quantity: '100', media: 'https://instagram.com/p/media14' },
    charge: '0.95000',
  },
  { type: 'Comment Likes', service: 15, fields: { link: 'https://instagram.com/p/t15', quantity: '20', username: 'commenter' }, charge: '0.09000' },
  {
    type: 'Comment Replies',
    service: 16,
    fields: { link: 'https://instagram.com/p/t16', username: 'commenter', comments: lines('reply ', 5) },
    charge: '0.11000',
  },
  { type: 'Poll', service: 17, fields: { link: 'https://t.me/channel/17', quantity: '50', answer_number: '2' }, charge: '0.08000' },
  { type: 'SEO', service: 18, fields: { link: 'https://example.com/page', quantity: '100', keywords: 'buy shoes\ncheap shoes' }, charge: '0.32000' },
  {
    type: 'Invites from Groups',
    service: 19,
    fields: { link: 'https://t.me/mygroup', quantity: '100', groups: 'https://t.me/a\nhttps://t.me/b' },
    charge: '1.30000',
  },
  {
    type: 'Subscriptions',
    service: 20,
    fields: { username: 'someone', min: '50', max: '100', posts: '2', delay: '0', expiry: nextYear },
    charge: '0.18000',
    extras: { posts: '2', expiry: nextYear },
  },
  {
    type: 'Subscriptions to existing posts only',
    service: 20,
    fields: { username: 'someone.else', min: '50', max: '100', posts: '0', old_posts: '3', delay: '0' },
    charge: '0.27000',
    extras: { posts: '0' },
  },
];

describe('every service type through the reseller API and the demo provider', () => {
  it('lists every type in services', async () => {
    const { body } = await v2(stack.v2Url, { key, action: 'services' });
    const types = new Set((body as { type: string }[]).map((s) => s.type));
    for (const { type } of CASES) expect(types.has(type.replace(/ with drip-feed| to existing posts only/, ''))).toBe(true);
    expect(body.find((s: { service: number }) => s.service === 5)).toMatchObject({ dripfeed: true });
  });

  it.each(CASES)('$type: accepted with its own fields, charged exactly, and completed', async ({ service, fields, charge, extras }) => {
    const balanceBefore = (await v2(stack.v2Url, { key, action: 'balance' })).body.balance;
    const { body } = await v2(stack.v2Url, { key, action: 'add', service, ...fields });
    expect(body, JSON.stringify(body)).toEqual({ order: expect.any(Number) });
    const after = (await v2(stack.v2Url, { key, action: 'balance' })).body.balance;
    expect(Math.round((Number(balanceBefore) - Number(after)) * 1e6)).toBe(Math.round(Number(charge) * 1e6));
    const status = await eventually(
      async () => {
        const { body: s } = await v2(stack.v2Url, { key, action: 'status', order: body.order });
        return s.status === 'Completed' ? s : undefined;
      },
      30_000,
      200,
    );
    expect(status).toMatchObject({ charge, currency: 'USD', remains: '0', ...(extras ?? {}) });
    const order = await stack.deps.orders.getOrder(body.order);
    expect(order!.externalOrderId).toBeDefined();
  });

  it("refuses a type's missing field with a clear error and charges nothing", async () => {
    const before = (await v2(stack.v2Url, { key, action: 'balance' })).body.balance;
    const missing: Record<string, string | number>[] = [
      { service: 7, link: 'https://instagram.com/p/x' },
      { service: 9, link: 'https://instagram.com/p/x', quantity: '100' },
      { service: 20, min: '50', max: '100' },
      { service: 1, link: 'https://youtube.com/x', quantity: '100', runs: '3', interval: '5' },
    ];
    for (const fields of missing) {
      const { body } = await v2(stack.v2Url, { key, action: 'add', ...fields });
      expect(body.error, JSON.stringify(fields)).toEqual(expect.any(String));
    }
    expect((await v2(stack.v2Url, { key, action: 'balance' })).body.balance).toBe(before);
  });
});
