// Admin API, finance: the summary from the day totals kept from the table's stream, the ledger across wallets (JSON
// or CSV), and the reconciliation job. Admins only (permissions.ts).
import * as z from 'zod/mini';
import type { Operation } from '../../v1/operation.js';
import { Cursor, Money, money, page, Timestamp, wholeNumberText } from '../../v1/contract/common.js';

// A calendar day (no 2026-13-01 or 2026-02-30): the ledger walks days with date arithmetic.
const Day = z.iso.date().register(z.globalRegistry, { description: 'UTC day, yyyy-mm-dd', example: '2026-12-01' });

const OrderFigures = z.object({
  count: z.int(),
  charge: Money,
  refunded: Money,
  providerCost: money('Cost per 1,000 units (recorded on the order at placement) x units delivered'),
});

const PeriodSummary = z
  .object({
    from: Day,
    to: Day,
    charges: money('What orders were charged on these days (ledger order_charge)'),
    refunds: money('What went back to wallets (ledger order_refund)'),
    netRevenue: money('charges - refunds'),
    providerCost: money('Of the orders settled on these days'),
    profit: money('netRevenue - providerCost'),
    deposits: Money,
    bonuses: Money,
    adjustments: money('Signed'),
    ledger: z.record(z.string(), z.object({ amount: money('Signed sum'), count: z.int() })),
    orders: OrderFigures,
    ordersByStatus: z.record(z.string(), OrderFigures),
    ordersByService: z.record(z.string(), OrderFigures),
    ordersByProvider: z.record(
      z.string(),
      z.object({
        ...OrderFigures.shape,
        reportedCharge: z.optional(money("What the provider's status answers said it charged")),
        reportedCount: z.optional(z.int()),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'AdminFinancePeriod' });

export const getFinanceSummary = {
  method: 'GET',
  path: '/admin/v1/finance/summary',
  auth: 'adminCognito',
  tag: 'Admin: finance',
  summary: 'Charges, refunds, revenue, provider cost, profit, deposits, bonuses and orders, by day, week or month',
  description:
    'Read from the totals of each UTC day, kept up to date from the table stream (never a scan). Weeks start on Monday (ISO); a period is cut to the range asked for. At most 366 days.',
  query: z.object({ from: Day, to: Day, groupBy: z._default(z.enum(['day', 'week', 'month']), 'day') }),
  responses: {
    200: { description: 'The range in total and per period', body: z.object({ currency: z.string(), total: PeriodSummary, periods: z.array(PeriodSummary) }) },
  },
} as const satisfies Operation;

const LedgerRow = z
  .object({
    walletId: z.string(),
    seq: z.int(),
    kind: z.string(),
    amount: money('Signed: credits positive, debits negative'),
    balanceAfter: Money,
    reference: z.string().register(z.globalRegistry, { example: 'order:1042' }),
    at: Timestamp,
  })
  .register(z.globalRegistry, { id: 'AdminLedgerEntry' });

export const listAdminLedger = {
  method: 'GET',
  path: '/admin/v1/ledger',
  auth: 'adminCognito',
  tag: 'Admin: finance',
  summary: 'Ledger entries of every wallet (or one user), oldest first; JSON or CSV',
  description:
    "Without `user`, every wallet day by day (the admin-lists index); with it, that user's wallet. `format=csv` (or `Accept: text/csv`) answers RFC 4180 CSV, `limit` rows per request (at most 5,000); the next rows come with the `cursor` given in the `X-Next-Cursor` header (and in a `Link` header), absent after the last. At most 366 days.",
  query: z.object({
    from: Day,
    to: Day,
    user: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    kind: z.optional(z.string().check(z.regex(/^[a-z_]{1,40}$/))),
    reference: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    cursor: z.optional(Cursor),
    limit: z.optional(wholeNumberText(1, 5000)),
    format: z.optional(z.enum(['json', 'csv'])),
  }),
  responses: {
    200: {
      description: 'A page of entries (JSON: at most 500 per page, 100 by default), or CSV',
      body: z.object({ ...page(LedgerRow).shape, walletId: z.optional(z.string()) }),
    },
  },
  errors: [404],
} as const satisfies Operation;

const Job = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    requestedBy: z.string(),
    requestedAt: Timestamp,
    finishedAt: z.optional(Timestamp),
    error: z.optional(z.string()),
    result: z.optional(
      z.object({
        walletsChecked: z.int(),
        ledgerEntriesChecked: z.int(),
        ordersChecked: z.int(),
        ordersWithProviderCharge: z.int(),
        walletDifferences: z.int(),
        costDifferences: z.int(),
        wallets: z.array(
          z.object({
            walletId: z.string(),
            ownerId: z.optional(z.string()),
            balance: Money,
            ledgerSum: Money,
            difference: money('balance - ledgerSum'),
            seq: z.int(),
            entries: z.int(),
            gap: z.boolean(),
          }),
        ),
        costs: z.array(
          z.object({
            orderId: z.int(),
            providerId: z.string(),
            recordedCost: Money,
            providerCharge: Money,
            difference: money('providerCharge - recordedCost'),
          }),
        ),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'AdminReconciliation' });

export const startReconciliation = {
  method: 'POST',
  path: '/admin/v1/finance/reconciliation',
  auth: 'adminCognito',
  tag: 'Admin: finance',
  summary: "Start a reconciliation: every wallet's balance against its ledger, recorded provider cost against what providers charged",
  description: 'Runs in the background; read it with GET …/reconciliation/{id}. The same `Idempotency-Key` gives the same job.',
  headers: z.object({ 'idempotency-key': z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))) }),
  responses: {
    202: { description: 'Started (or the job that key started)', body: z.object({ id: z.string(), status: z.enum(['running', 'done', 'failed']) }) },
  },
} as const satisfies Operation;

export const getReconciliation = {
  method: 'GET',
  path: '/admin/v1/finance/reconciliation/{id}',
  auth: 'adminCognito',
  tag: 'Admin: finance',
  summary: 'A reconciliation: its status, what it checked and every difference found (at most 500 of each kind listed)',
  params: z.object({ id: z.string().check(z.regex(/^rec_[0-9a-f]{1,40}$/)) }),
  responses: { 200: { description: 'The job', body: Job } },
  errors: [404],
} as const satisfies Operation;

export const financeOperations: readonly Operation[] = [getFinanceSummary, listAdminLedger, startReconciliation, getReconciliation];
