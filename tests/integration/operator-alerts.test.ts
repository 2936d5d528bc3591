// Operator alerts on DynamoDB Local: the poller's health tracking per provider (one event per bad spell), orders
// whose provider answers oddly for an hour, overdue orders found by the sweeper, and the alertOperators consumer
// sending one alert per event id however often the event arrives.
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAttentionMarks } from '../../lambdas/adapters/dynamodb/attention-marks.js';
import { DynamoEventClaims } from '../../lambdas/adapters/dynamodb/event-claims.js';
import { keys } from '../../lambdas/adapters/dynamodb/keys.js';
import { DynamoProviderHealthStore } from '../../lambdas/adapters/dynamodb/provider-health-store.js';
import { ProviderNotReached, ProviderOutcomeUnknown } from '../../lambdas/catalog/domain/provider-errors.js';
import { type CatalogueEvent, type EventOf, providerUnhealthy } from '../../lambdas/events/catalogue.js';
import { eventsFromChange } from '../../lambdas/events/from-stream.js';
import { ALERT_CONSUMER, alertOperators } from '../../lambdas/notifications/application/alert-operators.js';
import { submitOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { placeOrder } from '../../lambdas/orders/application/place-order.js';
import { type PollServices, pollProvider } from '../../lambdas/orders/application/poll-providers.js';
import { type SweepServices, sweepOpenOrders } from '../../lambdas/orders/application/sweep-orders.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import type { OperatorAlert, PublishedEvent } from '../../lambdas/shared/ports.js';
import { TEST_SERVICE, type TestTable, createTestTable, fundedWallet, orderServicesOn } from '../support/dynamo-table.js';
import { sqsRecord } from '../support/sqs-records.js';
import { ScriptedProvider } from '../support/scripted-provider.js';
import { testProvider } from '../support/test-provider.js';
import { inInvocation } from '../../local/invoke-store.js';

/** A provider whose status calls fail while `failure` is set. */
class FlakyProvider extends ScriptedProvider {
  failure: Error | undefined;
  override async multiStatus(ids: string[]) {
    if (this.failure) {
      this.multiStatusCalls.push(ids);
      throw this.failure;
    }
    return super.multiStatus(ids);
  }
}

const START = Date.parse('2026-12-01T10:00:30.000Z');
let now = START;
const clock = { now: () => new Date(now) };
const minutes = (n: number) => n * 60_000;

let table: TestTable;
const upstream = new Map<string, FlakyProvider>();
let env: ReturnType<typeof orderServicesOn>;
const published: PublishedEvent[] = [];
const settings = { failureRate: 0.5, minCalls: 5, windowMinutes: 10, anomalyAlertAfterMs: minutes(60), defaultExpectedMinutes: 1440 };

const provider = (id: string) => testProvider({ id });

let poll: PollServices;
let sweep: SweepServices;

beforeAll(async () => {
  table = await createTestTable();
  env = orderServicesOn(table, { forProvider: async (p) => upstream.get(p.id)! });
  env.services.clock = clock;
  const events = { publish: async (batch: PublishedEvent[]) => void published.push(...batch) };
  const marks = new DynamoAttentionMarks(table.db, table.tableName);
  poll = { ...env.services, watch: { health: new DynamoProviderHealthStore(table.db, table.tableName), marks, events, settings } };
  sweep = { ...env.services, watch: { marks, settings } };
  await fundedWallet(table, 'w', '1000.00');
  for (const [serviceId, providerId, expectedMinutes] of [
    [2, 'flaky', undefined],
    [3, 'lost', undefined],
    [4, 'slowish', 30],
    [5, 'slowish', undefined],
    [6, 'shaky', undefined],
  ] as const) {
    upstream.set(providerId, upstream.get(providerId) ?? new FlakyProvider());
    await table.catalog.putProvider(provider(providerId));
    await table.catalog.putService({ ...TEST_SERVICE, id: serviceId, providerId, ...(expectedMinutes ? { expectedMinutes } : {}) });
  }
});

/** An order placed now and taken by its provider under `externalId`. */
async function submittedOrder(serviceId: number, providerId: string, externalId: string): Promise<number> {
  const { order } = await placeOrder(env.services, {
    ownerId: 'owner-w',
    walletId: 'w',
    serviceId,
    link: `https://youtube.com/watch?v=${externalId}`,
    quantity: 1000,
  });
  upstream.get(providerId)!.placeScript.push(externalId);
  expect(await submitOrder(env.services, order.id)).toBe('submitted');
  return order.id;
}

const ofType = <T extends CatalogueEvent['type']>(type: T) => published.filter((e): e is EventOf<T> => e.type === type);
const orderItem = async (orderId: number) => (await table.allItems()).find((i) => i.pk === keys.order(orderId).pk && i.sk === keys.order(orderId).sk)!;
const healthItem = async (providerId: string) => (await table.allItems()).find((i) => i.pk === keys.providerHealth(providerId).pk);

describe("the poller's watch over a provider", () => {
  it('publishes one provider.unhealthy per bad spell, recovers, and a new spell gives a new one', async () => {
    const flaky = upstream.get('flaky')!;
    await submittedOrder(2, 'flaky', 'f-1');
    flaky.statuses.set('f-1', { status: 'In progress', remains: 500 });
    // Healthy runs write nothing: the provider's item does not even exist.
    await pollProvider(poll, await provider('flaky'));
    expect(await healthItem('flaky')).toBeUndefined();

    flaky.failure = new ProviderOutcomeUnknown('No answer from the provider within 1000 ms');
    for (let i = 1; i <= 8; i++) {
      now = START + minutes(i);
      const report = await pollProvider(poll, provider('flaky'));
      expect(report.unhealthy).toBe(i >= 5);
    }
    const first = ofType('provider.unhealthy');
    expect(first).toHaveLength(1);
    expect(first[0]!.data).toMatchObject({ providerId: 'flaky', failureRate: 1, since: new Date(START + minutes(1) - 30_000).toISOString() });
    expect(first[0]!.data.reason).toMatch(/^5 of 5 status calls failed in the last 10 minutes: 5 timed out/);
    expect(await healthItem('flaky')).toMatchObject({ entity: 'provider-health', unhealthySince: first[0]!.data.since, alerted: true });

    // Back to answering: once the failing minutes leave the window, the provider is healthy and its item empty.
    flaky.failure = undefined;
    for (let i = 9; i <= 20; i++) {
      now = START + minutes(i);
      await pollProvider(poll, provider('flaky'));
    }
    const healed = await healthItem('flaky');
    expect(healed).toMatchObject({ minutes: [], anomalies: {} });
    expect(healed!.unhealthySince).toBeUndefined();
    // Clean runs do not write: the version stays.
    now = START + minutes(21);
    await pollProvider(poll, provider('flaky'));
    expect((await healthItem('flaky'))!.version).toBe(healed!.version);

    flaky.failure = new ProviderNotReached('Provider not reachable (ECONNREFUSED)');
    for (let i = 30; i < 36; i++) {
      now = START + minutes(i);
      await pollProvider(poll, provider('flaky'));
    }
    const spells = ofType('provider.unhealthy');
    expect(spells).toHaveLength(2);
    expect(spells[1]!.id).not.toBe(spells[0]!.id);
    expect(spells[1]!.data.reason).toContain('could not connect');
    flaky.failure = undefined;
  });

  it('publishes a spell again on the next run when the bus refused it, with the same id', async () => {
    now = START;
    const shaky = upstream.get('shaky')!;
    await submittedOrder(6, 'shaky', 'sh-1');
    shaky.failure = new ProviderOutcomeUnknown('The provider answered HTTP 502');
    const tried: string[] = [];
    let refuse = true;
    const bus = {
      publish: async (batch: PublishedEvent[]) => {
        tried.push(...batch.map((e) => e.id));
        if (refuse) throw new Error('EventBridge refused 1 of 1 events');
      },
    };
    const watched: PollServices = { ...poll, watch: { ...poll.watch!, events: bus } };
    for (let i = 0; i < 5; i++) {
      now = START + minutes(i);
      await pollProvider(watched, provider('shaky'));
    }
    expect(tried).toHaveLength(1);
    expect((await healthItem('shaky'))!.alerted).toBe(false);
    refuse = false;
    now = START + minutes(5);
    expect((await pollProvider(watched, provider('shaky'))).alerts).toBe(1);
    now = START + minutes(6);
    await pollProvider(watched, provider('shaky'));
    expect(tried).toEqual([tried[0], tried[0]]);
    expect((await healthItem('shaky'))!.alerted).toBe(true);
    shaky.failure = undefined;
  });

  it("tells of an order its provider has not known for an hour, once, with the order's state", async () => {
    now = START;
    const orderId = await submittedOrder(3, 'lost', 'l-1');
    // The scripted provider answers "Incorrect order ID" for ids it has no status for.
    for (const at of [0, 30, 59]) {
      now = START + minutes(at);
      await pollProvider(poll, provider('lost'));
    }
    expect((await table.orders.getOrder(orderId))!.attention).toBeUndefined();
    const before = await orderItem(orderId);
    now = START + minutes(61);
    expect((await pollProvider(poll, provider('lost'))).alerts).toBe(1);
    const after = await orderItem(orderId);
    now = START + minutes(62);
    expect((await pollProvider(poll, provider('lost'))).alerts).toBe(0);
    expect((await table.orders.getOrder(orderId))!.attention).toEqual({ order_not_found: new Date(START).toISOString() });
    // The mark's stream record is the alert.
    const told = eventsFromChange({ oldImage: before, newImage: after }, { currency: 'USD' });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      type: 'order.needs_attention',
      at: new Date(START + minutes(61)).toISOString(),
      data: { reason: 'order_not_found', since: new Date(START).toISOString(), order: { orderId, status: 'Pending', currency: 'USD' } },
    });
    expect(await orderItem(orderId)).toEqual(after);
  });

  it('starts the hour again when the provider answers a real status in between', async () => {
    now = START;
    const lost = upstream.get('lost')!;
    const orderId = await submittedOrder(3, 'lost', 'l-2');
    await pollProvider(poll, provider('lost'));
    now = START + minutes(40);
    lost.statuses.set('l-2', { status: 'In progress', remains: 100 });
    await pollProvider(poll, provider('lost'));
    lost.statuses.set('l-2', new ProviderOutcomeUnknown('Unrecognised order status "Weird"'));
    now = START + minutes(41);
    await pollProvider(poll, provider('lost'));
    now = START + minutes(90);
    await pollProvider(poll, provider('lost'));
    expect((await table.orders.getOrder(orderId))!.attention).toBeUndefined();
    now = START + minutes(101);
    await pollProvider(poll, provider('lost'));
    expect((await table.orders.getOrder(orderId))!.attention).toEqual({ unknown_status: new Date(START + minutes(41)).toISOString() });
  });
});

describe("the sweeper's watch over open orders", () => {
  it("tells once of an order open past its service's expected time, and not of one within the default", async () => {
    now = START;
    const quick = await submittedOrder(4, 'slowish', 's-1');
    const usual = await submittedOrder(5, 'slowish', 's-2');
    // Each sweep tells CloudWatch how far each provider's oldest open order is past its time (0 when none is).
    const overdueSeconds = (providerId: string) => env.metrics.of('OpenOrderOverdue', { provider: providerId }).at(-1)?.value;
    now = START + minutes(29);
    expect((await sweepOpenOrders(sweep)).overdue).toEqual([]);
    expect(overdueSeconds('slowish')).toBe(0);
    now = START + minutes(31);
    expect((await sweepOpenOrders(sweep)).overdue).toEqual([quick]);
    expect(overdueSeconds('slowish')).toBe(60);
    now = START + minutes(36);
    expect((await sweepOpenOrders(sweep)).overdue).toEqual([]);
    // Marked already, still overdue: the metric goes on saying so until the order ends.
    expect(overdueSeconds('slowish')).toBe(360);
    expect(overdueSeconds('flaky')).toBe(0);
    expect(env.metrics.of('OpenOrderOverdue').filter((r) => r.dimensions.provider === 'slowish')).toHaveLength(3);
    expect((await table.orders.getOrder(quick))!.attention).toEqual({ overdue: new Date(START + minutes(30)).toISOString() });
    expect((await table.orders.getOrder(usual))!.attention).toBeUndefined();
  });
});

describe('the alertOperators consumer', () => {
  const sent: OperatorAlert[] = [];
  const event = providerUnhealthy(
    { providerId: 'p-9', reason: '5 of 5 status calls failed', failureRate: 1, since: '2026-12-01T10:00:00.000Z' },
    'evt_alert_1',
    '2026-12-01T10:05:00.000Z',
  );
  const sqsEvent = (messageId: string, body: CatalogueEvent): SQSEvent => ({ Records: [sqsRecord(body, { messageId, consumer: 'alertOperators' })] });

  afterAll(() => usePlatform({}));

  it('sends one alert per event id, however many times the event is delivered', async () => {
    Object.assign(process.env, { TABLE_NAME: table.tableName, DYNAMODB_ENDPOINT: table.endpoint, STAGE: 'test' });
    usePlatform({ alerts: { send: async (alert) => void sent.push(alert) } });
    const { handler } = await import('../../lambdas/notifications/handlers/operator-alerts-handler.js');
    // Each delivery in its own invocation, as Lambda and the local stack run them (the consumer's batch state lives there).
    const results = await Promise.all([
      inInvocation('req-m1', () => handler(sqsEvent('m1', event))),
      inInvocation('req-m2', () => handler(sqsEvent('m2', event))),
    ]);
    await handler(sqsEvent('m3', event));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('[codex test] Provider p-9 is failing');
    // The parallel delivery that found the claim held is retried later, not lost; a later one is just done.
    expect(results.flatMap((r) => r.batchItemFailures).length).toBeLessThanOrEqual(1);
  });

  it('gives the claim back when sending fails, so the next delivery sends it', async () => {
    const claims = new DynamoEventClaims(table.db, table.tableName, { now: () => new Date() });
    const other = { ...event, id: 'evt_alert_2' };
    let fail = true;
    const delivered: OperatorAlert[] = [];
    const alerts = {
      send: async (alert: OperatorAlert) => {
        if (fail) throw new Error('SNS is down');
        delivered.push(alert);
      },
    };
    await expect(alertOperators({ claims, alerts, stage: 'test' }, other)).rejects.toThrow('SNS is down');
    fail = false;
    expect(await alertOperators({ claims, alerts, stage: 'test' }, other)).toBe('sent');
    expect(await alertOperators({ claims, alerts, stage: 'test' }, other)).toBe('duplicate');
    expect(delivered).toHaveLength(1);
    const claim = (await table.allItems()).find((i) => i.pk === 'EVENT#evt_alert_2');
    expect(claim).toMatchObject({ sk: `CLAIM#${ALERT_CONSUMER}`, state: 'done' });
  });
});
