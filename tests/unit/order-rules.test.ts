import { describe, expect, it } from 'vitest';
import type { Service } from '../../lambdas/catalog/domain/catalog.js';
import { DomainError } from '../../lambdas/shared/errors.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { type Order, newOrder, settle, shouldRecordProgress } from '../../lambdas/orders/domain/orders.js';

const service: Service = {
  id: 1,
  name: 'YouTube Views',
  type: 'Default',
  category: 'YouTube',
  ratePer1000: parseMoney('0.90'),
  min: 50,
  max: 10_000,
  refill: false,
  cancel: true,
  dripfeed: false,
  enabled: true,
  providerId: 'demo',
  providerServiceId: '101',
};
const request = { ownerId: 'u1', walletId: 'w1', link: 'https://youtube.com/watch?v=x', quantity: 1000 };
const NOW = '2026-01-01T00:00:00.000Z';

function order(overrides: Partial<Order> = {}): Order {
  return { ...newOrder(service, request, 10_000, NOW), ...overrides };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a domain error';
  }
  return undefined;
}

describe('accepting an order', () => {
  it('keeps provider fields only when the provider gets more than the link and quantity', () => {
    expect(order().providerFields).toBeUndefined();
    const drip = newOrder({ ...service, dripfeed: true }, { ...request, fields: { link: request.link, quantity: '100', runs: '5', interval: '30' } }, 2, NOW);
    expect(drip.providerFields).toEqual({ link: request.link, quantity: '100', runs: '5', interval: '30' });
    const subscription = newOrder(
      { ...service, type: 'Subscriptions' },
      { ...request, fields: { username: 'natgeo', min: '100', max: '200', posts: '3' } },
      3,
      NOW,
    );
    expect(subscription).toMatchObject({ posts: 3, providerFields: { username: 'natgeo', min: '100', max: '200', posts: '3', delay: '0' } });
  });

  it('accepts a subscription to existing posts only (posts=0, old_posts>=1) and charges for the old posts', () => {
    const subscriptions: Service = { ...service, type: 'Subscriptions', ratePer1000: parseMoney('0.60'), min: 50, max: 5000 };
    const fields = { username: 'natgeo', min: '100', max: '200', posts: '0', old_posts: '4' };
    const accepted = newOrder(subscriptions, { ...request, fields }, 4, NOW);
    expect(accepted).toMatchObject({ serviceType: 'Subscriptions', link: 'natgeo', quantity: 800, units: 800, posts: 0, charge: parseMoney('0.48') });
    expect(accepted.providerFields).toEqual({ ...fields, delay: '0' });
    expect(codeOf(() => newOrder(subscriptions, { ...request, fields: { ...fields, old_posts: '0' } }, 5, NOW))).toBe('invalid_request');
  });

  it('charges quantity x rate / 1,000', () => {
    expect(order().charge).toBe(parseMoney('0.90'));
    expect(newOrder(service, { ...request, quantity: 157 }, 1, NOW).charge).toBe(parseMoney('0.1413'));
  });

  it('refuses quantities outside the service limits with the protocol messages', () => {
    expect(() => newOrder(service, { ...request, quantity: 49 }, 1, NOW)).toThrow('Quantity less than minimal 50');
    expect(() => newOrder(service, { ...request, quantity: 10_001 }, 1, NOW)).toThrow('Quantity more than maximum 10000');
  });

  it('refuses malformed links', () => {
    for (const link of ['', 'not a link', 'javascript:alert(1)', 'ftp://example.com/x', 'http://nohost/x', 'x'.repeat(3000)]) {
      expect(codeOf(() => newOrder(service, { ...request, link }, 1, NOW))).toBe('invalid_link');
    }
  });

  it('accepts URLs and bare usernames', () => {
    for (const link of ['https://www.instagram.com/p/abc/', '@some.user', 'channel_name', 'https://t.me/joinchat/AAAA']) {
      expect(newOrder(service, { ...request, link }, 1, NOW).link).toBe(link);
    }
  });

  it('refuses a disabled service', () => {
    expect(codeOf(() => newOrder({ ...service, enabled: false }, request, 1, NOW))).toBe('service_disabled');
  });
});

describe('settling an order', () => {
  it('refunds nothing for a completed order', () => {
    expect(settle(order({ status: 'Completed', remains: 0 }))).toEqual({ status: 'Completed', refund: 0, remains: 0 });
  });

  it('refunds the undelivered part of a partial order', () => {
    expect(settle(order({ status: 'Partial', remains: 157 })).refund).toBe(parseMoney('0.1413'));
  });

  it('refunds everything for a canceled or rejected order', () => {
    expect(settle(order({ status: 'Canceled' })).refund).toBe(parseMoney('0.90'));
    expect(settle(order({ rejectedReason: 'Link is private' }))).toMatchObject({ status: 'Canceled', refund: parseMoney('0.90') });
  });

  it('never refunds more than what is left of the charge', () => {
    expect(settle(order({ status: 'Partial', remains: 5000 })).refund).toBe(parseMoney('0.90'));
    expect(settle(order({ status: 'Canceled', refunded: parseMoney('0.40') })).refund).toBe(parseMoney('0.50'));
  });

  it('refunds the undelivered share of a partial package of known size, and never more than its price', () => {
    const pkg = { ...service, type: 'Package' as const, ratePer1000: parseMoney('2.50'), min: 1, max: 1, packageSize: 10_000 };
    const order = {
      ...newOrder(pkg, { ownerId: 'u', walletId: 'w', fields: { link: 'https://instagram.com/p/x' } }, 1, NOW),
      status: 'Partial' as const,
      remains: 300,
    };
    expect(order.charge).toBe(parseMoney('2.50'));
    expect(settle(order).refund).toBe(parseMoney('0.075'));
    expect(settle({ ...order, remains: 50_000 }).refund).toBe(parseMoney('2.50'));
  });

  it('refunds a drip-feed order against all its runs', () => {
    const drip = { ...service, dripfeed: true };
    const order = {
      ...newOrder(drip, { ownerId: 'u', walletId: 'w', fields: { link: 'https://x.com/a', quantity: '100', runs: '3', interval: '5' } }, 1, NOW),
      status: 'Partial' as const,
      remains: 150,
    };
    expect(order.charge).toBe(parseMoney('0.27'));
    expect(settle(order).refund).toBe(parseMoney('0.135'));
  });

  it('refunds nothing when a partial order was over-delivered (negative remains)', () => {
    expect(settle(order({ status: 'Partial', remains: -20 })).refund).toBe(0);
  });

  it('refuses to settle an order that has not ended', () => {
    expect(codeOf(() => settle(order({ status: 'In progress' })))).toBe('invalid_request');
  });
});

describe('recording provider progress', () => {
  const base = order({ status: 'In progress', remains: 500, createdAt: NOW, progressAt: NOW });
  const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000);

  it('always records a new status', () => {
    expect(shouldRecordProgress(base, { status: 'Completed', remains: 0 }, at(1), 300_000)).toBe(true);
  });

  it('skips an answer that changes nothing', () => {
    expect(shouldRecordProgress(base, { status: 'In progress', remains: 500 }, at(3600), 0)).toBe(false);
  });

  it('records moving remains less often as the order ages', () => {
    expect(shouldRecordProgress(base, { status: 'In progress', remains: 400 }, at(60), 300_000)).toBe(false);
    expect(shouldRecordProgress(base, { status: 'In progress', remains: 400 }, at(301), 300_000)).toBe(true);
    const old = { ...base, progressAt: new Date(Date.parse(NOW) + 20 * 3600_000).toISOString() };
    expect(shouldRecordProgress(old, { status: 'In progress', remains: 400 }, at(21 * 3600), 300_000)).toBe(false);
    expect(shouldRecordProgress(old, { status: 'In progress', remains: 400 }, at(41 * 3600), 300_000)).toBe(true);
  });
});
