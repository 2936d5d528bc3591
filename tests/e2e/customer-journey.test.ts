// A newcomer's whole journey over HTTP against the stack as `npm start` runs it: register, verify from the outbox,
// log in, top up through the demo gateway, create a key, order through /api/v1 and through /api/v2 with that key,
// see both orders, and find that the transactions add up to the balance.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMoney, formatMoney, parseMoney, ZERO } from '../../lambdas/shared/money.js';
import { type RunningStack, startStackProcess, v2 } from '../support/local-process.js';
import { v1Client } from '../support/v1-client.js';

let workDir: string;
let stack: RunningStack;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'codex-journey-'));
  stack = await startStackProcess({ workDir });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const call = v1Client(() => stack.demo.v1Url);

describe('a customer on the local stack', () => {
  it('registers, verifies, tops up, orders through both APIs, and the ledger adds up to the balance', async () => {
    const email = `journey-${Date.now()}@example.com`;
    const password = 'correct horse 42';

    expect((await call('POST', '/auth/register', { body: { email, password, name: 'Journey' } })).status).toBe(202);
    const mail = (await (await fetch(`${stack.demo.outboxUrl}?to=${encodeURIComponent(email)}`)).json()) as { token: string }[];
    expect(mail).toHaveLength(1);
    expect((await call('POST', '/auth/verify-email', { body: { token: mail[0]!.token } })).body).toEqual({ emailVerified: true });

    const login = await call('POST', '/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    const token: string = login.body.accessToken;
    expect((await call('GET', '/me', { token })).body).toMatchObject({ email, emailVerified: true, role: 'customer' });
    const empty = (await call('GET', '/balance', { token })).body;
    expect(empty.currency).toBe('USD');
    expect(parseMoney(empty.balance)).toBe(ZERO);

    // Top up through the demo gateway: its checkout page, then its Pay button (a plain form post).
    const topUp = await call('POST', '/top-ups', { token, body: { amount: '25.00', method: 'demo' } });
    expect(topUp.status).toBe(201);
    expect(topUp.body.status).toBe('pending');
    expect(parseMoney(topUp.body.amount)).toBe(parseMoney('25'));
    const page = await fetch(topUp.body.checkoutUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`action="${topUp.body.checkoutUrl}/pay"`);
    const paid = await fetch(`${topUp.body.checkoutUrl}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(paid.status).toBeLessThan(400);
    expect((await call('GET', `/top-ups/${topUp.body.id}`, { token })).body.status).toBe('paid');
    expect(parseMoney((await call('GET', '/balance', { token })).body.balance)).toBe(parseMoney('25'));

    const key = await call('POST', '/api-keys', { token, body: { label: 'my panel' } });
    expect(key.status).toBe(201);
    expect(key.body.key).toMatch(/^cdx_/);

    const viaV1 = await call('POST', '/orders', {
      token,
      headers: { 'idempotency-key': 'journey-1' },
      body: { service: 1, link: 'https://youtube.com/watch?v=journey', quantity: 1000 },
    });
    expect(viaV1.status).toBe(201);
    expect(parseMoney(viaV1.body.charge)).toBe(parseMoney('0.90'));
    const viaV2 = await v2(stack.demo.v2Url, { key: key.body.key, action: 'add', service: 3, link: 'https://tiktok.com/@journey/video/1', quantity: 1000 });
    expect(viaV2.body).toEqual({ order: expect.any(Number) });

    const orders = await call('GET', '/orders', { token });
    expect(orders.status).toBe(200);
    expect(orders.body.items.map((o: { id: number }) => o.id).sort()).toEqual([viaV1.body.id, viaV2.body.order].sort());

    // Every entry of every page, summed exactly, is the balance.
    let sum = ZERO;
    let cursor: string | null = null;
    const kinds: string[] = [];
    do {
      const transactions = await call('GET', `/transactions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      expect(transactions.status).toBe(200);
      for (const entry of transactions.body.items) {
        sum = addMoney(sum, parseMoney(entry.amount));
        kinds.push(entry.kind);
      }
      cursor = transactions.body.nextCursor;
    } while (cursor);
    const balance = (await call('GET', '/balance', { token })).body.balance;
    expect(sum).toBe(parseMoney(balance));
    expect(formatMoney(sum, 2)).toBe('23.75');
    expect(kinds.sort()).toEqual(['deposit', 'order_charge', 'order_charge']);
  });
});
