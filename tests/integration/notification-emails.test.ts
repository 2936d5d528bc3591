// The sendNotificationEmails handler on DynamoDB Local (real accounts, real event claims), with SQS batches as the
// queue hands them over: one email per event id however often and however together the event arrives, none against
// the owner's settings, and a send that fails fails only its own message.
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamodb/customer-accounts.js';
import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from '../../lambdas/customers/ports.js';
import { type CatalogueEvent, apiKeyEvent, balanceLow, depositCredited, orderEnded } from '../../lambdas/events/catalogue.js';
import { handler } from '../../lambdas/notifications/handlers/email-consumer-handler.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { logger } from '../../lambdas/shared/logger.js';
import { micros } from '../../lambdas/shared/money.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import type { EmailMessage, ReceivedMessage } from '../../lambdas/shared/ports.js';
import { type TestTable, createTestTable } from '../support/dynamo-table.js';
import { queueArnOf, sqsRecord } from '../support/sqs-records.js';

const ENV = ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'PUBLIC_API_URL'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
const QUEUE_ARN = queueArnOf('sendNotificationEmails');
const AT = '2026-12-01T10:00:00.000Z';

let table: TestTable;
let accounts: DynamoAccountStore;
const sent: EmailMessage[] = [];
const postponed: { message: ReceivedMessage; seconds: number }[] = [];
/** Recipients whose sends fail (SES refusing, say). */
const failingFor = new Set<string>();
/** When set, every send waits for it: holds a send open while another delivery of the same event arrives. */
let sendGate: Promise<void> | undefined;
let openGate: () => void = () => undefined;

beforeAll(async () => {
  table = await createTestTable();
  accounts = new DynamoAccountStore(table.db, table.tableName);
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    PUBLIC_API_URL: 'https://api.codex.test/',
  });
  logger.setLogLevel('SILENT');
  usePlatform({
    email: {
      send: async (message) => {
        if (sendGate) await sendGate;
        if (failingFor.has(message.to)) throw new Error('MessageRejected: refused for this test');
        sent.push(message);
      },
    },
    queues: {
      postpone: async (message, seconds) => {
        postponed.push({ message, seconds });
        openGate();
      },
    },
  });
});

afterAll(() => {
  logger.setLogLevel('INFO');
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  usePlatform({});
});

async function user(settings: Partial<NotificationSettings> = {}): Promise<{ id: string; email: string }> {
  const id = `u-${randomUUID()}`;
  const email = `${id}@example.com`;
  expect(await accounts.create({ id, email, walletId: `w-${id}`, currency: 'USD', passwordHash: 'x', createdAt: AT })).toBe('created');
  if (Object.keys(settings).length > 0) await accounts.update(id, { notifications: { ...DEFAULT_NOTIFICATIONS, ...settings }, at: AT });
  return { id, email };
}

const order = (ownerId: string): Order => ({
  id: Math.floor(Math.random() * 1_000_000),
  ownerId,
  walletId: `w-${ownerId}`,
  serviceId: 1,
  providerId: 'p-1',
  providerServiceId: '1',
  link: 'https://example.com/p/1',
  quantity: 100,
  ratePer1000: micros(900_000),
  charge: micros(90_000),
  refunded: micros(0),
  status: 'Completed',
  phase: 'finalized',
  createdAt: AT,
  updatedAt: AT,
  remains: 0,
  startCount: 10,
  submitAttempts: 1,
});

const completed = (ownerId: string): CatalogueEvent => orderEnded(order(ownerId), 'USD', `evt_${randomUUID()}`, AT)!;

/** An SQS record as the queue of a bus rule delivers it: the EventBridge event, its detail the catalogue event. */
function record(event: CatalogueEvent, receiveCount = 1, messageId: string = randomUUID()) {
  return sqsRecord(event, { receiveCount, messageId, consumer: 'sendNotificationEmails' });
}

const deliver = async (...records: ReturnType<typeof record>[]) => (await handler({ Records: records } as SQSEvent)) as SQSBatchResponse;
const failures = (response: SQSBatchResponse) => response.batchItemFailures.map((f) => f.itemIdentifier).sort();
const to = (email: string) => sent.filter((m) => m.to === email);
const claimOf = async (eventId: string) => (await table.allItems()).find((i) => i.pk === `EVENT#${eventId}` && i.sk === 'CLAIM#sendNotificationEmails');

describe('notification emails, once per event id', () => {
  it('sends one email for an event delivered twice, one after the other', async () => {
    const owner = await user();
    const event = completed(owner.id);
    expect(failures(await deliver(record(event)))).toEqual([]);
    expect(failures(await deliver(record(event, 2)))).toEqual([]);
    const emails = to(owner.email);
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toMatch(/^Order #\d+ completed$/);
    expect(emails[0]!.text).toContain(`https://api.codex.test/api/v1/orders/${(event.data as { orderId: number }).orderId}`);
    expect(emails[0]!.html).toContain('0.09 USD');
    expect(await claimOf(event.id)).toMatchObject({ state: 'done' });
  });

  it('sends one email for two copies in one batch: the copy that finds the other mid-send comes back after the lease, and then sends nothing', async () => {
    const owner = await user();
    const event = completed(owner.id);
    const [first, second] = [record(event), record(event)];
    postponed.length = 0;
    // The send waits until the other copy has been postponed, so the two really overlap.
    sendGate = new Promise((resolve) => {
      openGate = resolve;
    });
    const response = await deliver(first, second);
    sendGate = undefined;
    expect(to(owner.email)).toHaveLength(1);
    const busy = failures(response);
    expect(busy).toHaveLength(1);
    expect(postponed).toEqual([{ message: { queueArn: QUEUE_ARN, receiptHandle: expect.stringContaining(busy[0]!) }, seconds: 60 }]);

    // Back after the lease: the event is done, so the copy is deleted without another email.
    const again = await deliver(record(event, 2, busy[0]));
    expect(failures(again)).toEqual([]);
    expect(to(owner.email)).toHaveLength(1);
  });

  it('sends each of several different events once, in a batch with duplicates of each', async () => {
    const owner = await user({ lowBalanceThreshold: micros(5_000_000) });
    const events: CatalogueEvent[] = [
      completed(owner.id),
      depositCredited(
        { id: 'tu-1', ownerId: owner.id, walletId: 'w', currency: 'USD', method: 'demo', creditedAmount: micros(7_000_000) },
        `evt_${randomUUID()}`,
        AT,
      ),
      balanceLow({ id: 'w', ownerId: owner.id, currency: 'USD', balance: micros(3_000_000) }, micros(5_000_000), `evt_${randomUUID()}`, AT),
    ];
    const first = await deliver(...events.map((e) => record(e)));
    expect(failures(first)).toEqual([]);
    await deliver(...events.map((e) => record(e, 2)));
    expect(
      to(owner.email)
        .map((m) => m.subject)
        .sort(),
    ).toEqual([
      expect.stringMatching(/^Deposit of 7\.00 USD credited$/),
      expect.stringMatching(/^Low balance: 3\.00 USD$/),
      expect.stringMatching(/^Order #\d+ completed$/),
    ]);
  });
});

describe("notification emails and the owner's settings", () => {
  it('sends no order email when order emails are off, and writes no claim', async () => {
    const owner = await user({ orderCompleted: false });
    const event = completed(owner.id);
    expect(failures(await deliver(record(event)))).toEqual([]);
    expect(to(owner.email)).toEqual([]);
    expect(await claimOf(event.id)).toBeUndefined();
  });

  it('sends no deposit email when deposit emails are off, but still the API key notice', async () => {
    const owner = await user({ orderCompleted: false, depositCredited: false });
    const deposit = depositCredited(
      { id: 'tu-2', ownerId: owner.id, walletId: 'w', currency: 'USD', method: 'demo', creditedAmount: micros(1_000_000) },
      `evt_${randomUUID()}`,
      AT,
    );
    const created = apiKeyEvent('api_key.created', { keyId: 'k', ownerId: owner.id, walletId: 'w', prefix: 'cdx_zz99' }, `evt_${randomUUID()}`, AT);
    expect(failures(await deliver(record(deposit), record(created)))).toEqual([]);
    expect(to(owner.email).map((m) => m.subject)).toEqual(['New API key cdx_zz99… created']);
  });

  it('emails neither a blocked user nor an unknown one, and fails neither message', async () => {
    const blocked = await user();
    await accounts.setBlocked(blocked.id, 'fraud', AT);
    const response = await deliver(record(completed(blocked.id)), record(completed(`u-${randomUUID()}`)));
    expect(failures(response)).toEqual([]);
    expect(to(blocked.email)).toEqual([]);
  });
});

describe('notification emails when sending fails', () => {
  it('reports only the message whose send failed; the others are sent once, and the failed one is sent when it comes back', async () => {
    const [a, b, c] = [await user(), await user(), await user()];
    const events = [completed(a.id), completed(b.id), completed(c.id)];
    const records = events.map((e) => record(e));
    failingFor.add(b.email);
    const response = await deliver(...records);
    expect(failures(response)).toEqual([records[1]!.messageId]);
    expect(to(a.email)).toHaveLength(1);
    expect(to(b.email)).toHaveLength(0);
    expect(to(c.email)).toHaveLength(1);
    // The claim was given back, not left to block the retry until its lease ends.
    expect(await claimOf(events[1]!.id)).toMatchObject({ state: 'released' });

    failingFor.delete(b.email);
    // The queue gives back the failed message (and, as at-least-once allows, a stray copy of a sent one).
    const retry = await deliver(record(events[1]!, 2, records[1]!.messageId), record(events[0]!, 2));
    expect(failures(retry)).toEqual([]);
    expect(to(a.email)).toHaveLength(1);
    expect(to(b.email)).toHaveLength(1);
    expect(to(c.email)).toHaveLength(1);
  });
});
