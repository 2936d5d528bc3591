// What each event says in the cabinet's notification feed (pure: lambdas/notifications/domain/notification-feed.ts).
import { describe, expect, it } from 'vitest';
import { apiKeyEvent, type CatalogueEvent, orderEnded, orderRefunded } from '../../lambdas/events/catalogue.js';
import { feedExpiry, notificationOf, oldestFeedDay } from '../../lambdas/notifications/domain/notification-feed.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { micros } from '../../lambdas/shared/money.js';

const order = (over: Partial<Order>) =>
  ({
    id: 1042,
    ownerId: 'u1',
    walletId: 'w1',
    serviceId: 7,
    link: 'https://example.com/p',
    quantity: 1000,
    status: 'Completed',
    charge: micros(900_000),
    refunded: micros(0),
    createdAt: '2026-12-01T09:00:00.000Z',
    ...over,
  }) as Order;
const AT = '2026-12-01T10:00:00Z';

describe('the notification of an event', () => {
  it('tells a partial order what was delivered and refunded, in the decimal amounts people read', () => {
    const event = orderEnded(order({ status: 'Partial', remains: 250, refunded: micros(225_000) }), 'USD', 'evt_p', AT)!;
    expect(notificationOf(event)).toEqual({
      id: 'evt_p',
      userId: 'u1',
      type: 'order.partial',
      title: 'Order 1042 partially completed',
      text: '750 of 1000 delivered to https://example.com/p. 0.225 USD refunded.',
      at: '2026-12-01T10:00:00.000Z',
      orderId: 1042,
    });
  });

  it('shortens a long link and names a canceled order', () => {
    const event = orderEnded(order({ status: 'Canceled', link: `https://example.com/${'a'.repeat(200)}`, refunded: micros(900_000) }), 'USD', 'e', AT)!;
    const n = notificationOf(event)!;
    expect(n.title).toBe('Order 1042 canceled');
    expect(n.text.length).toBeLessThan(120);
    expect(n.text).toContain('0.90 USD refunded');
  });

  it('names a suspended key by its prefix and label, with the reason', () => {
    const event = apiKeyEvent(
      'api_key.suspended',
      { keyId: 'k1', ownerId: 'u1', walletId: 'w1', prefix: 'cdx_ab12', label: 'panel', statusReason: 'abuse' },
      'e',
      AT,
    );
    expect(notificationOf(event)).toMatchObject({ title: 'API key suspended', text: 'Key cdx_ab12… (panel) was suspended. Reason: abuse', keyId: 'k1' });
  });

  it('shows nothing for events the feed leaves out (progress, refunds on their own, operators’ alerts)', () => {
    const refunded = orderRefunded(order({ status: 'Partial' }), micros(1), 'USD', 'e', AT);
    const unhealthy = { id: 'e', type: 'provider.unhealthy', version: 1, at: AT, data: { providerId: 'p', reason: 'timeouts', since: AT } } as CatalogueEvent;
    expect(notificationOf(refunded)).toBeUndefined();
    expect(notificationOf(unhealthy)).toBeUndefined();
  });

  it('keeps a day 90 whole days: the oldest day shown and the expiry agree', () => {
    expect(oldestFeedDay(new Date('2027-03-01T23:59:59.999Z'))).toBe('2026-12-01');
    expect(oldestFeedDay(new Date('2027-03-02T00:00:00.000Z'))).toBe('2026-12-02');
    expect(feedExpiry('2026-12-01')).toBe(Date.parse('2027-03-02T00:00:00.000Z') / 1000);
  });
});
