// What a committed table change adds to the finance totals of its UTC day: a ledger entry adds its amount under its
// kind (deposit, order_charge, order_refund, adjustment, bonus, or any kind added later), an order's settlement adds
// it to the counts by final status, service and provider, with its provider cost. Pure: the same change always gives
// the same additions and the same marker, so a redelivered stream record can be recognised and skipped.
import { type Micros, ZERO, micros, priceOf, shareOf } from '../../shared/money.js';

export type Image = Record<string, unknown>;

export interface ItemChange {
  oldImage?: Image;
  newImage?: Image;
}

/** Counter names (flat attribute names of the day's totals item) and what to add to each. */
export type Counters = Record<string, number>;

export interface TotalsDelta {
  /** UTC day, yyyy-mm-dd. */
  day: string;
  /** Names the fact once (a ledger entry, an order's settlement): what makes it count once. */
  marker: string;
  counters: Counters;
}

// Counter names: `<group>|<key>|<measure>`; `|` appears in no ledger kind, status, service or provider id we write.
export const counterName = (group: string, key: string, measure: string): string => `${group}|${key}|${measure}`;

export function parseCounterName(name: string): { group: string; key: string; measure: string } | undefined {
  const parts = name.split('|');
  if (parts.length !== 3) return undefined;
  const [group = '', key = '', measure = ''] = parts;
  return { group, key, measure };
}

/** The addition a change makes, or undefined when it adds nothing (not a new ledger entry, not a settlement). */
export function totalsDelta({ oldImage, newImage }: ItemChange): TotalsDelta | undefined {
  if (!newImage) return undefined;
  if (newImage.entity === 'ledger' && !oldImage) return ledgerDelta(newImage);
  if (newImage.entity === 'order' && newImage.phase === 'finalized' && oldImage !== undefined && oldImage.phase !== 'finalized')
    return settlementDelta(newImage);
  return undefined;
}

function ledgerDelta(entry: Image): TotalsDelta | undefined {
  const at = String(entry.at ?? '');
  const kind = String(entry.kind ?? 'unknown');
  if (!isDay(at.slice(0, 10))) return undefined;
  return {
    day: at.slice(0, 10),
    marker: `ledger#${String(entry.walletId)}#${Number(entry.seq)}`,
    counters: { [counterName('ledger', kind, 'amount')]: micros(Number(entry.amount ?? 0)), [counterName('ledger', kind, 'count')]: 1 },
  };
}

function settlementDelta(order: Image): TotalsDelta | undefined {
  const at = String(order.finalizedAt ?? order.updatedAt ?? '');
  if (!isDay(at.slice(0, 10))) return undefined;
  const charge = micros(Number(order.charge ?? 0));
  const refunded = micros(Number(order.refunded ?? 0));
  const cost = providerCost(order);
  const counters: Counters = {};
  const add = (group: string, key: string) => {
    counters[counterName(group, key, 'count')] = 1;
    counters[counterName(group, key, 'charge')] = charge;
    counters[counterName(group, key, 'refunded')] = refunded;
    counters[counterName(group, key, 'cost')] = cost;
  };
  add('orders', 'all');
  add('status', String(order.status));
  add('service', String(order.serviceId));
  add('provider', String(order.providerId));
  // What the provider itself said it charged (its status answers), where it did: reconciliation compares the two.
  const reported = Number(order.providerCharge);
  if (order.providerCharge !== undefined && Number.isSafeInteger(reported)) {
    counters[counterName('provider', String(order.providerId), 'reported')] = reported;
    counters[counterName('provider', String(order.providerId), 'reportedCount')] = 1;
  }
  return { day: at.slice(0, 10), marker: `order#${Number(order.id)}#finalized`, counters };
}

/**
 * What the provider costs us for a settled order: its cost per 1,000 units (the service's, recorded on the order at
 * placement) times the units delivered; a fixed-price order costs its share of the whole. Zero without a cost.
 */
export function providerCost(order: Image): Micros {
  if (order.costPer1000 === undefined || order.costPer1000 === null) return ZERO;
  const costPer1000 = micros(Number(order.costPer1000));
  const units = Number(order.units ?? order.quantity ?? 0);
  if (!Number.isSafeInteger(units) || units <= 0) return ZERO;
  const delivered = deliveredUnits(String(order.status), units, order.remains);
  return order.pricing === 'fixed' ? shareOf(costPer1000, delivered, units) : priceOf(costPer1000, delivered);
}

export function deliveredUnits(status: string, units: number, remains: unknown): number {
  if (status === 'Completed') return units;
  if (status === 'Canceled') return 0;
  const left = Number(remains ?? 0);
  return units - Math.min(Math.max(Number.isSafeInteger(left) ? left : 0, 0), units);
}

const isDay = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text);
