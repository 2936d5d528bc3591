import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../lambdas/events/catalogue.js';
import { type ChangeContext, type Image, type ItemChange, eventsFromChange, thresholdOwner } from '../../lambdas/events/from-stream.js';
import { micros } from '../../lambdas/shared/money.js';
import { orderImage, walletImage } from '../support/stream-images.js';

const USD = { currency: 'USD' };

const keyListing = (changes: Image = {}): Image => ({
  pk: 'USER#u-1',
  sk: 'APIKEY#k-1',
  entity: 'api-key-listing',
  keyId: 'k-1',
  keyHash: 'f'.repeat(64),
  prefix: 'cdx_ab12',
  ownerId: 'u-1',
  walletId: 'w-1',
  status: 'active',
  label: 'panel',
  createdAt: '2026-12-01T08:00:00.000Z',
  ...changes,
});

function typesOf(change: ItemChange, context: ChangeContext = USD) {
  return eventsFromChange(change, context).map((event) => event.type);
}

describe('events from the table stream', () => {
  it('tells of a placed order once, with what it costs', () => {
    const [event, ...rest] = eventsFromChange({ newImage: orderImage() }, USD);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'order.created',
      at: '2026-12-01T09:00:00.000Z',
      data: { orderId: 1234, status: 'Pending', charge: '0.90000', currency: 'USD', remains: null },
    });
    expect(parseEvent(event)).toEqual(event);
  });

  it('tells of every status change with the status before it, and nothing of progress alone', () => {
    const pending = orderImage({ phase: 'submitted', externalOrderId: 'x' });
    const inProgress = orderImage({
      phase: 'submitted',
      externalOrderId: 'x',
      status: 'In progress',
      startCount: 50,
      remains: 1000,
      updatedAt: '2026-12-01T09:05:00.000Z',
    });
    const [changed] = eventsFromChange({ oldImage: pending, newImage: inProgress }, USD);
    expect(changed).toMatchObject({ type: 'order.status_changed', data: { status: 'In progress', previousStatus: 'Pending', startCount: 50, remains: 1000 } });
    const moved = { ...inProgress, remains: 400, updatedAt: '2026-12-01T09:30:00.000Z' };
    expect(typesOf({ oldImage: inProgress, newImage: moved })).toEqual([]);
    const completed = { ...moved, status: 'Completed', remains: 0, updatedAt: '2026-12-01T10:00:00.000Z' };
    expect(eventsFromChange({ oldImage: moved, newImage: completed }, USD)[0]).toMatchObject({ data: { status: 'Completed', previousStatus: 'In progress' } });
  });

  it('tells of a completed order when it is settled, without a refund', () => {
    const completed = orderImage({ phase: 'submitted', status: 'Completed', remains: 0 });
    const settled = { ...completed, phase: 'finalized', finalizedAt: '2026-12-01T10:00:05.000Z', updatedAt: '2026-12-01T10:00:05.000Z' };
    const events = eventsFromChange({ oldImage: completed, newImage: settled }, USD);
    expect(events.map((event) => event.type)).toEqual(['order.completed']);
    expect(events[0]?.at).toBe('2026-12-01T10:00:05.000Z');
  });

  it('tells of a partial order and its refund when it is settled', () => {
    const partial = orderImage({ phase: 'submitted', status: 'Partial', remains: 400 });
    const settled = { ...partial, phase: 'finalized', refunded: 360_000, finalizedAt: '2026-12-01T10:00:05.000Z' };
    const events = eventsFromChange({ oldImage: partial, newImage: settled }, USD);
    expect(events.map((event) => event.type)).toEqual(['order.partial', 'order.refunded']);
    expect(events[1]).toMatchObject({ data: { refund: '0.36000', refunded: '0.36000', charge: '0.90000', remains: 400 } });
  });

  it('tells of a refused order as a status change, a cancellation and a full refund in one settlement', () => {
    const accepted = orderImage();
    const settled = {
      ...accepted,
      status: 'Canceled',
      phase: 'finalized',
      refunded: 900_000,
      remains: 1000,
      rejectedReason: 'bad link',
      finalizedAt: '2026-12-01T09:00:10.000Z',
    };
    expect(typesOf({ oldImage: accepted, newImage: settled })).toEqual(['order.status_changed', 'order.canceled', 'order.refunded']);
  });

  it('gives the same ids when the same record is read twice, and different ids to different facts', () => {
    const partial = orderImage({ phase: 'submitted', status: 'Partial', remains: 400 });
    const settled = { ...partial, phase: 'finalized', refunded: 360_000, finalizedAt: '2026-12-01T10:00:05.000Z' };
    const first = eventsFromChange({ oldImage: partial, newImage: settled }, USD).map((event) => event.id);
    const again = eventsFromChange({ oldImage: structuredClone(partial), newImage: structuredClone(settled) }, USD).map((event) => event.id);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    for (const id of first) expect(id).toMatch(/^evt_[0-9a-f]{32}$/);
    const other = eventsFromChange({ oldImage: { ...partial, pk: 'ORDERS#13', id: 1300 }, newImage: { ...settled, pk: 'ORDERS#13', id: 1300 } }, USD);
    expect(other.map((event) => event.id).filter((id) => first.includes(id))).toEqual([]);
  });

  it('tells two separate status changes to the same status apart', () => {
    const a = orderImage({ status: 'In progress', updatedAt: '2026-12-01T09:01:00.000Z' });
    const b = orderImage({ status: 'Pending', updatedAt: '2026-12-01T09:02:00.000Z' });
    const c = orderImage({ status: 'In progress', updatedAt: '2026-12-01T09:03:00.000Z' });
    const [first] = eventsFromChange({ oldImage: orderImage(), newImage: a }, USD);
    const [second] = eventsFromChange({ oldImage: b, newImage: c }, USD);
    expect(first?.id).not.toBe(second?.id);
  });

  it('tells of a credited deposit once, from the write that credits the top-up', () => {
    const pending = {
      pk: 'USER#u-1',
      sk: 'TOPUP#tu_1',
      entity: 'top-up',
      id: 'tu_1',
      ownerId: 'u-1',
      walletId: 'w-1',
      amount: 25_000_000,
      currency: 'USD',
      method: 'cryptomus',
      status: 'pending',
      gatewayPaymentId: 'g-1',
      checkoutUrl: 'https://pay.example/x',
    };
    const paid = { ...pending, status: 'paid', creditedAt: '2026-12-01T11:00:00.000Z', creditedAmount: 25_000_000 };
    const [event, ...rest] = eventsFromChange({ oldImage: pending, newImage: paid }, USD);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'deposit.credited',
      at: '2026-12-01T11:00:00.000Z',
      data: { topUpId: 'tu_1', ownerId: 'u-1', amount: '25.00000', method: 'cryptomus' },
    });
    expect(typesOf({ oldImage: paid, newImage: { ...paid, gatewayStatus: 'paid_over' } })).toEqual([]);
    expect(typesOf({ newImage: pending })).toEqual([]);
  });

  it('tells of a low balance when the balance falls below the owner threshold, once per crossing', () => {
    const threshold = { currency: 'USD', lowBalanceThreshold: micros(5_000_000) };
    const change = { oldImage: walletImage(5_500_000, 3), newImage: walletImage(4_600_000, 4) };
    expect(thresholdOwner(change)).toBe('u-1');
    const [event] = eventsFromChange(change, threshold);
    expect(event).toMatchObject({ type: 'balance.low', data: { walletId: 'w-1', ownerId: 'u-1', balance: '4.60000', threshold: '5.00000' } });
    // Already below: no second event; a deposit back above and a fall again: a new one.
    expect(typesOf({ oldImage: walletImage(4_600_000, 4), newImage: walletImage(3_700_000, 5) }, threshold)).toEqual([]);
    const again = eventsFromChange({ oldImage: walletImage(9_000_000, 6), newImage: walletImage(100_000, 7) }, threshold);
    expect(again.map((e) => e.type)).toEqual(['balance.low']);
    expect(again[0]?.id).not.toBe(event?.id);
  });

  it('tells of no low balance when a balance lease takes money aside, and of one when its charges enter the ledger', () => {
    const threshold = { currency: 'USD', lowBalanceThreshold: micros(5_000_000) };
    // 8.00, of which a lease takes 4.50: nothing was spent.
    const taken = { oldImage: walletImage(8_000_000, 3), newImage: { ...walletImage(3_500_000, 4), held: 4_500_000, openLeases: 1 } };
    expect(thresholdOwner(taken)).toBeUndefined();
    expect(typesOf(taken, threshold)).toEqual([]);
    // It settles having paid 4 orders of 0.90: 3.50 + 4.50 - 3.60 = 4.40, under the threshold.
    const settled = { oldImage: taken.newImage, newImage: { ...walletImage(4_400_000, 10), held: 0, openLeases: 0 } };
    expect(thresholdOwner(settled)).toBe('u-1');
    const [event] = eventsFromChange(settled, threshold);
    expect(event).toMatchObject({ type: 'balance.low', data: { balance: '4.40000', threshold: '5.00000' } });
  });

  it('tells of no low balance to an owner without a threshold, nor when a balance goes up', () => {
    const fall = { oldImage: walletImage(5_500_000, 3), newImage: walletImage(4_600_000, 4) };
    expect(typesOf(fall, { currency: 'USD' })).toEqual([]);
    expect(typesOf(fall, { currency: 'USD', lowBalanceThreshold: null })).toEqual([]);
    const rise = { oldImage: walletImage(4_600_000, 4), newImage: walletImage(5_500_000, 5) };
    expect(thresholdOwner(rise)).toBeUndefined();
    expect(typesOf(rise, { currency: 'USD', lowBalanceThreshold: micros(5_000_000) })).toEqual([]);
  });

  it('tells of keys created, suspended and revoked, from the listing item and never with its hash', () => {
    const created = eventsFromChange({ newImage: keyListing() }, USD);
    expect(created.map((e) => e.type)).toEqual(['api_key.created']);
    const suspended = keyListing({ status: 'suspended', statusReason: 'too many invalid requests', updatedAt: '2026-12-01T09:00:00.000Z' });
    const [suspension] = eventsFromChange({ oldImage: keyListing(), newImage: suspended }, USD);
    expect(suspension).toMatchObject({ type: 'api_key.suspended', data: { keyId: 'k-1', reason: 'too many invalid requests', prefix: 'cdx_ab12' } });
    const reactivated = keyListing({ updatedAt: '2026-12-01T09:10:00.000Z' });
    expect(typesOf({ oldImage: suspended, newImage: reactivated })).toEqual([]);
    const [secondSuspension] = eventsFromChange({ oldImage: reactivated, newImage: { ...suspended, updatedAt: '2026-12-01T09:20:00.000Z' } }, USD);
    expect(secondSuspension?.id).not.toBe(suspension?.id);
    const revoked = eventsFromChange({ oldImage: reactivated, newImage: keyListing({ status: 'revoked', updatedAt: '2026-12-01T09:30:00.000Z' }) }, USD);
    expect(revoked.map((e) => e.type)).toEqual(['api_key.revoked']);
    expect(typesOf({ oldImage: keyListing(), newImage: keyListing({ label: 'renamed', lastUsedAt: '2026-12-01T09:40:00.000Z' }) })).toEqual([]);
    for (const event of [...created, suspension, ...revoked]) expect(JSON.stringify(event)).not.toContain('f'.repeat(64));
    // The lookup item changes in the same transaction; it tells nothing, so each change is one event.
    expect(typesOf({ newImage: { ...keyListing(), pk: `APIKEY#${'f'.repeat(64)}`, sk: 'APIKEY', entity: 'api-key' } })).toEqual([]);
  });

  it('every event it makes is a valid catalogue event', () => {
    const changes: ItemChange[] = [
      { newImage: orderImage() },
      {
        oldImage: orderImage(),
        newImage: orderImage({ status: 'Canceled', phase: 'finalized', refunded: 900_000, remains: 1000, finalizedAt: '2026-12-01T09:00:10.000Z' }),
      },
      { newImage: keyListing() },
    ];
    for (const change of changes) for (const event of eventsFromChange(change, USD)) expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('ignores removals and items that tell nothing', () => {
    expect(typesOf({ oldImage: orderImage() })).toEqual([]);
    expect(typesOf({ newImage: { pk: 'RATE#k-1#1', sk: 'RATE', entity: 'rate-window', count: 3 } })).toEqual([]);
    expect(typesOf({ newImage: { pk: 'WALLET#w-1', sk: 'LEDGER#000000000004', entity: 'ledger', kind: 'deposit', amount: 1 } })).toEqual([]);
  });
});
