// Admin API: the order actions that ask the provider (refresh, cancel, resend) or may resume a workflow (settle), in their own function
// (adminOrderActions); the rest of the admin order operations are in orders.ts. Roles: admin/domain/permissions.ts.
import * as z from 'zod/mini';
import { Money, Timestamp, wholeNumberText } from '../../v1/contract/common.js';
import type { Operation } from '../../v1/operation.js';

export const OrderStatus = z.enum(['Pending', 'In progress', 'Processing', 'Completed', 'Partial', 'Canceled']);
export const OrderParams = z.object({ id: wholeNumberText(1, 999_999_999_999) });
export const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** The stored order, every attribute (the provider's key is never one); the list's names for owner, service, provider. */
export const AdminOrder = z.looseObject({ id: z.int(), userId: z.string(), charge: Money, refunded: Money, status: OrderStatus, updatedAt: Timestamp });

const ActionAnswer = z.object({ order: AdminOrder, outcome: z.string(), providerMessage: z.optional(z.string()) });

export const refreshAdminOrder = {
  method: 'POST',
  path: '/admin/v1/orders/{id}/refresh',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: 'Ask the provider for the status now',
  params: OrderParams,
  responses: {
    200: {
      description: 'outcome: unchanged, updated, resumed, held (an ambiguous status kept until a later answer confirms it: docs/providers.md)',
      body: ActionAnswer,
    },
  },
  errors: [404, 409, 503],
} as const satisfies Operation;

export const cancelAdminOrder = {
  method: 'POST',
  path: '/admin/v1/orders/{id}/cancel',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: 'Cancel with refund',
  params: OrderParams,
  body: z.object({ neverReachedProvider: z.optional(z.boolean()), reason: z.optional(Text(500)) }),
  responses: { 200: { description: 'outcome: settling, requested (docs/admin/orders.md)', body: ActionAnswer } },
  errors: [404, 409, 503],
} as const satisfies Operation;

export const resendAdminOrder = {
  method: 'POST',
  path: '/admin/v1/orders/{id}/resend',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: 'Submit an unsent order again',
  params: OrderParams,
  body: z.object({ providerId: z.optional(Text(64)) }),
  responses: { 200: { description: 'outcome: submitted, refused, unreachable, unconfirmed', body: ActionAnswer } },
  errors: [400, 404, 409],
} as const satisfies Operation;

export const settleAdminOrder = {
  method: 'POST',
  path: '/admin/v1/orders/{id}/settle',
  auth: 'adminCognito',
  tag: 'Admin: orders',
  summary: "Settle an order at its provider on a person's word",
  params: OrderParams,
  body: z.object({
    status: z.enum(['Completed', 'Partial', 'Canceled']),
    /** Units not delivered: required for Partial. */
    remains: z.optional(z.int().check(z.minimum(0))),
    reason: Text(500),
  }),
  responses: {
    200: {
      description: 'outcome: settling, recorded (docs/admin/orders.md)',
      body: ActionAnswer,
    },
  },
  errors: [400, 403, 404, 409],
} as const satisfies Operation;

export const adminOrderActionsOperations: readonly Operation[] = [refreshAdminOrder, cancelAdminOrder, resendAdminOrder, settleAdminOrder];
