// Hostile and malformed input over HTTP against the local stack: field names that are Object.prototype names, and
// every action with each field missing, empty, too long and of the wrong type, answered only with the error texts
// README.md documents.
import { readFileSync } from 'node:fs';
import { postFrom } from '../support/post-from.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, REPO_ROOT, startLocalStack } from '../../local/stack.js';

let stack: LocalStack;
let key: string;

/** A key of its own for each group of requests: bad requests count towards suspending the key that sends them. */
const freshKey = async () =>
  (await stack.deps.keyManagement.createApiKey(stack.reseller.id, stack.reseller.walletId, { label: 'input test', limits: { requestsPerMinute: 10_000 } })).key;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 500 });
  key = await freshKey();
});

afterAll(async () => {
  await stack?.stop();
});

/** A form post, answered as raw text: JSON.parse would hide how `__proto__` was written. */
async function post(fields: [string, string][]): Promise<string> {
  const response = await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams(fields) });
  expect(response.status).toBe(200);
  return response.text();
}

describe('field names that are Object.prototype names', () => {
  it('key a many-order status like any other id', async () => {
    expect(
      await post([
        ['key', key],
        ['action', 'status'],
        ['orders', '__proto__'],
      ]),
    ).toBe('{"__proto__":{"error":"Incorrect order ID"}}');
    expect(
      await post([
        ['key', key],
        ['action', 'status'],
        ['orders', 'constructor'],
      ]),
    ).toBe('{"constructor":{"error":"Incorrect order ID"}}');

    const { order } = JSON.parse(
      await post([
        ['key', key],
        ['action', 'add'],
        ['service', '1'],
        ['link', 'https://youtube.com/watch?v=proto'],
        ['quantity', '100'],
      ]),
    );
    const answer = JSON.parse(
      await post([
        ['key', key],
        ['action', 'status'],
        ['orders', `constructor,__proto__,toString,${order}`],
      ]),
    );
    // JSON.parse keeps `__proto__` as an own key, so every id sent is there.
    expect(Object.keys(answer).sort()).toEqual(['__proto__', 'constructor', 'toString', String(order)].sort());
    expect(Object.getOwnPropertyDescriptor(answer, '__proto__')!.value).toEqual({ error: 'Incorrect order ID' });
    expect(answer[String(order)]).toMatchObject({ charge: '0.09000', currency: 'USD' });
  });

  it('reach the handler as plain names in a query string too, as API Gateway delivers them', async () => {
    const response = await fetch(
      `${stack.v2Url}?${new URLSearchParams([
        ['key', key],
        ['action', 'status'],
        ['__proto__', 'x'],
        ['orders', '__proto__'],
      ])}`,
    );
    expect(await response.text()).toBe('{"__proto__":{"error":"Incorrect order ID"}}');
  });

  it('sent as fields of an order, change nothing about it', async () => {
    const before = JSON.parse(
      await post([
        ['key', key],
        ['action', 'balance'],
      ]),
    ).balance;
    const sent = await post([
      ['key', key],
      ['action', 'add'],
      ['service', '1'],
      ['link', 'https://youtube.com/watch?v=proto2'],
      ['quantity', '100'],
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['toString', 'z'],
      ['hasOwnProperty', '1'],
    ]);
    const { order } = JSON.parse(sent);
    expect(order).toEqual(expect.any(Number));
    const stored = await stack.deps.orders.getOrder(order);
    expect(stored).toMatchObject({ link: 'https://youtube.com/watch?v=proto2', quantity: 100 });
    expect(stored!.providerFields).toBeUndefined();
    const after = JSON.parse(
      await post([
        ['key', key],
        ['action', 'balance'],
      ]),
    ).balance;
    expect(Math.round((Number(before) - Number(after)) * 1e6)).toBe(90_000);
  });
});

/** The error texts of README.md's "Error texts" table, as patterns. */
function documentedErrors(): { texts: string[]; patterns: RegExp[] } {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^### Error texts$/m)[1]?.split(/^#{1,3} /m)[0] ?? '';
  const texts = section.split('\n').flatMap((line) => /^\| `([^`]+)` \|/.exec(line)?.[1] ?? []);
  const source = (text: string): string =>
    text
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/<field>/g, '[a-z_]+')
      .replace(/<n>/g, '\\d+')
      .replace(/<list>/g, '\\d+(?:, \\d+)*')
      .replace(/<time>/g, '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ')
      .replace(/<text>/g, '.+');
  const linkErrors = texts
    .filter((text) => text.startsWith('Link '))
    .map(source)
    .join('|');
  const patterns = texts.map((text) => new RegExp(`^${source(text).replace(/<link error>/g, `(?:${linkErrors})`)}$`, 's'));
  return { texts, patterns };
}

const { texts: DOCUMENTED, patterns: ERRORS } = documentedErrors();
const isDocumented = (error: string) => ERRORS.some((pattern) => pattern.test(error));

/** Every `{"error": ...}` in an answer, at the top or per id inside a batch answer. */
function errorsIn(body: unknown): string[] {
  if (Array.isArray(body)) return body.flatMap(errorsIn);
  if (!body || typeof body !== 'object') return [];
  const entries = Object.entries(body);
  if (entries.length === 1 && entries[0]![0] === 'error') return [String(entries[0]![1])];
  return entries.flatMap(([, value]) => errorsIn(value));
}

/** Posts from a chosen loopback address, so requests with bad keys do not block the address the rest use. */
const send = (body: string, contentType: string, localAddress?: string) => postFrom(stack.v2Url, body, contentType, localAddress);

type Kind = 'key' | 'action' | 'number' | 'id' | 'ids' | 'link' | 'url' | 'lines' | 'usernames' | 'username' | 'hashtag' | 'text' | 'date';

const LONG: Record<Kind, string> = {
  key: `cdx_${'x'.repeat(5000)}`,
  action: 'a'.repeat(5000),
  number: '9'.repeat(40),
  id: '9'.repeat(5000),
  ids: Array.from({ length: 1500 }, (_, i) => String(i + 1)).join(','),
  link: `https://example.com/${'a'.repeat(5000)}`,
  url: `https://example.com/${'a'.repeat(5000)}`,
  lines: 'x'.repeat(5000),
  usernames: 'u'.repeat(5000),
  username: 'u'.repeat(5000),
  hashtag: 'h'.repeat(5000),
  text: 'r'.repeat(5000),
  date: '1'.repeat(5000),
};

interface Field {
  name: string;
  kind: Kind;
  /** Absent or blank must be refused; optional fields may then be accepted. */
  required: boolean;
}

interface Call {
  label: string;
  base: Record<string, string>;
  fields: Field[];
}

const req = (name: string, kind: Kind): Field => ({ name, kind, required: true });
const opt = (name: string, kind: Kind): Field => ({ name, kind, required: false });

const lines = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join('\n');
const nextYear = `01/01/${new Date().getUTCFullYear() + 1}`;

/** `add` for every service type of the local catalog, with the smallest valid order of each. */
const ADDS: { type: string; fields: Record<string, string>; kinds: Field[] }[] = [
  {
    type: 'Default',
    fields: { service: '1', link: 'https://youtube.com/watch?v=in1', quantity: '50' },
    kinds: [req('link', 'link'), req('quantity', 'number')],
  },
  {
    type: 'Default with drip-feed',
    fields: { service: '5', link: 'https://instagram.com/p/in5', quantity: '20', runs: '2', interval: '5' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('runs', 'number'), req('interval', 'number')],
  },
  { type: 'Package', fields: { service: '6', link: 'https://instagram.com/stories/in6' }, kinds: [req('link', 'link')] },
  {
    type: 'Custom Comments',
    fields: { service: '7', link: 'https://instagram.com/p/in7', comments: lines('nice ', 5) },
    kinds: [req('link', 'link'), req('comments', 'lines')],
  },
  {
    type: 'Custom Comments Package',
    fields: { service: '8', link: 'https://instagram.com/p/in8', comments: lines('wow ', 2) },
    kinds: [req('link', 'link'), req('comments', 'lines')],
  },
  {
    type: 'Mentions',
    fields: { service: '9', link: 'https://instagram.com/p/in9', quantity: '100', usernames: lines('user', 2) },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('usernames', 'usernames')],
  },
  {
    type: 'Mentions with Hashtags',
    fields: { service: '10', link: 'https://instagram.com/p/in10', quantity: '100', usernames: 'user1', hashtags: '#one' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('usernames', 'usernames'), req('hashtags', 'usernames')],
  },
  {
    type: 'Mentions Custom List',
    fields: { service: '11', link: 'https://instagram.com/p/in11', usernames: lines('user', 10) },
    kinds: [req('link', 'link'), req('usernames', 'usernames')],
  },
  {
    type: 'Mentions Hashtag',
    fields: { service: '12', link: 'https://instagram.com/p/in12', quantity: '100', hashtag: '#travel' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('hashtag', 'hashtag')],
  },
  {
    type: 'Mentions User Followers',
    fields: { service: '13', link: 'https://instagram.com/p/in13', quantity: '100', username: 'someone' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('username', 'username')],
  },
  {
    type: 'Mentions Media Likers',
    fields: { service: '14', link: 'https://instagram.com/p/in14', quantity: '100', media: 'https://instagram.com/p/media14' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('media', 'url')],
  },
  {
    type: 'Comment Likes',
    fields: { service: '15', link: 'https://instagram.com/p/in15', quantity: '20', username: 'commenter' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('username', 'username')],
  },
  {
    type: 'Comment Replies',
    fields: { service: '16', link: 'https://instagram.com/p/in16', username: 'commenter', comments: lines('reply ', 5) },
    kinds: [req('link', 'link'), req('username', 'username'), req('comments', 'lines')],
  },
  {
    type: 'Poll',
    fields: { service: '17', link: 'https://t.me/channel/17', quantity: '50', answer_number: '2' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('answer_number', 'number')],
  },
  {
    type: 'SEO',
    fields: { service: '18', link: 'https://example.com/page', quantity: '100', keywords: 'buy shoes\ncheap shoes' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('keywords', 'lines')],
  },
  {
    type: 'Invites from Groups',
    fields: { service: '19', link: 'https://t.me/mygroup', quantity: '100', groups: 'https://t.me/a\nhttps://t.me/b' },
    kinds: [req('link', 'link'), req('quantity', 'number'), req('groups', 'url')],
  },
  {
    type: 'Subscriptions',
    fields: { service: '20', username: 'someone', min: '50', max: '50', posts: '1', old_posts: '1', delay: '0', expiry: nextYear },
    kinds: [
      req('username', 'link'),
      req('min', 'number'),
      req('max', 'number'),
      opt('posts', 'number'),
      opt('old_posts', 'number'),
      opt('delay', 'number'),
      opt('expiry', 'date'),
    ],
  },
];

let placed: number;
const CALLS = (): Call[] => [
  { label: 'services', base: { action: 'services' }, fields: [] },
  { label: 'balance', base: { action: 'balance' }, fields: [] },
  { label: 'status', base: { action: 'status', order: String(placed) }, fields: [req('order', 'number')] },
  { label: 'status, many', base: { action: 'status', orders: `${placed},1` }, fields: [req('orders', 'ids')] },
  { label: 'cancel', base: { action: 'cancel', orders: `${placed},1` }, fields: [req('orders', 'ids')] },
  { label: 'cancel, one', base: { action: 'cancel', order: String(placed) }, fields: [req('order', 'id')] },
  { label: 'refill', base: { action: 'refill', order: String(placed) }, fields: [req('order', 'id')] },
  { label: 'refill, many', base: { action: 'refill', orders: `${placed},1` }, fields: [req('orders', 'ids')] },
  { label: 'refill_status', base: { action: 'refill_status', refill: '1' }, fields: [req('refill', 'id')] },
  { label: 'refill_status, many', base: { action: 'refill_status', refills: '1,2' }, fields: [req('refills', 'ids')] },
  ...ADDS.map(({ type, fields, kinds }) => ({
    label: `add ${type}`,
    base: { action: 'add', ...fields },
    fields: [req('service', 'number'), opt('request_id', 'text'), ...kinds],
  })),
];

type Variant = 'missing' | 'empty' | 'too long' | 'wrong type' | 'not a number';

interface Outcome {
  call: string;
  field: string;
  variant: Variant;
  body: unknown;
}

describe('every error an action can answer is a documented text', () => {
  it('README documents the protocol texts clients match on', () => {
    for (const text of [
      'Invalid API key',
      'Incorrect request',
      'Incorrect service ID',
      'Incorrect order ID',
      'Refill not found',
      'Not enough funds on balance',
      'Too many requests',
    ]) {
      expect(DOCUMENTED).toContain(text);
    }
    expect(DOCUMENTED.length).toBeGreaterThan(50);
    for (const leaked of ['Invalid input', 'Too small: expected string to have >=1 characters', 'Required', 'Expected number, received string'])
      expect(isDocumented(leaked), leaked).toBe(false);
  });

  it('sends each field missing, empty, too long and of the wrong type, for every action and service type', async () => {
    ({ order: placed } = (
      await send(
        new URLSearchParams({ key, action: 'add', service: '1', link: 'https://youtube.com/watch?v=inputs', quantity: '50' }).toString(),
        'application/x-www-form-urlencoded',
      )
    ).body);
    expect(placed).toEqual(expect.any(Number));

    const outcomes: Outcome[] = [];
    const problems: string[] = [];
    const calls = CALLS();
    for (const [index, call] of calls.entries()) {
      // Bad keys count per address: each call's go from an address of their own, under the block threshold.
      const keyAddress = `127.0.0.${10 + index}`;
      for (const field of [req('key', 'key'), req('action', 'action'), ...call.fields]) {
        const own = await freshKey();
        const base = { key: own, ...call.base };
        const variants: [Variant, Record<string, unknown>, 'form' | 'json'][] = [
          ['missing', omit(base, field.name), 'form'],
          ['empty', { ...base, [field.name]: '' }, 'form'],
          ['too long', { ...base, [field.name]: LONG[field.kind] }, 'form'],
          ['wrong type', { ...base, [field.name]: { value: base[field.name as keyof typeof base] ?? 'x' } }, 'json'],
          ...(field.kind === 'number' || field.kind === 'id'
            ? [['not a number', { ...base, [field.name]: 'abc' }, 'form'] as [Variant, Record<string, unknown>, 'form']]
            : []),
        ];
        for (const [variant, fields, format] of variants) {
          const body = format === 'json' ? JSON.stringify(fields) : new URLSearchParams(fields as Record<string, string>).toString();
          const answer = await send(
            body,
            format === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
            field.name === 'key' ? keyAddress : '127.0.0.1',
          );
          const where = `${call.label} / ${field.name} ${variant}`;
          outcomes.push({ call: call.label, field: field.name, variant, body: answer.body });
          if (answer.status !== 200) problems.push(`${where}: HTTP ${answer.status}`);
          for (const error of errorsIn(answer.body)) if (!isDocumented(error)) problems.push(`${where}: undocumented ${JSON.stringify(error)}`);
          // A refused field is named in the answer (`Link …` for link, `Invalid API key` for key; `order` stands for
          // `orders` when status gets neither); action is the exception.
          const refusedOutright = variant !== 'missing' && variant !== 'empty' ? true : field.required;
          const top = (answer.body as { error?: unknown }).error;
          if (refusedOutright && field.name !== 'action') {
            if (typeof top !== 'string' && errorsIn(answer.body).length === 0)
              problems.push(`${where}: accepted: ${JSON.stringify(answer.body).slice(0, 200)}`);
            else if (!errorsIn(answer.body).some((error) => error.toLowerCase().includes(field.name.replace(/s$/, ''))))
              problems.push(`${where}: does not name the field: ${JSON.stringify(answer.body).slice(0, 200)}`);
          }
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    // The sweep did reach every kind of refusal: the field checks, the link rules and the request reader.
    const seen = outcomes.flatMap((o) => errorsIn(o.body));
    for (const expected of [
      /^Missing field: comments$/,
      /^Field quantity must be a whole number$/,
      /^Link is longer than 2048 characters$/,
      /^Field media: Link is longer/,
      /^Field orders has more than 100 ids$/,
      /^Field request_id is longer than 128 characters$/,
      /^Field link must be text or a number$/,
      /^Invalid API key$/,
      /^Incorrect request$/,
    ]) {
      expect(
        seen.some((error) => expected.test(error)),
        String(expected),
      ).toBe(true);
    }
  }, 300_000);
});

describe('protocol wording for what zod used to word', () => {
  const form = (fields: Record<string, string>) => send(new URLSearchParams({ key, ...fields }).toString(), 'application/x-www-form-urlencoded');

  it('names the missing field of status and add instead of "Invalid input" or "Too small"', async () => {
    expect((await form({ action: 'status' })).body).toEqual({ error: 'Missing field: order' });
    expect((await form({ action: 'status', orders: '' })).body).toEqual({ error: 'Missing field: orders' });
    expect((await form({ action: 'status', order: ' ' })).body).toEqual({ error: 'Missing field: order' });
    expect((await form({ action: 'add', link: 'https://youtube.com/watch?v=w', quantity: '50' })).body).toEqual({ error: 'Missing field: service' });
    expect((await form({ action: 'add', service: '', link: 'https://youtube.com/watch?v=w', quantity: '50' })).body).toEqual({
      error: 'Missing field: service',
    });
    expect((await form({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=w', quantity: '50', request_id: 'r'.repeat(129) })).body).toEqual({
      error: 'Field request_id is longer than 128 characters',
    });
  });

  it('takes a blank request_id as none, as it takes other blank optional fields', async () => {
    const { body } = await form({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=blank-rid', quantity: '50', request_id: ' ' });
    expect(body).toEqual({ order: expect.any(Number) });
    expect((await stack.deps.orders.getOrder(body.order))!.requestId).toBeUndefined();
  });

  it('refuses an object where a JSON field should hold text, naming the field', async () => {
    const json = (fields: Record<string, unknown>) => send(JSON.stringify({ key, ...fields }), 'application/json');
    expect((await json({ action: 'add', service: 1, link: { href: 'https://youtube.com/x' }, quantity: 50 })).body).toEqual({
      error: 'Field link must be text or a number',
    });
    expect((await json({ action: 'add', service: 1, link: 'https://youtube.com/watch?v=w', quantity: 50, runs: { n: 2 } })).body).toEqual({
      error: 'Field runs must be text or a number',
    });
    // Written out: in an object literal `__proto__` would set the prototype, not a field.
    expect((await send(`{"key":"${key}","action":"balance","__proto__":{"action":"services"}}`, 'application/json')).body).toEqual({
      error: 'Field __proto__ must be text or a number',
    });
    // Lists of text are how JSON clients send comments; null leaves an optional field out.
    expect(
      (await json({ action: 'add', service: 7, link: 'https://instagram.com/p/json', comments: ['a', 'b', 'c', 'd', 'e'], request_id: null })).body,
    ).toEqual({ order: expect.any(Number) });
  });
});

function omit(fields: Record<string, string>, name: string): Record<string, string> {
  const { [name]: _dropped, ...rest } = fields;
  return rest;
}
