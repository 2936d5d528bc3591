// End to end over HTTP against the started local stack, as a reseller's panel would use it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMoney, formatMoney, micros } from '../../lambdas/shared/money.js';
import { type RunningStack, dynamoProcessesOn, startStackProcess, v2 } from '../support/local-process.js';

let workDir: string;
let stack: RunningStack;
let key: string;
let url: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'codex-e2e-'));
  stack = await startStackProcess({ workDir });
  key = stack.demo.reseller.apiKey;
  url = stack.demo.v2Url;
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const balance = async () => parseMoney((await v2(url, { key, action: 'balance' })).body.balance);

describe('the local stack', () => {
  it('writes demo credentials with a funded reseller and answers /health', async () => {
    expect(stack.demo.apiBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.demo.reseller.email).toContain('@');
    expect(stack.demo.reseller.apiKey).toMatch(/^cdx_[0-9A-Za-z]{40}$/);
    expect(await balance()).toBeGreaterThan(0);
    expect((await fetch(stack.demo.health)).status).toBe(200);
  });

  it('lists services in the canonical v2 shape', async () => {
    const { status, body } = await v2(url, { key, action: 'services' });
    expect(status).toBe(200);
    expect(body[0]).toMatchObject({
      service: 1,
      name: expect.any(String),
      type: 'Default',
      category: expect.any(String),
      rate: '0.90',
      min: '50',
      max: expect.any(String),
      refill: false,
      cancel: true,
    });
  });

  it('takes an order over JSON, charges exactly, and shows it going Pending -> In progress -> Completed', async () => {
    const before = await balance();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key, action: 'add', service: 1, link: 'https://youtube.com/watch?v=e2e', quantity: 2000 }),
    });
    const { order } = (await response.json()) as { order: number };
    expect(Number.isInteger(order)).toBe(true);
    expect(await balance()).toBe(micros(before - parseMoney('1.80')));

    const seen = new Set<string>();
    let last: any;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      last = (await v2(url, { key, action: 'status', order })).body;
      seen.add(last.status);
      if (last.status === 'Completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([...seen]).toEqual(expect.arrayContaining(['Pending', 'In progress', 'Completed']));
    expect(last).toEqual({ charge: '1.80000', start_count: expect.stringMatching(/^\d+$/), status: 'Completed', remains: '0', currency: 'USD' });
    expect(Number(last.start_count)).toBeGreaterThan(0);
  });

  it('answers GET with a query string and /api/v2/ with a trailing slash, without redirecting', async () => {
    const get = await fetch(`${url}?key=${key}&action=balance`, { redirect: 'manual' });
    expect(get.status).toBe(200);
    expect(await get.json()).toMatchObject({ currency: 'USD' });
    const slash = await fetch(`${url}/`, { method: 'POST', body: new URLSearchParams({ key, action: 'balance' }), redirect: 'manual' });
    expect(slash.status).toBe(200);
    expect(await slash.json()).toHaveProperty('balance');
  });

  it('answers multi-status keyed by each id as sent, with per-id errors', async () => {
    const { body: placed } = await v2(url, { key, action: 'add', service: 1, link: 'https://youtube.com/watch?v=multi', quantity: 100 });
    const { body } = await v2(url, { key, action: 'status', orders: `${placed.order},1,abc` });
    expect(body[String(placed.order)]).toMatchObject({ charge: '0.09000', currency: 'USD' });
    expect(body['1']).toEqual({ error: 'Incorrect order ID' });
    expect(body.abc).toEqual({ error: 'Incorrect order ID' });
  });

  it('refuses bad input with the protocol error shape and changes nothing', async () => {
    const before = await balance();
    const cases: [Record<string, string | number>, RegExp][] = [
      [{ key: 'cdx_wrong', action: 'balance' }, /^Invalid API key$/],
      [{ action: 'balance' }, /^Invalid API key$/],
      [{ key, action: 'add', service: 999, link: 'https://youtube.com/x', quantity: 100 }, /^Incorrect service ID$/],
      [{ key, action: 'add', service: 1, link: 'https://youtube.com/x', quantity: 10 }, /^Quantity less than minimal 50$/],
      [{ key, action: 'add', service: 1, link: 'https://youtube.com/x', quantity: 5_000_000 }, /^Quantity more than maximum 1000000$/],
      [{ key, action: 'add', service: 1, link: 'not a link at all', quantity: 100 }, /link/i],
      [{ key, action: 'add', service: 1, quantity: 100 }, /link/i],
      [{ key, action: 'add', service: 'one', link: 'https://youtube.com/x', quantity: 100 }, /service/],
      [{ key, action: 'add', service: 1, link: 'https://youtube.com/x', quantity: '1e3' }, /quantity/],
      [{ key, action: 'fly' }, /^Incorrect request$/],
      [{ key, action: 'status' }, /.+/],
    ];
    for (const [fields, message] of cases) {
      const { status, body } = await v2(url, fields);
      expect(status, JSON.stringify(fields)).toBe(200);
      expect(body.error, JSON.stringify(fields)).toMatch(message);
    }
    const huge = await fetch(url, {
      method: 'POST',
      body: new URLSearchParams({ key, action: 'add', service: '1', link: 'https://youtube.com/x', quantity: '100', pad: 'x'.repeat(200_000) }),
    });
    expect(huge.status).toBe(200);
    expect(((await huge.json()) as { error: string }).error).toMatch(/too large|larger/i);
    const badJson = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"key": ' });
    expect(((await badJson.json()) as { error: string }).error).toMatch(/JSON/);
    expect(await balance()).toBe(before);
  });

  it('refuses an order the balance cannot pay for', async () => {
    const before = await balance();
    const quantity = 1_000_000; // 900.00 at 0.90 per 1,000
    const results = await Promise.all(
      Array.from({ length: 3 }, () => v2(url, { key, action: 'add', service: 1, link: 'https://youtube.com/watch?v=big', quantity })),
    );
    const accepted = results.filter((r) => r.body.order !== undefined).length;
    const refused = results.filter((r) => r.body.error === 'Not enough funds on balance').length;
    expect(accepted + refused).toBe(3);
    expect(accepted).toBe(Math.floor(before / parseMoney('900')));
    expect(formatMoney(await balance())).toBe(formatMoney(micros(before - accepted * parseMoney('900'))));
  });
});

describe('stopping', () => {
  it('stops DynamoDB Local and every other child on Ctrl-C', async () => {
    const own = await startStackProcess({ workDir });
    const port = new URL(own.demo.dynamoEndpoint).port;
    expect(dynamoProcessesOn(port)).toBe(1);
    expect(await own.stop('SIGINT')).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(dynamoProcessesOn(port)).toBe(0);
    expect((await fetch(own.demo.health).catch(() => undefined))?.status).toBeUndefined();
  });
});
