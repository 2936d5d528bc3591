// The webhook consumer (deliverWebhooks) as Lambda runs it, on DynamoDB Local with the real HTTP sender and local
// receivers: one POST per event id however often the queue hands it over, a failing receiver retried 5 s later and
// then delivered, signatures the `standardwebhooks` package verifies, and a crash mid-batch that loses nothing.
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventClaims } from '../../lambdas/adapters/dynamodb/event-claims.js';
import { DynamoWebhookStore } from '../../lambdas/adapters/dynamodb/webhook-store.js';
import { HttpWebhookSender } from '../../lambdas/adapters/webhooks/webhook-sender.js';
import type { DeliveryDeps } from '../../lambdas/notifications/application/webhook-delivery.js';
import { type WebhookDeps, redeliver, registerWebhook } from '../../lambdas/notifications/application/webhook-endpoints.js';
import { secretBoxKey } from '../../lambdas/notifications/domain/secret-box.js';
import { webhookConsumer } from '../../lambdas/notifications/handlers/webhook-consumer-handler.js';
import type { WebhookSender } from '../../lambdas/notifications/ports.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { systemClock } from '../../lambdas/shared/platform/config.js';
import type { EmailMessage } from '../../lambdas/shared/ports.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';
import { sqsRecord } from '../support/sqs-records.js';
import { orderEvent } from '../support/order-events.js';
import { RecordedMetrics } from '../support/recorded-metrics.js';

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

let table: TestTable;
let store: DynamoWebhookStore;
let server: Server;
let origin: string;
const received: Received[] = [];
/** Statuses the receiver answers, per path, in turn; 204 once a path's list runs out. */
const script = new Map<string, number[]>();
const postponed: { receiptHandle: string; seconds: number }[] = [];
const emails: EmailMessage[] = [];
const KEY = secretBoxKey('integration test key material');

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoWebhookStore(table.db, table.tableName);
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers as IncomingHttpHeaders).map(([k, v]) => [k, String(v)]));
      received.push({ path: req.url ?? '', headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(script.get(req.url ?? '')?.shift() ?? 204).end();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  usePlatform({
    queues: {
      postpone: async (message, seconds) => {
        postponed.push({ receiptHandle: message.receiptHandle, seconds });
      },
    },
  });
});

afterAll(async () => {
  usePlatform({});
  await new Promise((done) => server?.close(done));
});

const http = new HttpWebhookSender({ allowLoopbackHttp: true });

function deps(sender: WebhookSender = http): DeliveryDeps {
  return {
    store,
    sender,
    sealingKey: async () => KEY,
    clock: systemClock,
    claims: new DynamoEventClaims(table.db, table.tableName, systemClock),
    email: { send: async (message) => void emails.push(message) },
    owners: { emailOf: async (userId) => `${userId}@example.com` },
    onNoticeFailed: () => {},
    metrics: new RecordedMetrics(),
  };
}

const cabinet = (): WebhookDeps => ({ store, sender: http, sealingKey: async () => KEY, clock: systemClock, allowLoopbackHttp: true });

/** A user with a webhook on the local receiver at `/<userId>`; answers its secret. */
async function webhookOf(userId: string): Promise<string> {
  const { secret } = await registerWebhook(cabinet(), userId, { url: `${origin}/${userId}` });
  return secret!;
}

/** An SQS record as the bus rule's queue delivers it: the EventBridge event, its detail the catalogue event. */
function message(event: object, receiveCount = 1): SQSRecord {
  return sqsRecord(event, { receiveCount, consumer: 'deliverWebhooks' });
}

const again = (record: SQSRecord): SQSRecord => ({
  ...record,
  receiptHandle: randomUUID(),
  attributes: { ...record.attributes, ApproximateReceiveCount: String(Number(record.attributes.ApproximateReceiveCount) + 1) },
});

async function run(sender: WebhookSender | undefined, ...records: SQSRecord[]) {
  const handler = webhookConsumer(() => deps(sender));
  const response = await handler({ Records: records } as SQSEvent);
  return response.batchItemFailures.map((f) => f.itemIdentifier);
}

const postsTo = (userId: string) => received.filter((r) => r.path === `/${userId}`);

describe('the webhook consumer', () => {
  it('sends one POST per event id when the queue hands the event over twice, in two batches or in one', async () => {
    const secret = await webhookOf('u-twice');
    const first = orderEvent('order.created', 'evt_twice_1', { ownerId: 'u-twice' });
    const m1 = message(first);
    expect(await run(undefined, m1)).toEqual([]);
    expect(await run(undefined, message(first))).toEqual([]);
    expect(postsTo('u-twice')).toHaveLength(1);

    const second = orderEvent('order.completed', 'evt_twice_2', { ownerId: 'u-twice', status: 'Completed', remains: 0 });
    const [a, b] = [message(second), message(second)];
    const failed = await run(undefined, a, b);
    // Both run at once: one sends, the other finds its claim, comes back after the claim's lease and then finds the
    // event done (or, had it come second, found it done at once).
    expect(failed.length).toBeLessThanOrEqual(1);
    for (const waiting of [a, b].filter((m) => failed.includes(m.messageId))) {
      expect(postponed.find((p) => p.receiptHandle === waiting.receiptHandle)?.seconds).toBe(30);
      expect(await run(undefined, again(waiting))).toEqual([]);
    }

    const posts = postsTo('u-twice');
    expect(posts.map((p) => p.headers['webhook-id'])).toEqual(['evt_twice_1', 'evt_twice_2']);
    for (const post of posts) expect(() => new Webhook(secret).verify(post.body, post.headers)).not.toThrow();
    expect(JSON.parse(posts[1]!.body)).toEqual({
      id: 'evt_twice_2',
      type: 'order.completed',
      createdAt: second.at,
      data: {
        order: {
          id: 1042,
          status: 'Completed',
          charge: '0.90000',
          start_count: '0',
          remains: '0',
          currency: 'USD',
          service: 7,
          link: 'https://instagram.com/p/abc',
        },
      },
    });
  });

  it('retries a receiver that answers 500 after 5 s, then delivers, with both attempts recorded and the record redeliverable', async () => {
    const secret = await webhookOf('u-flaky');
    script.set('/u-flaky', [500]);
    const record = message(orderEvent('order.partial', 'evt_flaky', { ownerId: 'u-flaky', status: 'Partial', refunded: '0.36000', remains: 400 }));
    expect(await run(undefined, record)).toEqual([record.messageId]);
    expect(postponed.find((p) => p.receiptHandle === record.receiptHandle)?.seconds).toBe(5);
    const retry = again(record);
    expect(await run(undefined, retry)).toEqual([]);

    const posts = postsTo('u-flaky');
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.headers['webhook-id']).toBe('evt_flaky');
      expect(() => new Webhook(secret).verify(post.body, post.headers)).not.toThrow();
    }
    expect(JSON.parse(posts[1]!.body).data.order).toMatchObject({ status: 'Partial', charge: '0.54000', remains: '400' });

    const { items } = await store.listDeliveries('u-flaky', { limit: 10 });
    expect(items.map(({ attempt, status }) => ({ attempt, status }))).toEqual([
      { attempt: 2, status: 204 },
      { attempt: 1, status: 500 },
    ]);
    expect(items[1]!.retryAt).toBeDefined();
    expect(items[0]!.retryAt).toBeUndefined();
    expect((await store.get('u-flaky'))!.health).toEqual({ consecutiveFailures: 0 });

    // The cabinet resends what the consumer recorded: the same body and event id, freshly signed.
    const resent = await redeliver(cabinet(), 'u-flaky', items[0]!.id);
    expect(resent).toMatchObject({ kind: 'sent', result: { delivered: true } });
    expect(postsTo('u-flaky').at(-1)!.body).toBe(posts[1]!.body);
    expect(() => new Webhook(secret).verify(postsTo('u-flaky').at(-1)!.body, postsTo('u-flaky').at(-1)!.headers)).not.toThrow();
  });

  it('loses nothing when the sender crashes on one message of a batch', async () => {
    for (const user of ['u-crash-a', 'u-crash-b', 'u-crash-c']) await webhookOf(user);
    const records = ['a', 'b', 'c'].map((x) => message(orderEvent('order.created', `evt_crash_${x}`, { ownerId: `u-crash-${x}` })));
    const crashing: WebhookSender = {
      deliver: async (request) => {
        if (request.url.endsWith('/u-crash-b')) throw new Error('the sender crashed');
        return http.deliver(request);
      },
    };
    expect(await run(crashing, ...records)).toEqual([records[1]!.messageId]);
    expect(postsTo('u-crash-a')).toHaveLength(1);
    expect(postsTo('u-crash-b')).toHaveLength(0);
    expect(postsTo('u-crash-c')).toHaveLength(1);
    // The failed message returns after its visibility timeout; the whole batch may come again too.
    expect(await run(undefined, ...records.map(again))).toEqual([]);
    for (const user of ['u-crash-a', 'u-crash-b', 'u-crash-c']) expect(postsTo(user)).toHaveLength(1);
  });

  it('disables the endpoint exactly once when two failures race past the three days', async () => {
    await webhookOf('u-race');
    const webhook = (await store.get('u-race'))!;
    const longAgo = new Date(Date.now() - 4 * 24 * 3600_000).toISOString();
    await store.put({ ...webhook, health: { failingSince: longAgo, consecutiveFailures: 30 } });
    script.set('/u-race', [503, 503]);
    const records = ['1', '2'].map((x) => message(orderEvent('order.created', `evt_race_${x}`, { ownerId: 'u-race' })));
    await run(undefined, ...records);
    expect((await store.get('u-race'))!).toMatchObject({ disabled: true, health: { failingSince: longAgo, consecutiveFailures: 31 } });
    expect(emails.filter((e) => e.to === 'u-race@example.com')).toHaveLength(1);
  });
});
