// How the admin API shows an order (both admin order functions), and how it reads a date bound.
import type { Order } from '../../../orders/domain/orders.js';
import { formatMoney } from '../../../shared/money.js';

export function adminOrderJson(order: Order & { finalizedAt?: string }) {
  const { ownerId, serviceId, providerId, charge, refunded, ratePer1000, ...rest } = order;
  return {
    ...rest,
    userId: ownerId,
    service: serviceId,
    provider: providerId,
    ratePer1000: formatMoney(ratePer1000, 2),
    charge: formatMoney(charge, 2),
    refunded: formatMoney(refunded, 2),
  };
}

/** A date bound covers its whole day; times are compared as the ISO strings orders are created with. */
export function timeBound(value: string, side: 'start' | 'end'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T${side === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(value).toISOString();
}
