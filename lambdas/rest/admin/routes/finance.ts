// Admin API, finance: GET /finance/summary, GET /ledger (JSON or CSV), POST /finance/reconciliation and its reading.
import type { AuditEntry } from '../../../audit/domain/audit-entry.js';
import type { AdminCaller } from '../../../admin/domain/admin-caller.js';
import { financeSummary } from '../../../finance/application/finance-summary.js';
import { listLedger } from '../../../finance/application/ledger-list.js';
import { readReconciliation, startReconciliation as startJob } from '../../../finance/application/reconciliation.js';
import { ledgerCsv } from '../../../finance/domain/ledger-csv.js';
import type { PeriodSummary } from '../../../finance/domain/summary.js';
import type { ReconciliationJob } from '../../../finance/ports.js';
import { auditLog, financeTotals, ledgerLister, reconciliationJobs } from '../../../finance/wiring.js';
import { formatMoney, type Micros } from '../../../shared/money.js';
import { config } from '../../../shared/platform/config.js';
import { notFound, ok, type RouteImpl, route } from '../../v1/http.js';
import { getFinanceSummary, getReconciliation, listAdminLedger, startReconciliation } from '../contract/finance.js';

const JSON_PAGE_DEFAULT = 100;
const JSON_PAGE_MAX = 500;
const CSV_PAGE_DEFAULT = 5000;

const money = (amount: Micros) => formatMoney(amount, 2);

function actorOf(caller: AdminCaller, sourceIp: string): Pick<AuditEntry, 'actor' | 'actorRole' | 'actorEmail' | 'source'> {
  return { actor: caller.userId, actorRole: caller.role, ...(caller.email ? { actorEmail: caller.email } : {}), ...(sourceIp ? { source: sourceIp } : {}) };
}

export const financeRoutes: readonly RouteImpl[] = [
  route(getFinanceSummary, async (req) => {
    const { total, periods } = await financeSummary(financeTotals(), req.query);
    return ok({ currency: config().CURRENCY, total: periodView(total), periods: periods.map(periodView) });
  }),

  route(listAdminLedger, async (req) => {
    const { format, user, limit, ...filter } = req.query;
    const csv = format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(req.allHeaders.accept ?? ''));
    const rows = Math.min(limit ?? (csv ? CSV_PAGE_DEFAULT : JSON_PAGE_DEFAULT), csv ? CSV_PAGE_DEFAULT : JSON_PAGE_MAX);
    const page = await listLedger(
      { ledger: ledgerLister(), audit: auditLog() },
      { ...filter, ...(user ? { userId: user } : {}), limit: rows, csv },
      { ...actorOf(req.caller, req.sourceIp), at: new Date().toISOString() },
    );
    if (csv) {
      const next = page.cursor ? nextLink(req.apiBase, req.query, page.cursor) : undefined;
      return {
        status: 200,
        // The header row on the first page only, so the pages of one export concatenate into one file.
        text: ledgerCsv(page.entries, !filter.cursor),
        headers: {
          'content-type': 'text/csv; charset=utf-8; header=present',
          'content-disposition': `attachment; filename="ledger-${filter.from}-${filter.to}.csv"`,
          ...(page.cursor && next ? { 'x-next-cursor': page.cursor, link: `<${next}>; rel="next"` } : {}),
        },
      };
    }
    return ok({
      items: page.entries.map((e) => ({ ...e, amount: money(e.amount), balanceAfter: money(e.balanceAfter) })),
      nextCursor: page.cursor ?? null,
      ...(page.walletId ? { walletId: page.walletId } : {}),
    });
  }),

  route(startReconciliation, async (req) => {
    const key = req.headers['idempotency-key'];
    const { job } = await startJob(reconciliationJobs(), { ...(key ? { idempotencyKey: key } : {}), now: new Date() }, actorOf(req.caller, req.sourceIp));
    return { status: 202, body: { id: job.id, status: job.status }, headers: { location: `${req.apiBase}/admin/v1/finance/reconciliation/${job.id}` } };
  }),

  route(getReconciliation, async (req) => {
    const job = await readReconciliation(reconciliationJobs(), req.params.id);
    if (!job) throw notFound('Reconciliation');
    return ok(jobView(job));
  }),
];

function nextLink(apiBase: string, query: Record<string, unknown>, cursor: string): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && name !== 'cursor') params.set(name, String(value));
  params.set('format', 'csv');
  params.set('cursor', cursor);
  return `${apiBase}/admin/v1/ledger?${params.toString()}`;
}

function figuresView<T extends { charge: Micros; refunded: Micros; providerCost: Micros; reportedCharge?: Micros }>(f: T) {
  return {
    ...f,
    charge: money(f.charge),
    refunded: money(f.refunded),
    providerCost: money(f.providerCost),
    ...(f.reportedCharge !== undefined ? { reportedCharge: money(f.reportedCharge) } : {}),
  };
}

const mapRecord = <A, B>(record: Record<string, A>, f: (a: A) => B): Record<string, B> => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));

function periodView(p: PeriodSummary) {
  return {
    from: p.from,
    to: p.to,
    charges: money(p.charges),
    refunds: money(p.refunds),
    netRevenue: money(p.netRevenue),
    providerCost: money(p.providerCost),
    profit: money(p.profit),
    deposits: money(p.deposits),
    bonuses: money(p.bonuses),
    adjustments: money(p.adjustments),
    ledger: mapRecord(p.ledger, (l) => ({ amount: money(l.amount), count: l.count })),
    orders: figuresView(p.orders),
    ordersByStatus: mapRecord(p.ordersByStatus, figuresView),
    ordersByService: mapRecord(p.ordersByService, figuresView),
    ordersByProvider: mapRecord(p.ordersByProvider, figuresView),
  };
}

function jobView(job: ReconciliationJob) {
  const { result, ...rest } = job;
  if (!result) return rest;
  return {
    ...rest,
    result: {
      ...result,
      wallets: result.wallets.map((w) => ({ ...w, balance: money(w.balance), ledgerSum: money(w.ledgerSum), difference: money(w.difference) })),
      costs: result.costs.map((c) => ({ ...c, recordedCost: money(c.recordedCost), providerCharge: money(c.providerCharge), difference: money(c.difference) })),
    },
  };
}
