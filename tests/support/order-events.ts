// Catalogue order events for the webhook tests, checked against the catalogue so a test never feeds a shape the bus
// could not carry.
import { parseEvent } from '../../lambdas/events/catalogue.js';
import type { OrderEvent } from '../../lambdas/notifications/application/webhook-delivery.js';

type Data = Partial<OrderEvent['data']> & { previousStatus?: string; refund?: string };

/** Order 1042 of owner `u-1`: 1,000 units for 0.90, Pending, nothing reported yet; `data` changes what the test needs. */
export function orderEvent(type: OrderEvent['type'], id: string, data: Data = {}, at = '2026-12-01T10:00:00.000Z'): OrderEvent {
  return parseEvent({
    id,
    type,
    version: 1,
    at,
    data: {
      orderId: 1042,
      ownerId: 'u-1',
      walletId: 'w-1',
      serviceId: 7,
      link: 'https://instagram.com/p/abc',
      quantity: 1000,
      status: 'Pending',
      charge: '0.90000',
      refunded: '0.00000',
      remains: null,
      startCount: null,
      currency: 'USD',
      createdAt: '2026-12-01T09:00:00.000Z',
      ...(type === 'order.status_changed' ? { previousStatus: 'Pending' } : {}),
      ...(type === 'order.refunded' ? { refund: '0.00000' } : {}),
      ...data,
    },
  }) as OrderEvent;
}
