// Admin API: every owner's orders (list, page, attention queue) and what a person may do to one (refresh, cancel,
// resend, refund, notes). Roles: lambdas/admin/domain/permissions.ts; docs/admin/orders.md.
import * as z from 'zod/mini';
import { Cursor, Money, money, page, Timestamp, wholeNumberText } from '../../v1/contract/common.js';
import type { Operation } from '../../v1/operation.js';
import { AdminOrder, adminOrderActionsOperations, OrderParams, OrderStatus, Text } from './order-actions.js';

const DateOrTime = z.union([z.iso.datetime(), z.iso.date()]);
const IdempotencyKey = z.string().check(z.trim(), z.minLength(1), z.maxLength(128));

export const AdminOrderSummary = z
  .object({
    id: z.int(),
    userId: z.string(),
    service: z.int(),
    provider: z.optional(z.string()),
    link: z.string(),
    quantity: z.int(),
    charge: Money,
    refunded: Money,
    status: OrderStatus,
    createdAt: Timestamp,
  })
  .register(z.globalRegistry, { id: 'AdminOrderSummary' });

const TimelineEntry = z.looseObject({ kind: z.enum(['call', 'note', 'action']), at: Timestamp, action: z.string() });

export const listAdminOrders = {
  method: 'GET',
  path: '/admin/v1/orders',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: "Every owner's orders, newest first",
  description:
    'Filters: user (owner id), status, service, provider, from/to (ISO time or date, inclusive; a date `to` means the whole day; without `from`, ' +
    '90 days before `to`), link (a substring of the link, case-sensitive). Each request reads a bounded number of index pages: a page may hold ' +
    'fewer than `limit` orders and still have a nextCursor; follow it until it is null.',
  query: z.object({
    user: z.optional(Text(128)),
    status: z.optional(OrderStatus),
    service: z.optional(wholeNumberText(1, 999_999_999)),
    provider: z.optional(Text(64)),
    from: z.optional(DateOrTime),
    to: z.optional(DateOrTime),
    link: z.optional(Text(500)),
    cursor: z.optional(Cursor),
    limit: z._default(wholeNumberText(1, 100), 50),
  }),
  responses: { 200: { description: 'A page of orders', body: page(AdminOrderSummary) } },
} as const satisfies Operation;

export const getAttentionQueue = {
  method: 'GET',
  path: '/admin/v1/orders/attention',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: 'What needs a person, each with the calls that resolve it',
  description:
    'Orders marked overdue, answering an unknown status or "Incorrect order ID" (unknown_status, order_not_found), submissions the provider ' +
    'never confirmed (unconfirmed_submission), and top-ups paid with a wrong amount (wrong_amount). Items whose order settled or top-up left review are dropped when met.',
  query: z.object({ cursor: z.optional(Cursor), limit: z._default(wholeNumberText(1, 100), 50) }),
  responses: {
    200: {
      description: 'A page of the queue',
      body: page(
        z.object({
          reason: z.enum(['overdue', 'unknown_status', 'order_not_found', 'ambiguous_status', 'unconfirmed_submission', 'wrong_amount']),
          since: Timestamp,
          orderId: z.optional(z.int()),
          topUpId: z.optional(z.string()),
          userId: z.optional(z.string()),
          actions: z.array(z.string()),
        }),
      ),
    },
  },
} as const satisfies Operation;

export const getAdminOrder = {
  method: 'GET',
  path: '/admin/v1/orders/{id}',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: 'One order: status history, provider calls with their latency, ledger entries, notes',
  params: OrderParams,
  responses: {
    200: {
      description: 'The order',
      body: z.object({
        order: AdminOrder,
        history: z.array(z.object({ status: z.string(), at: Timestamp, source: z.string() })),
        providerCalls: z.array(TimelineEntry),
        actions: z.array(TimelineEntry),
        notes: z.array(TimelineEntry),
        ledger: z.array(z.object({ seq: z.int(), kind: z.string(), amount: Money, balanceAfter: Money, reference: z.string(), at: Timestamp })),
        ledgerComplete: z.boolean(),
        pendingReading: z.optional(
          z
            .object({
              status: OrderStatus,
              remains: z.optional(z.int()),
              firstSeenAt: Timestamp,
              confirmedAt: z.optional(Timestamp),
              alertedAt: z.optional(Timestamp),
            })
            .register(z.globalRegistry, {
              description:
                'An ambiguous answer of the provider (Error, Fail, Partial without remains) waiting for a later one before the order settles; confirmedAt: a Partial without remains read again (a person is needed). docs/providers.md',
            }),
        ),
      }),
    },
  },
  errors: [404],
} as const satisfies Operation;

export const refundAdminOrder = {
  method: 'POST',
  path: '/admin/v1/orders/{id}/refund',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: 'Refund part of a settled order (admins only)',
  description: 'Never above what is left of the charge. Idempotency-Key is required: the same key again answers the first refund and moves nothing.',
  params: OrderParams,
  headers: z.object({ 'idempotency-key': IdempotencyKey }),
  body: z.object({ amount: money('Decimal amount, more than zero'), reason: Text(500) }),
  responses: {
    200: { description: 'Refunded (or, replayed, the first refund)', body: z.object({ id: z.int(), amount: Money, refunded: Money, charge: Money }) },
  },
  errors: [404, 409],
} as const satisfies Operation;

export const addAdminOrderNote = {
  method: 'POST',
  path: '/admin/v1/orders/{id}/notes',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: 'Add a note to the order',
  params: OrderParams,
  headers: z.object({ 'idempotency-key': z.optional(IdempotencyKey) }),
  body: z.object({ text: Text(2000) }),
  responses: { 201: { description: 'The note', body: TimelineEntry } },
  errors: [404],
} as const satisfies Operation;

export const adminOrdersOperations: readonly Operation[] = [
  listAdminOrders,
  getAttentionQueue,
  getAdminOrder,
  ...adminOrderActionsOperations,
  refundAdminOrder,
  addAdminOrderNote,
];
