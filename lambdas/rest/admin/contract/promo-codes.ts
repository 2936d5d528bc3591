// Admin API: promo codes (a bonus on a deposit, percent or fixed, with usage limits and an expiry).
import * as z from 'zod/mini';
import type { Operation } from '../../v1/operation.js';

export const PromoCodeBody = z.object({
  code: z.string(),
  kind: z.enum(['percent', 'fixed']),
  value: z.string().register(z.globalRegistry, { description: 'Percent of the deposit ("10") or a fixed amount ("5.00")' }),
  minDeposit: z.optional(z.string()),
  maxUses: z.optional(z.int()),
  perUserLimit: z.optional(z.int()),
  expiresAt: z.optional(z.string()),
  disabled: z.boolean(),
  uses: z.int().register(z.globalRegistry, { description: 'Deposits credited with its bonus' }),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const listPromoCodesOperation = {
  method: 'GET',
  path: '/admin/v1/promo-codes',
  auth: 'adminCognito',
  tag: 'Admin',
  summary: 'Every promo code, newest first',
  responses: { 200: { description: 'Promo codes', body: z.object({ items: z.array(PromoCodeBody) }) } },
} as const satisfies Operation;

export const createPromoCodeOperation = {
  method: 'POST',
  path: '/admin/v1/promo-codes',
  auth: 'adminCognito',
  tag: 'Admin',
  summary: 'Create a promo code (a retry with the same terms answers 200 with the code)',
  body: z.object({
    code: z.string().check(z.maxLength(64)),
    kind: z.enum(['percent', 'fixed']),
    value: z.string().check(z.maxLength(32)),
    minDeposit: z.optional(z.string().check(z.maxLength(32))),
    maxUses: z.optional(z.int()),
    perUserLimit: z.optional(z.int()),
    expiresAt: z.optional(z.string().check(z.maxLength(40))),
  }),
  responses: { 201: { description: 'Created', body: PromoCodeBody }, 200: { description: 'Already created with these terms', body: PromoCodeBody } },
  errors: [409],
} as const satisfies Operation;

export const updatePromoCodeOperation = {
  method: 'PATCH',
  path: '/admin/v1/promo-codes/{code}',
  auth: 'adminCognito',
  tag: 'Admin',
  summary: 'Disable or enable a promo code, change its limits, minimum deposit or expiry (null removes one)',
  params: z.object({ code: z.string().check(z.maxLength(64)) }),
  body: z.object({
    disabled: z.optional(z.boolean()),
    maxUses: z.optional(z.nullable(z.int())),
    perUserLimit: z.optional(z.nullable(z.int())),
    minDeposit: z.optional(z.nullable(z.string().check(z.maxLength(32)))),
    expiresAt: z.optional(z.nullable(z.string().check(z.maxLength(40)))),
    reason: z.optional(z.string().check(z.maxLength(500))),
  }),
  responses: { 200: { description: 'The code after the change', body: PromoCodeBody } },
  errors: [404, 409],
} as const satisfies Operation;

export const promoCodeOperations: readonly Operation[] = [listPromoCodesOperation, createPromoCodeOperation, updatePromoCodeOperation];
