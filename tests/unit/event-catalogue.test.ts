import { describe, expect, it } from 'vitest';
import {
  type CatalogueEvent,
  EVENT_TYPES,
  apiKeyEvent,
  balanceLow,
  depositCredited,
  orderCreated,
  orderEnded,
  orderNeedsAttention,
  orderRefunded,
  orderStatusChanged,
  parseEvent,
  providerUnhealthy,
  readEvent,
} from '../../lambdas/events/catalogue.js';
import { micros } from '../../lambdas/shared/money.js';
import { storedOrder } from '../support/stored-order.js';

const AT = '2026-12-01T10:00:00.000Z';

const order = storedOrder();

/** A key as the store holds it: with its hash, which no event may carry. */
const storedKey = {
  keyId: 'k-1',
  keyHash: 'a'.repeat(64),
  ownerId: 'u-1',
  walletId: 'w-1',
  prefix: 'cdx_ab12',
  label: 'panel',
  statusReason: 'too many invalid requests',
  status: 'suspended',
};

function everyEvent(): CatalogueEvent[] {
  const partial = { ...order, status: 'Partial' as const, refunded: micros(360_000), remains: 400, phase: 'finalized' as const };
  return [
    orderCreated({ ...order, status: 'Pending', startCount: undefined, remains: undefined }, 'USD', 'e1', AT),
    orderStatusChanged(order, 'Pending', 'USD', 'e2', AT),
    orderEnded({ ...order, status: 'Completed', remains: 0 }, 'USD', 'e3', AT)!,
    orderEnded(partial, 'USD', 'e4', AT)!,
    orderEnded({ ...order, status: 'Canceled', refunded: order.charge }, 'USD', 'e5', AT)!,
    orderRefunded(partial, micros(360_000), 'USD', 'e6', AT),
    depositCredited({ id: 'tu_1', ownerId: 'u-1', walletId: 'w-1', currency: 'USD', method: 'cryptomus', creditedAmount: micros(25_000_000) }, 'e7', AT),
    balanceLow({ id: 'w-1', ownerId: 'u-1', currency: 'USD', balance: micros(4_500_000) }, micros(5_000_000), 'e8', AT),
    apiKeyEvent('api_key.created', storedKey, 'e9', AT),
    apiKeyEvent('api_key.revoked', storedKey, 'e10', AT),
    apiKeyEvent('api_key.suspended', storedKey, 'e11', AT),
    providerUnhealthy({ providerId: 'p-1', reason: '12 of 20 status calls timed out', failureRate: 0.6, since: AT }, 'e12', AT),
    orderNeedsAttention(order, 'USD', 'order_not_found', AT, 'e13', AT),
  ];
}

function fieldsOf(value: unknown, path = ''): Array<[string, unknown]> {
  if (value === null || typeof value !== 'object') return [[path, value]];
  return Object.entries(value).flatMap(([name, inner]) => [[`${path}.${name}`, inner] as [string, unknown], ...fieldsOf(inner, `${path}.${name}`)]);
}

describe('the event catalogue', () => {
  it('has a constructor for every event type, and every constructed event validates', () => {
    const events = everyEvent();
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(EVENT_TYPES));
    for (const event of events) expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('tells a status change with the status before it, and money as decimal strings', () => {
    const event = orderStatusChanged(order, 'Pending', 'USD', 'e2', AT);
    expect(event.data).toMatchObject({
      orderId: 1234,
      status: 'In progress',
      previousStatus: 'Pending',
      charge: '0.90000',
      refunded: '0.00000',
      currency: 'USD',
    });
    expect(event.version).toBe(1);
  });

  it('accepts the progress a provider reports, even an over-delivery as negative remains', () => {
    const event = orderEnded({ ...order, status: 'Completed', remains: -25, phase: 'finalized' }, 'USD', 'e', AT)!;
    expect(readEvent(event)).toEqual(event);
  });

  it('keeps a key event valid whatever the length of the reason an operator gave', () => {
    const event = apiKeyEvent('api_key.suspended', { ...storedKey, statusReason: 'x'.repeat(5000) }, 'e', AT);
    expect(readEvent(event)).toEqual(event);
  });

  it('has no end event for an order that has not ended', () => {
    expect(orderEnded(order, 'USD', 'e', AT)).toBeUndefined();
  });

  it('never carries a secret: no field named like a key, hash, token, secret or password holds a value', () => {
    const secretLike = /(^|\.)(key|apikey|api_key)$|hash|token|secret|password/i;
    for (const event of everyEvent()) {
      for (const [path, value] of fieldsOf(event)) {
        if (secretLike.test(path)) expect({ path, value }).toEqual({ path, value: undefined });
      }
      expect(JSON.stringify(event)).not.toContain(storedKey.keyHash);
    }
  });

  it('refuses what is not a catalogue event: unknown types, other versions, wrong money, missing subjects', () => {
    const good = orderStatusChanged(order, 'Pending', 'USD', 'e2', AT);
    expect(readEvent(good)).toEqual(good);
    expect(readEvent({ ...good, type: 'order.exploded' })).toBeUndefined();
    expect(readEvent({ ...good, version: 2 })).toBeUndefined();
    expect(readEvent({ ...good, data: { ...good.data, charge: 0.9 } })).toBeUndefined();
    expect(readEvent({ ...good, data: { ...good.data, orderId: undefined } })).toBeUndefined();
    expect(readEvent({ ...good, at: 'yesterday' })).toBeUndefined();
    expect(() => parseEvent({})).toThrow();
  });
});
