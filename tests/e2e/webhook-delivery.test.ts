// Webhook deliveries of real order events on the local stack: a customer registers a webhook on a local receiver,
// tops up, places an order through /api/v2 with an API key of theirs, and the receiver gets the order's events,
// signed (verified by the `standardwebhooks` package, not our code), in v2's field names, each event id once.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { v1Client } from '../support/v1-client.js';

interface Arrival {
  at: number;
  headers: Record<string, string>;
  body: string;
}

let stack: LocalStack;
let receiver: Server;
let receiverUrl: string;
const arrivals: Arrival[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 300, logLevel: 'ERROR' });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      arrivals.push({ at: Date.now(), headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/codex`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await stack?.stop();
});

const call = v1Client(() => stack.v1Url);

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('webhook deliveries of order events', () => {
  it('a customer placing an order through /api/v2 receives order.status_changed and order.completed, signed, in v2 field names, and an email and a feed entry', async () => {
    const login = await call('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
    const token = login.body.accessToken as string;
    const put = await call('PUT', '/webhook', { token, body: { url: receiverUrl } });
    expect(put.status).toBe(201);
    const secret = put.body.secret as string;

    const topUp = await call('POST', '/top-ups', { token, body: { amount: '10.00', method: 'demo' } });
    expect(topUp.status).toBe(201);
    const paid = await fetch(`${topUp.body.checkoutUrl}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(paid.status).toBeLessThan(400);
    const key = await call('POST', '/api-keys', { token, body: { label: 'panel' } });
    expect(key.status).toBe(201);

    const placed = (await (
      await fetch(stack.v2Url, {
        method: 'POST',
        body: new URLSearchParams({ key: key.body.key, action: 'add', service: '1', link: 'https://youtube.com/watch?v=webhooks', quantity: '100' }),
      })
    ).json()) as { order: number };
    const orderId = placed.order;
    expect(orderId).toBeGreaterThan(0);

    const events = () =>
      arrivals
        .map((arrival) => ({
          arrival,
          event: JSON.parse(arrival.body) as { id: string; type: string; createdAt: string; data: { order: Record<string, unknown> } },
        }))
        .filter(({ event }) => event.data.order?.id === orderId);
    const completed = await until(() => events().find(({ event }) => event.type === 'order.completed'));
    expect(await stack.queues.drained()).toBe(true);

    const ofOrder = events();
    const types = ofOrder.map(({ event }) => event.type);
    expect(types).toContain('order.created');
    expect(types).toContain('order.status_changed');
    expect(types.filter((t) => t === 'order.completed')).toHaveLength(1);
    // Each event id once, and every body verified by the Standard Webhooks library against the secret shown once.
    expect(new Set(ofOrder.map(({ event }) => event.id)).size).toBe(ofOrder.length);
    for (const { arrival, event } of ofOrder) {
      expect(new Webhook(secret).verify(arrival.body, arrival.headers)).toEqual(event);
      expect(arrival.headers['webhook-id']).toBe(event.id);
    }

    expect(Object.keys(completed.event.data.order).sort()).toEqual(['charge', 'currency', 'id', 'link', 'remains', 'service', 'start_count', 'status']);
    expect(completed.event.data.order).toMatchObject({
      id: orderId,
      status: 'Completed',
      remains: '0',
      currency: 'USD',
      service: 1,
      link: 'https://youtube.com/watch?v=webhooks',
    });
    expect(completed.event.data.order.charge).toMatch(/^\d+\.\d{5}$/);
    expect(completed.event.data.order.start_count).toMatch(/^\d+$/);
    // The same answer as v2's status, field for field.
    const status = (await (
      await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: key.body.key, action: 'status', order: String(orderId) }) })
    ).json()) as Record<string, unknown>;
    expect(completed.event.data.order).toMatchObject(status);

    // Every attempt is in the cabinet's list, delivered at the first attempt.
    const deliveries = await call('GET', '/webhook/deliveries', { token });
    const listed = (deliveries.body.items as { eventId: string; status: number; attempt: number }[]).filter((d) =>
      ofOrder.some(({ event }) => event.id === d.eventId),
    );
    expect(listed).toHaveLength(ofOrder.length);
    expect(listed.every((d) => d.status === 204 && d.attempt === 1)).toBe(true);

    // The same order's end reaches its owner by email (the local outbox) and in the cabinet's notification feed.
    const email = await until(() => stack.outbox.list(stack.customer.email).find((m) => m.subject.includes(`#${orderId}`) && /completed/i.test(m.subject)));
    expect(email.text).toContain('https://youtube.com/watch?v=webhooks');
    const feed = await until(async () => {
      const page = await call('GET', '/notifications', { token });
      const items = page.body.items as { type: string; orderId?: number; read: boolean }[];
      return items.some((n) => n.orderId === orderId && n.type === 'order.completed') ? page.body : undefined;
    });
    expect(feed.unread).toBeGreaterThanOrEqual(1);

    // Figures, not assertions: from the poller's write of the final status, and from the settlement, to the arrival.
    const seen = stack.events.events.find(
      (e) => 'version' in e && e.type === 'order.status_changed' && e.data.orderId === orderId && e.data.status === 'Completed',
    );
    const settled = Date.parse(completed.event.createdAt);
    console.log(
      `webhook delivery of order.completed: ${completed.arrival.at - settled} ms after the settlement, ` +
        `${seen ? completed.arrival.at - Date.parse(seen.at) : '?'} ms after the final status was written (local poller every 300 ms)`,
    );
  });
});
