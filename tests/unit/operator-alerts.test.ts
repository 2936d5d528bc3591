// What operators read: short, pointing at the runbook, and never a secret or a provider's raw answer.
import { describe, expect, it } from 'vitest';
import { orderCreated, orderNeedsAttention, providerUnhealthy } from '../../lambdas/events/catalogue.js';
import { deadLetterAlert, operatorAlertOf } from '../../lambdas/notifications/domain/operator-alerts.js';
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { storedOrder } from '../support/stored-order.js';

const AT = '2026-12-01T10:00:00.000Z';
const PROVIDER_KEY = 'sk_live_provider_key_123456';

/** An order as the store holds it, with what no alert may show: the provider's texts, the request id. */
const order = storedOrder({
  startCount: undefined,
  requestId: 'codex-1234',
  rejectedReason: `<html>502 Bad Gateway key=${PROVIDER_KEY}</html>`,
} as Partial<Order>);

describe('operator alerts', () => {
  it('tell of an unhealthy provider: who, since when, why in our words, where to look', () => {
    const alert = operatorAlertOf(
      providerUnhealthy({ providerId: 'p-1', reason: '8 of 10 status calls failed in the last 10 minutes', failureRate: 0.8, since: AT }, 'evt_1', AT),
      'prod',
    )!;
    expect(alert.subject).toBe('[codex prod] Provider p-1 is failing');
    expect(alert.text).toContain('since 2026-12-01T10:00:00.000Z');
    expect(alert.text).toContain('8 of 10 status calls failed');
    expect(alert.text).toContain('Failure rate: 80%');
    expect(alert.text).toContain('docs/operations.md');
  });

  it('tell of an order that needs attention, for each reason', () => {
    for (const reason of ['overdue', 'unknown_status', 'order_not_found'] as const) {
      const alert = operatorAlertOf(orderNeedsAttention(order, 'USD', reason, AT, `evt_${reason}`, AT), 'prod')!;
      expect(alert.subject).toBe(`[codex prod] Order 1234 needs attention: ${reason.replace('_', ' ')}`);
      expect(alert.text).toContain('Order 1234');
      expect(alert.text).toContain('charge 0.90000 USD');
      expect(alert.text).toContain(`(${reason})`);
    }
  });

  it("never show a secret or the provider's raw answer", () => {
    const alerts = [
      operatorAlertOf(orderNeedsAttention(order, 'USD', 'unknown_status', AT, 'evt_2', AT), 'prod')!,
      operatorAlertOf(providerUnhealthy({ providerId: 'p-1', reason: 'timeouts', since: AT }, 'evt_3', AT), 'prod')!,
      deadLetterAlert('alertOperators', 'msg-1', AT, 'prod'),
    ];
    for (const alert of alerts) {
      const all = `${alert.subject}\n${alert.text}`;
      expect(all).not.toContain(PROVIDER_KEY);
      expect(all).not.toMatch(/<html|Bad Gateway|codex-1234|ext-1/);
      expect(alert.subject).not.toContain('\n');
      expect(alert.subject.length).toBeLessThanOrEqual(100);
      expect(alert.text.split('\n').length).toBeLessThanOrEqual(6);
    }
  });

  it('say nothing about events that need no person', () => {
    expect(operatorAlertOf(orderCreated(order, 'USD', 'evt_4', AT), 'prod')).toBeUndefined();
  });
});
