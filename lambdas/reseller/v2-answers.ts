// The answers of the SMM panel API v2 in their canonical shapes: money and counts as strings, ids as numbers.
import type { Service } from '../catalog/domain/catalog.js';
import { formatMoney, type Micros, subtractMoney } from '../shared/money.js';
import { isTerminal } from '../orders/domain/order-status.js';
import type { OrderStatusView } from '../orders/domain/orders.js';
import { statusExtras, statusWord } from '../catalog/domain/service-types.js';

export function serviceAnswer(service: Service) {
  return {
    service: service.id,
    name: service.name,
    type: service.type,
    category: service.category,
    rate: formatMoney(service.ratePer1000, 2),
    min: String(service.min),
    max: String(service.max),
    refill: service.refill,
    cancel: service.cancel,
    dripfeed: service.dripfeed,
    ...(service.description ? { desc: service.description } : {}),
  };
}

export function orderStatusAnswer(order: OrderStatusView, currency: string) {
  const type = order.serviceType ?? 'Default';
  return {
    // What the order cost in the end: the charge less what was refunded, as panels show it after a refund.
    charge: formatMoney(subtractMoney(order.charge, order.refunded)),
    start_count: String(order.startCount ?? 0),
    // A final status the provider reported shows once the workflow has settled the order: until then the refund
    // is not in `charge` and a refill would be refused, and panels act on the status at once.
    status: statusWord(type, isTerminal(order.status) && order.phase !== 'finalized' ? 'In progress' : order.status),
    // Until the provider reports, everything remains.
    remains: String(order.remains ?? order.units ?? 0),
    currency,
    ...statusExtras(type, {
      ...(order.runs !== undefined ? { runs: order.runs } : {}),
      ...(order.posts !== undefined ? { posts: order.posts } : {}),
      ...(order.expiry !== undefined ? { expiry: order.expiry } : {}),
    }),
  };
}

export function balanceAnswer(balance: Micros, currency: string) {
  return { balance: formatMoney(balance), currency };
}
