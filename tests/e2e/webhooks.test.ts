// The reseller webhook's cabinet routes over HTTP against the local stack: register a webhook on a local receiver,
// send a signed test event that the `standardwebhooks` package (not our code) verifies, rotate the secret, and the
// rules: public https URLs only (loopback allowed locally), changes from a session only, each user their own.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { keys } from '../../lambdas/adapters/dynamodb/keys.js';
import { LOCAL_TABLE_NAME, type LocalStack, startLocalStack } from '../../local/stack.js';
import { v1Client } from '../support/v1-client.js';

let stack: LocalStack;
let receiver: Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
  await stack?.stop();
});

const call = v1Client(() => stack.v1Url);

async function customerToken(): Promise<string> {
  const login = await call('POST', '/auth/login', { body: { email: stack.customer.email, password: stack.customer.password } });
  expect(login.status).toBe(200);
  return login.body.accessToken as string;
}

function headersOf(delivery: { headers: IncomingHttpHeaders }): Record<string, string> {
  return Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k, String(v)]));
}

describe('a reseller webhook', () => {
  it('registers, sends a signed test the Standard Webhooks library verifies, lists it, rotates with both secrets signing, and is removed', async () => {
    const token = await customerToken();
    const put = await call('PUT', '/webhook', { token, body: { url: receiverUrl, events: ['order.completed', 'order.status_changed'] } });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ url: receiverUrl, events: ['order.completed', 'order.status_changed'], disabled: false });
    const secret = put.body.secret as string;
    expect(secret).toMatch(/^whsec_/);

    // At rest the secret is sealed: nothing of it in clear in the item.
    const db = createDocumentClient({ region: 'us-east-1', endpoint: stack.dynamoEndpoint });
    const { Item } = await db.send(new GetCommand({ TableName: LOCAL_TABLE_NAME, Key: keys.webhook(stack.customer.id) }));
    expect(Item?.secret).toMatch(/^v1\./);
    expect(JSON.stringify(Item)).not.toContain(secret.slice('whsec_'.length, 20));

    const read = await call('GET', '/webhook', { token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ url: receiverUrl, disabled: false });
    expect(JSON.stringify(read.body)).not.toContain('whsec_');

    const test = await call('POST', '/webhook/test', { token });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ delivered: true, status: 204 });
    const first = received.at(-1)!;
    const event = new Webhook(secret).verify(first.body, headersOf(first)) as { type: string; id: string };
    expect(event.type).toBe('webhook.test');
    expect(first.headers['user-agent']).toBe('Codex-Webhooks/1.0');

    const deliveries = await call('GET', '/webhook/deliveries', { token });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items[0]).toMatchObject({ eventId: event.id, type: 'webhook.test', status: 204, attempt: 1 });
    expect(deliveries.body.items[0].body).toBeUndefined();

    // Redelivery: the same body and event id, a fresh signature, recorded as the next attempt.
    const again = await call('POST', `/webhook/deliveries/${deliveries.body.items[0].id}/redeliver`, { token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ delivered: true, status: 204 });
    const resent = received.at(-1)!;
    expect(resent.body).toBe(first.body);
    expect(resent.headers['webhook-id']).toBe(event.id);
    expect(() => new Webhook(secret).verify(resent.body, headersOf(resent))).not.toThrow();
    expect((await call('GET', '/webhook/deliveries', { token })).body.items[0]).toMatchObject({ id: again.body.deliveryId, eventId: event.id, attempt: 2 });
    expect((await call('POST', '/webhook/deliveries/nope/redeliver', { token })).status).toBe(404);

    // Changing the URL keeps the secret.
    const changed = await call('PUT', '/webhook', { token, body: { url: receiverUrl } });
    expect(changed.status).toBe(200);
    expect(changed.body.secret).toBeUndefined();
    expect(changed.body.events).toBeNull();

    const rotated = await call('POST', '/webhook/rotate-secret', { token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    expect((await call('POST', '/webhook/test', { token })).body.delivered).toBe(true);
    const second = received.at(-1)!;
    expect(String(second.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(secret).verify(second.body, headersOf(second))).not.toThrow();
    expect(() => new Webhook(rotated.body.secret).verify(second.body, headersOf(second))).not.toThrow();

    expect((await call('DELETE', '/webhook', { token })).status).toBe(204);
    expect((await call('GET', '/webhook', { token })).status).toBe(404);
    expect((await call('POST', '/webhook/test', { token })).status).toBe(404);
    expect((await call('DELETE', '/webhook', { token })).status).toBe(404);
  });

  it('refuses URLs to private, link-local or metadata addresses, naming the field', async () => {
    const token = await customerToken();
    for (const url of ['http://10.0.0.1/hook', 'http://169.254.169.254/latest/meta-data', 'https://[fd00::1]/hook', 'ftp://example.com/x']) {
      const answer = await call('PUT', '/webhook', { token, body: { url } });
      expect(answer.status, url).toBe(400);
      expect(answer.body.error.field, url).toBe('url');
    }
    expect((await call('PUT', '/webhook', { token, body: { url: receiverUrl, events: ['order.lost'] } })).status).toBe(400);
  });

  it('is changed from a signed-in session only, and each user sees only their own', async () => {
    const viaKey = { headers: { 'x-api-key': stack.reseller.apiKey } };
    const refused = await call('PUT', '/webhook', { ...viaKey, body: { url: receiverUrl } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('session_required');
    expect((await call('POST', '/webhook/rotate-secret', viaKey)).status).toBe(403);
    expect((await call('DELETE', '/webhook', viaKey)).status).toBe(403);

    const token = await customerToken();
    expect((await call('PUT', '/webhook', { token, body: { url: receiverUrl } })).status).toBe(201);
    // The reseller (another user) has none: not found, and no deliveries of the customer's.
    expect((await call('GET', '/webhook', viaKey)).status).toBe(404);
    expect((await call('POST', '/webhook/test', viaKey)).status).toBe(404);
    expect((await call('GET', '/webhook/deliveries', viaKey)).body).toEqual({ items: [], nextCursor: null });
    const test = await call('POST', '/webhook/test', { token });
    expect((await call('POST', `/webhook/deliveries/${test.body.deliveryId}/redeliver`, viaKey)).status).toBe(404);
    expect((await call('DELETE', '/webhook', { token })).status).toBe(204);
  });
});
