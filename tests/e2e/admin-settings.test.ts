// Maintenance mode and promo codes over HTTP on the local stack, switched by an admin through /admin/v1/settings:
// /api/v2 answers every action with the protocol's error, /api/v1 answers 503 with Retry-After except its open routes,
// a payment arriving meanwhile is credited, and the admin API stays open. (The local stack runs every function in one
// process, so they share the settings cache the admin call refreshes; on AWS a change reaches each container within 30 s.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { v1Client } from '../support/v1-client.js';

let stack: LocalStack;
let token: string;
const v1 = v1Client(() => stack.v1Url);

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  const login = await v1('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
  expect(login.status).toBe(200);
  token = login.body.accessToken;
});
afterAll(() => stack?.stop());

async function admin(method: string, path: string, body?: unknown, idToken = stack.admin.idToken) {
  const response = await fetch(`${stack.adminUrl}${path}`, {
    method,
    headers: { authorization: idToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const v2 = async (action: string) => {
  const response = await fetch(`${stack.apiBase}/api/v2`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: stack.reseller.apiKey, action }).toString(),
  });
  return { status: response.status, body: (await response.json()) as any };
};

describe('maintenance mode', () => {
  it('closes both APIs in their own words, keeps callbacks, public pages and the admin API open', async () => {
    const topUp = await v1('POST', '/top-ups', { token, body: { amount: '7.00', method: 'demo' } });
    expect(topUp.status).toBe(201);
    const balanceBefore = (await v1('GET', '/balance', { token })).body.balance;

    const message = 'Codex is being upgraded; back in 10 minutes';
    expect((await admin('PATCH', '/settings', { maintenance: { enabled: true, message } }, stack.operator.idToken)).status).toBe(403);
    const on = await admin('PATCH', '/settings', { maintenance: { enabled: true, message }, reason: 'e2e' });
    expect(on).toMatchObject({ status: 200, body: { effective: { maintenance: { enabled: true, message } } } });

    for (const action of ['balance', 'services', 'add', 'status', 'nonsense']) expect(await v2(action)).toEqual({ status: 200, body: { error: message } });

    for (const [method, path] of [
      ['GET', '/balance'],
      ['GET', '/orders'],
      ['POST', '/top-ups'],
    ] as const) {
      const closed = await v1(method, path, { token, ...(method === 'POST' ? { body: { amount: '5.00', method: 'demo' } } : {}) });
      expect(closed.status, `${method} ${path}`).toBe(503);
      expect(closed.headers.get('retry-after')).toBe('300');
      expect(closed.body).toEqual({ error: { code: 'maintenance', message } });
    }
    // Sessions stay open (docs/admin/settings.md): a customer may sign in and sees the maintenance answer after.
    const login = await v1('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
    expect(login.status).toBe(200);
    expect((await v1('GET', '/me', { token: login.body.accessToken })).status).toBe(503);
    expect((await v1('GET', '/services')).status).toBe(200);

    // Money arriving during maintenance is taken: the demo gateway's checkout and callback stay open.
    const paid = await fetch(`${topUp.body.checkoutUrl}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(paid.status).toBe(200);
    expect(await paid.text()).toContain('Payment received');

    expect((await admin('GET', '/settings', undefined, stack.operator.idToken)).status).toBe(200);
    expect((await admin('GET', '/me')).status).toBe(200);

    const off = await admin('PATCH', '/settings', { maintenance: { enabled: false } });
    expect(off.body.effective.maintenance.enabled).toBe(false);
    expect((await v2('balance')).body).toHaveProperty('balance');
    const balanceAfter = (await v1('GET', '/balance', { token })).body.balance;
    expect(Number(balanceAfter) - Number(balanceBefore)).toBeCloseTo(7, 6);

    const audit = await admin('GET', '/audit?action=settings.updated&limit=5');
    expect(audit.body.items[0]).toMatchObject({ action: 'settings.updated', actorRole: 'admin', after: { maintenance: { enabled: false, message } } });
    expect(audit.body.items[1]).toMatchObject({ reason: 'e2e', after: { maintenance: { enabled: true, message } } });
  });
});

describe('promo codes', () => {
  it('credit the bonus with a deposit paid through the demo gateway', async () => {
    expect((await admin('POST', '/promo-codes', { code: 'E2E10', kind: 'percent', value: '10', perUserLimit: 1 })).status).toBe(201);
    const before = Number((await v1('GET', '/balance', { token })).body.balance);
    const topUp = await v1('POST', '/top-ups', { token, body: { amount: '20.00', method: 'demo', promoCode: 'e2e10' } });
    expect(topUp).toMatchObject({ status: 201, body: { promoCode: 'E2E10', bonus: '2.00' } });
    await fetch(`${topUp.body.checkoutUrl}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(Number((await v1('GET', '/balance', { token })).body.balance) - before).toBeCloseTo(22, 6);
    const bonus = await v1('GET', '/transactions?kind=bonus', { token });
    expect(bonus.body.items[0]).toMatchObject({ kind: 'bonus', amount: '2.00', reference: `bonus:top-up:${topUp.body.id}` });
    const again = await v1('POST', '/top-ups', { token, body: { amount: '20.00', method: 'demo', promoCode: 'E2E10' } });
    expect(again).toMatchObject({ status: 400, body: { error: { code: 'invalid_promo_code', field: 'promoCode' } } });
  });
});
