// The finance summary from the totals of each UTC day: counters added exactly (integer micros), grouped by day, ISO
// week (Monday first) or month, and read into the figures the admin panel shows. Pure.
import { type Micros, micros } from '../../shared/money.js';
import { type Counters, parseCounterName } from './totals.js';

export type GroupBy = 'day' | 'week' | 'month';

export interface DayTotals {
  day: string;
  counters: Counters;
}

export interface OrderFigures {
  count: number;
  charge: Micros;
  refunded: Micros;
  providerCost: Micros;
}

export interface PeriodSummary {
  /** The period's first and last day (yyyy-mm-dd), inside the range asked for. */
  from: string;
  to: string;
  /** What orders were charged (ledger `order_charge`, as a positive amount) on these days. */
  charges: Micros;
  /** What went back to wallets (ledger `order_refund`). */
  refunds: Micros;
  netRevenue: Micros;
  /** Of the orders settled on these days: cost per 1,000 × delivered. */
  providerCost: Micros;
  profit: Micros;
  deposits: Micros;
  bonuses: Micros;
  /** Signed: credits and debits by admins. */
  adjustments: Micros;
  /** Every ledger kind, known or not: sum (signed) and number of entries. */
  ledger: Record<string, { amount: Micros; count: number }>;
  /** Orders settled on these days. */
  orders: OrderFigures;
  ordersByStatus: Record<string, OrderFigures>;
  ordersByService: Record<string, OrderFigures>;
  ordersByProvider: Record<string, OrderFigures & { reportedCharge?: Micros; reportedCount?: number }>;
}

export function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The period a day belongs to: itself, its ISO week's Monday, or its month's first day. */
export function periodStart(day: string, groupBy: GroupBy): string {
  if (groupBy === 'day') return day;
  if (groupBy === 'month') return `${day.slice(0, 7)}-01`;
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

export function summarise(from: string, to: string, groupBy: GroupBy, totals: readonly DayTotals[]): { total: PeriodSummary; periods: PeriodSummary[] } {
  const byDay = new Map(totals.map((t) => [t.day, t.counters]));
  const periods = new Map<string, { from: string; to: string; counters: Counters }>();
  const all: Counters = {};
  for (const day of days(from, to)) {
    const start = periodStart(day, groupBy);
    let period = periods.get(start);
    if (!period) periods.set(start, (period = { from: day, to: day, counters: {} }));
    period.to = day;
    const counters = byDay.get(day);
    if (!counters) continue;
    addInto(period.counters, counters);
    addInto(all, counters);
  }
  return { total: figures(from, to, all), periods: [...periods.values()].map((p) => figures(p.from, p.to, p.counters)) };
}

function addInto(target: Counters, source: Counters): void {
  // Safe integers only: micros() throws rather than lose a unit.
  for (const [name, value] of Object.entries(source)) target[name] = micros((target[name] ?? 0) + value);
}

function figures(from: string, to: string, counters: Counters): PeriodSummary {
  const ledger: PeriodSummary['ledger'] = {};
  const groups: Record<string, Record<string, Record<string, number>>> = {};
  for (const [name, value] of Object.entries(counters)) {
    const parsed = parseCounterName(name);
    if (!parsed) continue;
    const group = (groups[parsed.group] ??= {});
    const entry = (group[parsed.key] ??= {});
    entry[parsed.measure] = value;
  }
  for (const [kind, measures] of Object.entries(groups.ledger ?? {})) ledger[kind] = { amount: micros(measures.amount ?? 0), count: measures.count ?? 0 };
  const amount = (kind: string) => ledger[kind]?.amount ?? micros(0);
  const charges = micros(-amount('order_charge'));
  const refunds = amount('order_refund');
  const netRevenue = micros(charges - refunds);
  const orders = orderFigures(groups.orders?.all);
  return {
    from,
    to,
    charges,
    refunds,
    netRevenue,
    providerCost: orders.providerCost,
    profit: micros(netRevenue - orders.providerCost),
    deposits: amount('deposit'),
    bonuses: amount('bonus'),
    adjustments: amount('adjustment'),
    ledger,
    orders,
    ordersByStatus: mapValues(groups.status, orderFigures),
    ordersByService: mapValues(groups.service, orderFigures),
    ordersByProvider: mapValues(groups.provider, (m) => ({
      ...orderFigures(m),
      ...(m.reportedCount ? { reportedCharge: micros(m.reported ?? 0), reportedCount: m.reportedCount } : {}),
    })),
  };
}

function orderFigures(measures: Record<string, number> | undefined): OrderFigures {
  return {
    count: measures?.count ?? 0,
    charge: micros(measures?.charge ?? 0),
    refunded: micros(measures?.refunded ?? 0),
    providerCost: micros(measures?.cost ?? 0),
  };
}

function mapValues<T>(record: Record<string, Record<string, number>> | undefined, f: (m: Record<string, number>) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([key, measures]) => [key, f(measures)]));
}
