// The simulated provider as Codex's own SMM v2 client sees it: the real client over the simulated internet, the
// provider's time moved with a fake Date.
import { install } from '@sinonjs/fake-timers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmmV2Client } from '../../../lambdas/adapters/provider/smm-v2-client.js';
import { ProviderNotReached, ProviderOutcomeUnknown, ProviderRejected } from '../../../lambdas/catalog/domain/provider-errors.js';
import { type FaultKind, FaultLog, FaultPlan } from './faults.js';
import { FaultyProvider } from './faulty-provider.js';
import { SimInternet } from './internet.js';
import { seededRandom } from './rng.js';

const KEY = 'sim-key';
const URL_V2 = 'https://p1.sim/api/v2';
const HOUR = 3_600_000;

let clock: ReturnType<typeof install>;
beforeEach(() => {
  clock = install({ now: Date.parse('2026-12-01T10:00:00Z'), toFake: ['Date'] });
});
afterEach(() => clock.uninstall());

function world(probabilities: Partial<Record<FaultKind, number>> = {}, seed = 1, honoursRequestId = false) {
  const log = new FaultLog();
  const faults = new FaultPlan(log, probabilities);
  const provider = new FaultyProvider({ providerId: 'p1', apiKey: KEY, random: seededRandom(seed).fork('p1'), faults, honoursRequestId });
  const internet = new SimInternet();
  internet.register('p1.sim', provider.handle);
  const client = new SmmV2Client(URL_V2, KEY, 10_000, internet.fetch);
  return { log, faults, provider, internet, client };
}

const place = (client: SmmV2Client, n: number, service = '101') =>
  client.place({ providerServiceId: service, link: `https://youtube.com/watch?v=${n}`, quantity: 1000, requestId: `codex-${n}` });

describe('the simulated provider speaks v2 as Codex’s client expects', () => {
  it('takes an order, reports it Pending then running, and ends it Completed, Partial (with remains unless its habit is to leave them out), or Canceled', async () => {
    const { client, provider } = world();
    const ids: string[] = [];
    for (let n = 1; n <= 40; n++) {
      const placed = await place(client, n).catch((e: Error) => e);
      if (!(placed instanceof Error)) ids.push(placed.externalOrderId);
    }
    expect(ids.length).toBeGreaterThan(30);
    expect((await client.status(ids[0]!)).status).toMatch(/Pending|In progress|Processing/);

    clock.tick(8 * HOUR);
    const readings = await Promise.all(ids.map((id) => client.status(id)));
    const statuses = new Set(readings.map((r) => r.status));
    expect(statuses).toContain('Completed');
    expect(statuses).toContain('Partial');
    for (const r of readings) {
      expect(['Completed', 'Partial', 'Canceled']).toContain(r.status);
      if (r.status === 'Completed') expect(r.remains).toBe(0);
      // A Partial carries remains, except on the orders whose panel habit is to leave them out (below).
      if (r.status === 'Partial' && r.remains !== undefined) expect(r.remains).toBeGreaterThan(0);
      expect(r.currency).toBe('USD');
    }
    // The habit is not a fault: with faults off (as here) those orders' Partial still has no remains, while the
    // provider's book knows how many units it did not deliver (what a person is told by its support).
    const held = provider.heldOrders();
    const withoutRemains = ids.filter((_, i) => readings[i]!.status === 'Partial' && readings[i]!.remains === undefined);
    expect(withoutRemains.length).toBeGreaterThan(0);
    expect(withoutRemains.length).toBeLessThan(readings.filter((r) => r.status === 'Partial').length);
    for (const id of withoutRemains) expect(held.find((h) => h.providerOrderId === id)).toMatchObject({ status: 'Partial', remains: expect.any(Number) });
    expect(held.map((h) => h.providerOrderId).sort()).toEqual([...ids].sort());
    expect(held[0]).toMatchObject({ providerId: 'p1', requestId: 'codex-1', link: 'https://youtube.com/watch?v=1', quantity: 1000 });
  });

  it('answers several orders at once, each by the id sent, and an unknown id as Incorrect order ID', async () => {
    const { client } = world();
    const a = (await place(client, 1)).externalOrderId;
    const b = (await place(client, 2)).externalOrderId;
    const answer = await client.multiStatus([a, b, '999999']);
    expect(answer.get(a)).toMatchObject({ status: 'Pending', remains: 1000 });
    expect(answer.get(b)).toMatchObject({ status: 'Pending' });
    expect(answer.get('999999')).toBeInstanceOf(ProviderRejected);
  });

  it('cancels a running order (it stops a little later) and refuses to cancel an unknown one or a service without cancel', async () => {
    const { client } = world();
    const id = (await place(client, 1)).externalOrderId;
    const noCancel = (await place(client, 2, '103')).externalOrderId;
    const answer = await client.cancel([id, noCancel, '424242']);
    expect(answer.get(id)).toBe(true);
    expect(answer.get(noCancel)).toBeInstanceOf(ProviderRejected);
    expect(answer.get('424242')).toBeInstanceOf(ProviderRejected);
    clock.tick(HOUR);
    expect(['Canceled', 'Partial']).toContain((await client.status(id)).status);
  });

  it('refills a completed order of a refillable service and reports the refill to its end', async () => {
    const { client } = world({}, 5);
    const ids: string[] = [];
    for (let n = 1; n <= 10; n++) ids.push((await place(client, n, '102')).externalOrderId);
    clock.tick(8 * HOUR);
    const done = [];
    for (const id of ids) if ((await client.status(id)).status !== 'Canceled') done.push(id);
    const { refillId } = await client.refill(done[0]!);
    expect((await client.refillStatus([refillId])).get(refillId)).toBe('Pending');
    clock.tick(3 * HOUR);
    const statuses = await client.refillStatus([refillId, '1']);
    expect(['Completed', 'Rejected']).toContain(statuses.get(refillId));
    expect(statuses.get('1')).toBeInstanceOf(ProviderRejected);
  });

  it('lists its services and balance, takes every service type, and refuses a wrong key', async () => {
    const { client, internet } = world();
    const services = await client.services();
    expect(services.length).toBeGreaterThan(10);
    expect(new Set(services.map((s) => s.type)).size).toBeGreaterThan(10);
    expect(await client.balance()).toEqual({ balance: '100000.00000', currency: 'USD' });
    const comments = await client.place({
      providerServiceId: '107',
      fields: { link: 'https://instagram.com/p/x', comments: 'one\ntwo\nthree\nfour\nfive' },
      requestId: 'codex-7',
    });
    expect(comments.externalOrderId).toMatch(/^\d+$/);
    await expect(new SmmV2Client(URL_V2, 'wrong', 10_000, internet.fetch).balance()).rejects.toThrow(new ProviderRejected('Invalid API key'));
  });

  it('places a resent order again unless it honours request_id', async () => {
    for (const honours of [false, true]) {
      const { client, provider } = world({}, 2, honours);
      const first = await place(client, 1);
      const again = await place(client, 1);
      expect(first.externalOrderId === again.externalOrderId).toBe(honours);
      expect(provider.heldOrders()).toHaveLength(honours ? 1 : 2);
    }
  });
});

describe('each provider fault reaches Codex’s client as it would from a real panel', () => {
  const outcomeUnknown: FaultKind[] = ['provider.timeout', 'provider.http-5xx', 'provider.html', 'provider.dropped'];
  it.each(outcomeUnknown)('%s: the call fails as an unknown outcome and no order is placed', async (kind) => {
    const { client, provider, log } = world({ [kind]: 1 });
    await expect(place(client, 1)).rejects.toBeInstanceOf(ProviderOutcomeUnknown);
    expect(provider.heldOrders()).toHaveLength(0);
    expect(log.counts()).toEqual({ [kind]: 1 });
  });

  it('provider.answer-lost: the order is placed, yet the call fails as an unknown outcome', async () => {
    const { client, provider, log } = world({ 'provider.answer-lost': 1 });
    for (let n = 1; n <= 6; n++) await expect(place(client, n)).rejects.toBeInstanceOf(ProviderOutcomeUnknown);
    expect(provider.heldOrders().length).toBeGreaterThan(4);
    expect(log.counts()['provider.answer-lost']).toBe(provider.heldOrders().length);
  });

  it('provider.incorrect-order-id: an order it holds is answered as unknown', async () => {
    const { client, faults } = world({ 'provider.incorrect-order-id': 1 });
    faults.off();
    const id = (await place(client, 1)).externalOrderId;
    faults.on();
    await expect(client.status(id)).rejects.toThrow(new ProviderRejected('Incorrect order ID'));
    expect((await client.multiStatus([id])).get(id)).toBeInstanceOf(ProviderRejected);
    expect((await client.cancel([id])).get(id)).toBeInstanceOf(ProviderRejected);
  });

  it('provider.unknown-status: a word no panel uses, read as an unknown outcome', async () => {
    const { client, faults } = world({ 'provider.unknown-status': 1 });
    faults.off();
    const id = (await place(client, 1)).externalOrderId;
    faults.on();
    await expect(client.status(id)).rejects.toBeInstanceOf(ProviderOutcomeUnknown);
    expect((await client.multiStatus([id])).get(id)).toBeInstanceOf(ProviderOutcomeUnknown);
  });

  it('provider.partial-no-remains: Partial with no remains, then the truth on the next reading', async () => {
    const { client, faults } = world({ 'provider.partial-no-remains': 1 });
    faults.off();
    const id = (await place(client, 1)).externalOrderId;
    faults.on();
    const reading = await client.status(id);
    expect(reading.status).toBe('Partial');
    expect(reading.remains).toBeUndefined();
    faults.off();
    expect(await client.status(id)).toMatchObject({ status: 'Pending', remains: 1000 });
  });

  it('provider.status-flip: one reading of another status than the order has', async () => {
    const { client, faults, provider } = world({ 'provider.status-flip': 1 });
    faults.off();
    const id = (await place(client, 1)).externalOrderId;
    faults.on();
    const flipped = await client.status(id);
    expect(flipped.status).not.toBe(provider.heldOrders()[0]!.status);
    clock.tick(8 * HOUR);
    expect(['In progress']).toContain((await client.status(id)).status);
    faults.off();
    expect(['Completed', 'Partial', 'Canceled']).toContain((await client.status(id)).status);
  });

  it('provider.error-status: a reading of Error or Fail for an order that runs on', async () => {
    const { internet, faults, client } = world({ 'provider.error-status': 1 });
    faults.off();
    const id = (await place(client, 1)).externalOrderId;
    faults.on();
    const response = await internet.fetch(URL_V2, { method: 'POST', body: new URLSearchParams({ key: KEY, action: 'status', order: id }) });
    expect(['Error', 'Fail']).toContain(((await response.json()) as { status: string }).status);
  });

  it('is unreachable at an unknown host, and a call aborted before it is sent is not sent', async () => {
    const { internet, provider } = world();
    await expect(new SmmV2Client('https://nowhere.sim/api/v2', KEY, 1000, internet.fetch).balance()).rejects.toBeInstanceOf(ProviderNotReached);
    const controller = new AbortController();
    controller.abort(new Error('gave up'));
    await expect(internet.fetch(URL_V2, { method: 'POST', body: 'action=balance', signal: controller.signal })).rejects.toThrow('gave up');
    expect(provider.calls).toEqual({});
  });

  it('draws the same faults and the same order courses for the same seed', async () => {
    const run = async () => {
      const { client, log, provider } = world({ 'provider.timeout': 0.2, 'provider.status-flip': 0.3, 'provider.answer-lost': 0.2 }, 11);
      const seen: string[] = [];
      for (let n = 1; n <= 30; n++)
        seen.push(
          await place(client, n).then(
            (p) => p.externalOrderId,
            (e: Error) => e.name,
          ),
        );
      clock.tick(HOUR);
      for (const order of provider.heldOrders())
        seen.push(
          await client.status(order.providerOrderId).then(
            (s) => `${s.status}/${s.remains}`,
            (e: Error) => e.name,
          ),
        );
      return { seen, counts: log.counts(), held: provider.heldOrders() };
    };
    const first = await run();
    clock.setSystemTime(Date.parse('2026-12-01T10:00:00Z'));
    expect(await run()).toEqual(first);
  });
});
