// Three kinds of reseller clients against the running local stack: the widely copied PHP class (form posts,
// redirects followed, old User-Agent, refill helpers without an action), a JSON client, and a strict client that
// casts ids to int and keeps money as strings.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { type RunningStack, startStackProcess, v2 } from '../support/local-process.js';

const hasPhp = spawnSync('php', ['--version']).status === 0;
if (!hasPhp && process.env.CODEX_REQUIRE_PHP) throw new Error('php is required (CODEX_REQUIRE_PHP is set) but not installed');

let workDir: string;
let stack: RunningStack;
let key: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'codex-clients-'));
  stack = await startStackProcess({ workDir });
  key = stack.demo.reseller.apiKey;
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const statusOf = async (order: number) => (await v2(stack.demo.v2Url, { key, action: 'status', order })).body;
const ended = (order: number, statuses = ['Completed', 'Partial', 'Canceled']) =>
  eventually(
    async () => {
      const body = await statusOf(order);
      return statuses.includes(body.status) ? body : undefined;
    },
    30_000,
    200,
  );

describe.skipIf(!hasPhp)('the widely copied PHP client', () => {
  const php = (method: string, ...args: unknown[]) =>
    JSON.parse(
      execFileSync('php', [join(REPO_ROOT, 'tests/e2e/clients/panel-client.php'), stack.demo.v2Url, key, method, JSON.stringify(args)], { encoding: 'utf8' }),
    );

  it('lists services, places an order and reads its status', () => {
    const services = php('services');
    expect(services.find((s: { service: number }) => s.service === 2)).toMatchObject({ name: 'Instagram Followers', rate: '2.40', refill: true });
    const { order } = php('order', { service: 2, link: 'https://instagram.com/p/php-client', quantity: 100 });
    expect(Number.isInteger(order)).toBe(true);
    expect(php('status', order)).toMatchObject({ charge: '0.24000', currency: 'USD', status: expect.any(String) });
    const multi = php('multiStatus', [order, 1]);
    expect(multi[String(order)]).toMatchObject({ charge: '0.24000' });
    expect(multi['1']).toEqual({ error: 'Incorrect order ID' });
    expect(php('balance')).toMatchObject({ balance: expect.stringMatching(/^\d+\.\d{5,6}$/), currency: 'USD' });
  });

  it('refills through the helpers that send no action field', async () => {
    const { order } = php('order', { service: 2, link: 'https://instagram.com/p/php-refill', quantity: 100 });
    await ended(order);
    const single = php('refill', order);
    expect(single).toEqual({ refill: expect.stringMatching(/^\d+$/) });
    const refillId = Number(single.refill);
    expect(php('refillStatus', refillId)).toEqual({ status: expect.stringMatching(/^(Pending|In progress|Completed|Rejected)$/) });
    expect(php('multiRefill', [order, 999999])).toEqual([
      { order, refill: { error: expect.stringMatching(/already requested/) } },
      { order: 999999, refill: { error: 'Incorrect order ID' } },
    ]);
    expect(php('multiRefillStatus', [refillId, 999999])).toEqual([
      { refill: refillId, status: expect.any(String) },
      { refill: 999999, status: { error: 'Refill not found' } },
    ]);
  });

  it('cancels with per-order answers, and the refund follows through the workflow', async () => {
    const before = Number(php('balance').balance);
    const { order } = php('order', { service: 2, link: 'https://instagram.com/p/php-cancel?codex-test=slow', quantity: 1000 });
    await eventually(async () => ((await statusOf(order)).status !== 'Pending' || undefined) as true | undefined, 10_000).catch(() => undefined);
    expect(php('cancel', [order, 999999])).toEqual([
      { order, cancel: 1 },
      { order: 999999, cancel: { error: 'Incorrect order ID' } },
    ]);
    // The charge shown after a full refund is what the order cost in the end: nothing.
    expect(await ended(order)).toMatchObject({ status: 'Canceled', charge: '0.00000' });
    await eventually(async () => (Number(php('balance').balance) === before ? true : undefined), 15_000, 300);
  });
});

describe('a JSON client', () => {
  const post = async (body: Record<string, unknown>) =>
    (await (
      await fetch(stack.demo.v2Url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key, ...body }) })
    ).json()) as any;

  it('places, follows and cancels orders with JSON bodies', async () => {
    const { order } = await post({ action: 'add', service: 1, link: 'https://youtube.com/watch?v=json', quantity: 500 });
    expect(await post({ action: 'status', order })).toMatchObject({ charge: '0.45000' });
    expect(await post({ action: 'cancel', orders: `${order}` })).toEqual([{ order, cancel: expect.anything() }]);
  });

  it('is answered the same when the key travels in a header', async () => {
    const response = await fetch(stack.demo.v2Url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ action: 'balance' }),
    });
    expect(await response.json()).toMatchObject({ currency: 'USD' });
  });
});

describe('a strict client', () => {
  it('can cast every id to int and read every amount as a decimal string', async () => {
    const { body: added } = await v2(stack.demo.v2Url, { key, action: 'add', service: 3, link: 'https://tiktok.com/@someone/video/1', quantity: 10 });
    expect(typeof added.order).toBe('number');
    expect(String(Math.trunc(added.order))).toBe(String(added.order));
    const done = await ended(added.order);
    for (const field of ['charge', 'start_count', 'remains']) expect(typeof done[field], field).toBe('string');
    expect(done.charge).toMatch(/^\d+\.\d{5,6}$/);
    expect(Number.isInteger(Number(done.start_count))).toBe(true);
    const { body: services } = await v2(stack.demo.v2Url, { key, action: 'services' });
    for (const service of services) {
      expect(Number.isInteger(service.service)).toBe(true);
      expect(service.rate).toMatch(/^\d+\.\d+$/);
      expect(service.min).toMatch(/^\d+$/);
      expect(service.max).toMatch(/^\d+$/);
      expect(typeof service.refill).toBe('boolean');
      expect(typeof service.cancel).toBe('boolean');
    }
  });

  it('gets JSON, never HTML or a redirect, for paths with a trailing slash and for GET', async () => {
    for (const [url, init] of [
      [`${stack.demo.v2Url}/`, { method: 'POST', body: new URLSearchParams({ key, action: 'balance' }) }],
      [`${stack.demo.v2Url}?key=${key}&action=balance`, { method: 'GET' }],
    ] as const) {
      const response = await fetch(url, { ...init, redirect: 'manual' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
    }
  });
});
