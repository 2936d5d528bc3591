// Notification emails end to end on the local stack: the table's stream → the bus → the email consumer's queue →
// the outbox. An order placed through /api/v2 by the demo reseller completes and its email arrives once; the demo
// customer's top-up gives a deposit email, its order with order emails turned off gives none, and a new API key
// gives a security notice that shows the key's prefix, never the key.
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

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const v2 = async (fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: stack.reseller.apiKey, ...fields }) })).json() as Promise<Record<string, any>>;

const emailsTo = (to: string, subject: RegExp) => stack.outbox.list(to).filter((m) => subject.test(m.subject));

/** Every event published so far has been through the email queue (the stream and the bus take a moment first). */
async function settled(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1_000));
  expect(await stack.queues.drained(20_000)).toBe(true);
}

async function customerToken(): Promise<string> {
  const login = await call('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
  expect(login.status).toBe(200);
  return login.body.accessToken as string;
}

describe('notification emails on the local stack', () => {
  it('emails the demo reseller once when its /api/v2 order completes, through the outbox (GET /_local/outbox)', async () => {
    const link = 'https://youtube.com/watch?v=emails&x=<b>';
    const placed = await v2({ action: 'add', service: '1', link, quantity: '100' });
    const orderId = Number(placed.order);
    expect(orderId).toBeGreaterThan(0);
    await until(async () => ((await v2({ action: 'status', order: String(orderId) })).status === 'Completed' ? true : undefined));

    const subject = new RegExp(`^Order #${orderId} completed$`);
    const [email] = await until(() => (emailsTo(stack.reseller.email, subject).length > 0 ? emailsTo(stack.reseller.email, subject) : undefined));
    expect(email!.to).toBe(stack.reseller.email);
    expect(email!.text).toContain(`Link:     ${link}`);
    expect(email!.text).toMatch(/Charge: {3}\d+\.\d{2,6} USD/);
    expect(email!.text).toContain(`In your cabinet: ${stack.apiBase}/api/v1/orders/${orderId}`);
    expect(email!.html).toContain('x=&lt;b&gt;');
    expect(email!.html).not.toContain('<b>');

    await settled();
    expect(emailsTo(stack.reseller.email, subject)).toHaveLength(1);
    const outbox = (await (await fetch(`${stack.outboxUrl}?to=${encodeURIComponent(stack.reseller.email)}`)).json()) as { subject: string }[];
    expect(outbox.filter((m) => subject.test(m.subject))).toHaveLength(1);
    expect(stack.queues.deadLetters).toEqual([]);
  });

  it('emails the demo customer about a paid top-up, and not about an order while order emails are off', async () => {
    const token = await customerToken();
    const topUp = await call('POST', '/top-ups', { token, body: { amount: '10.00', method: 'demo' } });
    expect(topUp.status).toBe(201);
    expect((await fetch(`${topUp.body.checkoutUrl}/pay`, { method: 'POST' })).status).toBe(200);
    const deposit = await until(() => emailsTo(stack.customer.email, /^Deposit of 10\.00 USD credited$/)[0]);
    expect(deposit.text).toContain(`Top-up: ${topUp.body.id}`);

    const off = await call('PATCH', '/me', { token, body: { notifications: { orderCompleted: false } } });
    expect(off.status).toBe(200);
    const order = await call('POST', '/orders', { token, body: { service: 1, link: 'https://youtube.com/watch?v=quiet', quantity: 100 } });
    expect(order.status).toBe(201);
    const orderId = order.body.id as number;
    await until(async () => ((await call('GET', `/orders/${orderId}`, { token })).body.status === 'Completed' ? true : undefined));
    // The order's events reached the email consumer, which sent nothing.
    await until(
      () =>
        stack.events.events.some((e) => e.type === 'order.completed' && 'version' in e && (e.data as { orderId: number }).orderId === Number(orderId)) ||
        undefined,
    );
    await settled();
    expect(emailsTo(stack.customer.email, /^Order #/)).toEqual([]);
    expect(emailsTo(stack.customer.email, /^Deposit of 10\.00 USD credited$/)).toHaveLength(1);
  });

  it('sends a security notice for a new API key whatever the settings, with its prefix and never the key', async () => {
    const token = await customerToken();
    await call('PATCH', '/me', { token, body: { notifications: { orderCompleted: false, depositCredited: false } } });
    const created = await call('POST', '/api-keys', { token, body: { label: 'my <panel>' } });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const notice = await until(() => emailsTo(stack.customer.email, /^New API key .+… created$/)[0]);
    expect(notice.text).toContain('Label: my <panel>');
    expect(notice.html).toContain('my &lt;panel&gt;');
    for (const body of [notice.subject, notice.text, notice.html]) expect(body).not.toContain(key);
    expect(notice.text).toContain(key.slice(0, 8));
  });
});
