// The finance rules without any store: what a table change adds to the totals, how days merge into periods, the
// ledger's CSV, and what reconciliation calls a difference.
import { describe, expect, it } from 'vitest';
import { csvField, ledgerCsv } from '../../../lambdas/finance/domain/ledger-csv.js';
import { Reconciler } from '../../../lambdas/finance/domain/reconciliation.js';
import { RECONCILIATION_RUN_LIMIT_MS, readReconciliation } from '../../../lambdas/finance/application/reconciliation.js';
import { periodStart, summarise } from '../../../lambdas/finance/domain/summary.js';
import { providerCost, totalsDelta } from '../../../lambdas/finance/domain/totals.js';
import { micros } from '../../../lambdas/shared/money.js';

const order = { entity: 'order', id: 7, serviceId: 3, providerId: 'p1', quantity: 1000, units: 1000, charge: 900_000, costPer1000: 500_000 };

describe('what a change adds to the totals', () => {
  it('counts a new ledger entry of any kind, once per wallet and sequence number', () => {
    const delta = totalsDelta({ newImage: { entity: 'ledger', walletId: 'w', seq: 4, kind: 'cashback', amount: 1_500_000, at: '2026-12-01T23:59:59.999Z' } });
    expect(delta).toEqual({ day: '2026-12-01', marker: 'ledger#w#4', counters: { 'ledger|cashback|amount': 1_500_000, 'ledger|cashback|count': 1 } });
  });

  it('counts an order when it becomes finalized, not before and not again', () => {
    const submitted = { ...order, phase: 'submitted', status: 'Partial', remains: 250, refunded: 0 };
    const settled = { ...submitted, phase: 'finalized', refunded: 225_000, finalizedAt: '2026-12-02T01:00:00.000Z' };
    const delta = totalsDelta({ oldImage: submitted, newImage: settled });
    expect(delta).toMatchObject({ day: '2026-12-02', marker: 'order#7#finalized' });
    expect(delta!.counters).toMatchObject({
      'status|Partial|count': 1,
      'service|3|cost': 375_000,
      'provider|p1|refunded': 225_000,
      'orders|all|charge': 900_000,
    });
    expect(totalsDelta({ oldImage: settled, newImage: { ...settled, refunded: 300_000 } })).toBeUndefined();
    expect(totalsDelta({ oldImage: { ...submitted, phase: 'accepted' }, newImage: submitted })).toBeUndefined();
    expect(totalsDelta({ newImage: settled })).toBeUndefined();
    expect(totalsDelta({ newImage: { entity: 'wallet', balance: 1 } })).toBeUndefined();
  });

  it('costs what was delivered at the cost per 1,000 recorded on the order; nothing without one', () => {
    expect(providerCost({ ...order, status: 'Completed' })).toBe(500_000);
    expect(providerCost({ ...order, status: 'Canceled', remains: 0 })).toBe(0);
    expect(providerCost({ ...order, status: 'Partial', remains: 5000 })).toBe(0);
    expect(providerCost({ ...order, status: 'Partial', remains: 1, quantity: 3, units: 3, costPer1000: 1_000_000 })).toBe(2000);
    expect(providerCost({ ...order, pricing: 'fixed', status: 'Partial', remains: 500, costPer1000: 3_000_000 })).toBe(1_500_000);
    expect(providerCost({ ...order, costPer1000: undefined, status: 'Completed' })).toBe(0);
  });
});

describe('periods', () => {
  it('starts weeks on Monday and months on the first', () => {
    expect(periodStart('2026-11-29', 'week')).toBe('2026-11-23');
    expect(periodStart('2026-11-30', 'week')).toBe('2026-11-30');
    expect(periodStart('2027-01-01', 'week')).toBe('2026-12-28');
    expect(periodStart('2026-11-29', 'month')).toBe('2026-11-01');
  });

  it('adds days exactly, in integer micros', () => {
    const day = (d: string, amount: number) => ({ day: d, counters: { 'ledger|order_charge|amount': amount, 'ledger|order_charge|count': 1 } });
    const { total, periods } = summarise('2026-11-30', '2026-12-02', 'month', [
      day('2026-11-30', -100_001),
      day('2026-12-01', -1),
      day('2026-12-02', -999_999),
    ]);
    expect(periods.map((p) => [p.from, p.to, p.charges])).toEqual([
      ['2026-11-30', '2026-11-30', 100_001],
      ['2026-12-01', '2026-12-02', 1_000_000],
    ]);
    expect(total).toMatchObject({ charges: 1_100_001, netRevenue: 1_100_001, profit: 1_100_001, ledger: { order_charge: { amount: -1_100_001, count: 3 } } });
  });
});

describe('the ledger as CSV', () => {
  it('quotes what RFC 4180 asks to, ends lines with CRLF, and writes money as decimals', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const entry = {
      walletId: 'w',
      seq: 2,
      kind: 'adjustment' as const,
      amount: micros(-1_234_567),
      balanceAfter: micros(10_000_000),
      reference: 'x',
      at: '2026-12-01T00:00:00.000Z',
    };
    expect(ledgerCsv([entry], true)).toBe(
      'at,walletId,seq,kind,amount,balanceAfter,reference\r\n2026-12-01T00:00:00.000Z,w,2,adjustment,-1.234567,10.00,x\r\n',
    );
    expect(ledgerCsv([], false)).toBe('');
  });
});

describe('reconciliation', () => {
  const wallet = (walletId: string, balance: number, seq: number) => ({ walletId, balance: micros(balance), seq });
  const entry = (walletId: string, seq: number, amount: number) => ({ walletId, seq, amount: micros(amount) });

  it('finds a balance that is not its ledger sum, a gap in the numbering, and a ledger without its wallet', () => {
    const reconciler = new Reconciler();
    reconciler.add({ wallets: [wallet('ok', 3, 2), wallet('off', 5, 1)], ledger: [entry('ok', 1, 1), entry('off', 1, 4)], orders: [] });
    reconciler.add({ wallets: [wallet('gap', 3, 2)], ledger: [entry('ok', 2, 2), entry('gap', 2, 3), entry('orphan', 1, 9)], orders: [] });
    const result = reconciler.result();
    expect(result).toMatchObject({ walletsChecked: 3, ledgerEntriesChecked: 5, walletDifferences: 3 });
    expect(result.wallets.map((w) => [w.walletId, w.difference, w.gap])).toEqual([
      ['off', 1, false],
      ['gap', 0, true],
      ['orphan', -9, true],
    ]);
  });

  it('compares recorded provider cost with the charge providers reported, where they did', () => {
    const reconciler = new Reconciler();
    reconciler.add({
      wallets: [],
      ledger: [],
      orders: [
        { orderId: 1, providerId: 'p', recordedCost: micros(100), providerCharge: micros(100) },
        { orderId: 2, providerId: 'p', recordedCost: micros(100), providerCharge: micros(130) },
        { orderId: 3, providerId: 'p', recordedCost: micros(100) },
      ],
    });
    expect(reconciler.result()).toMatchObject({ ordersChecked: 3, ordersWithProviderCharge: 2, costDifferences: 1, costs: [{ orderId: 2, difference: 30 }] });
  });
});

describe('reading a reconciliation job', () => {
  const job = { id: 'rec_1', status: 'running' as const, requestedBy: 'admin-sub', requestedAt: '2026-12-01T10:00:00.000Z' };
  const jobs = { get: async (id: string) => (id === job.id ? job : undefined) };

  it('reads a job as running while its function may still be at it, and as failed once both tries must have timed out', async () => {
    expect(await readReconciliation(jobs, 'rec_1', new Date('2026-12-01T10:34:00.000Z'))).toEqual(job);
    const late = await readReconciliation(jobs, 'rec_1', new Date(Date.parse(job.requestedAt) + RECONCILIATION_RUN_LIMIT_MS + 1));
    expect(late).toMatchObject({ id: 'rec_1', status: 'failed', error: expect.stringContaining('did not finish') });
    expect(await readReconciliation(jobs, 'rec_2', new Date())).toBeUndefined();
  });
});
