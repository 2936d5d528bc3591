// The answers of the SMM panel API v2 in their canonical shapes: money and counts as strings, ids as numbers.
import type { Service } from '../domain/catalog.js';
import { formatMoney, type Micros } from '../domain/money.js';
import type { Order } from '../domain/orders.js';

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

export function orderStatusAnswer(order: Order, currency: string) {
  return {
    charge: formatMoney(order.charge),
    start_count: String(order.startCount ?? 0),
    status: order.status,
    remains: String(order.remains ?? order.quantity),
    currency,
  };
}

export function balanceAnswer(balance: Micros, currency: string) {
  return { balance: formatMoney(balance), currency };
}
