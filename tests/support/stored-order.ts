// An order as the store holds it, for tests that build events or views from one: order 1234 of owner `u-1`, 1,000
// units of service 7 for 0.90, submitted and in progress; `changes` sets what a test is about.
import type { Order } from '../../lambdas/orders/domain/orders.js';
import { micros } from '../../lambdas/shared/money.js';

export function storedOrder(changes: Partial<Order> = {}): Order {
  return {
    id: 1234,
    ownerId: 'u-1',
    walletId: 'w-1',
    serviceId: 7,
    providerId: 'p-1',
    providerServiceId: '99',
    link: 'https://example.com/post/1',
    quantity: 1000,
    ratePer1000: micros(900_000),
    charge: micros(900_000),
    refunded: micros(0),
    status: 'In progress',
    phase: 'submitted',
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    externalOrderId: 'ext-1',
    startCount: 50,
    remains: 400,
    submitAttempts: 1,
    ...changes,
  };
}
